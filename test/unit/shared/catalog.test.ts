import { z } from 'zod';
import { EventCatalog, type EventDefinition, UnknownEventTypeError } from '../../../lambdas/shared/catalog';
import { createEnvelope } from '../../../lambdas/shared/envelope';
import { ValidationError } from '../../../lambdas/shared/errors';

// A test-only type in three versions: v1 { name } → v2 { first, last } → v3 adds { title }.
const v3: EventDefinition<{ first: string; last: string; title: string }> = {
  type: 'test.person.named.v3',
  kind: 'telemetry',
  description: 'v3',
  schema: z.object({ first: z.string(), last: z.string(), title: z.string() }),
};
const v2: EventDefinition<{ first: string; last: string }> = {
  type: 'test.person.named.v2',
  kind: 'telemetry',
  description: 'v2',
  schema: z.object({ first: z.string(), last: z.string() }),
  upcast: (event) => ({ ...event, type: v3.type, data: { ...event.data, title: '' } }),
};
const v1: EventDefinition<{ name: string }> = {
  type: 'test.person.named.v1',
  kind: 'telemetry',
  description: 'v1',
  schema: z.object({ name: z.string().min(1) }),
  upcast: (event) => {
    const [first, ...rest] = event.data.name.split(' ');
    return { ...event, type: v2.type, data: { first, last: rest.join(' ') } };
  },
  partitionKey: (data) => data.name,
};

const catalog = new EventCatalog([v1, v2, v3]);
const named = (type: string, data: unknown) => createEnvelope({ type, source: 'test', subject: 'p-1', data });

describe('EventCatalog', () => {
  it('upcasts an old version through every step to the newest', () => {
    const event = catalog.parse(named(v1.type, { name: 'Ada King Lovelace' }));

    expect(event.type).toBe('test.person.named.v3');
    expect(event.data).toEqual({ first: 'Ada', last: 'King Lovelace', title: '' });
  });

  it('leaves the newest version as it is', () => {
    expect(catalog.parse(named(v3.type, { first: 'A', last: 'B', title: 'Dr' })).data).toEqual({ first: 'A', last: 'B', title: 'Dr' });
  });

  it('fails with UnknownEventTypeError for a type not in the catalog', () => {
    expect(() => catalog.parse(named('test.person.renamed.v1', {}))).toThrow(UnknownEventTypeError);
    expect(() => catalog.parse(named('test.person.renamed.v1', {}))).toThrow(/known types: test.person.named.v1/);
  });

  it('names the invalid data field', () => {
    try {
      catalog.parse(named(v1.type, { name: 42 }));
      throw new Error('expected a ValidationError');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).details).toEqual([expect.objectContaining({ field: 'data.name' })]);
    }
  });

  it('refuses to register a type twice', () => {
    expect(() => new EventCatalog([v1, v1])).toThrow(/registered twice/);
  });

  it('uses the definition partition key, or the subject', () => {
    expect(catalog.partitionKey(v1.type, { name: 'Ada' }, 'subject')).toBe('Ada');
    expect(catalog.partitionKey(v3.type, {}, 'subject')).toBe('subject');
  });
});

import { z } from 'zod';
import { EventCatalog, type EventDefinition, UnknownEventTypeError } from '../../../lambdas/shared/catalog';
import { jsonSchemaOf } from '../../../lambdas/shared/catalog-json-schema';
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
  upcastsTo: 'test.person.named.v3',
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
  upcastsTo: 'test.person.named.v2',
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

  it('refuses an upcaster without a registered target type', () => {
    expect(() => new EventCatalog([v1])).toThrow(/upcasts to "test.person.named.v2", which is not registered/);
    expect(() => new EventCatalog([{ ...v1, upcastsTo: undefined }, v2, v3])).toThrow(/both upcast and upcastsTo/);
  });

  it('fails when an upcaster returns another type than it declares', () => {
    const lying = new EventCatalog([{ ...v2, upcast: (event: any) => ({ ...event, type: v1.type }) }, v1, v3]);

    expect(() => lying.parse(named(v2.type, { first: 'A', last: 'B' }))).toThrow(/instead of its declared "test.person.named.v3"/);
  });

  it('lists every version with its kind, JSON Schema and upgrade path', () => {
    const entries = catalog.entries();

    expect(entries.map(({ type, name, version, upcastsTo, current }) => ({ type, name, version, upcastsTo, current }))).toEqual([
      { type: 'test.person.named.v1', name: 'test.person.named', version: 1, upcastsTo: 'test.person.named.v2', current: false },
      { type: 'test.person.named.v2', name: 'test.person.named', version: 2, upcastsTo: 'test.person.named.v3', current: false },
      { type: 'test.person.named.v3', name: 'test.person.named', version: 3, upcastsTo: undefined, current: true },
    ]);
    expect(jsonSchemaOf(entries[2]!)).toMatchObject({ type: 'object', required: ['first', 'last', 'title'] });
    expect(catalog.currentType('test.person.named')).toBe('test.person.named.v3');
  });

  it('uses the definition partition key, or the subject', () => {
    expect(catalog.partitionKey(v1.type, { name: 'Ada' }, 'subject')).toBe('Ada');
    expect(catalog.partitionKey(v3.type, {}, 'subject')).toBe('subject');
  });
});

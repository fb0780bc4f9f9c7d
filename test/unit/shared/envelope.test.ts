import { createEnvelope, parseEnvelope } from '../../../lambdas/shared/envelope';
import { ValidationError } from '../../../lambdas/shared/errors';
import { captureError } from '../../helpers/capture-error';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

describe('event envelope', () => {
  const valid = createEnvelope({ type: 'sluice.card.swiped.v1', source: 'pos/1', subject: 'card-1', data: { a: 1 } }, () => new Date('2025-01-01T00:00:00Z'));

  it('fills in CloudEvents fields, a ULID id and the subject as partition key', () => {
    expect(valid).toMatchObject({
      specversion: '1.0',
      time: '2025-01-01T00:00:00.000Z',
      datacontenttype: 'application/json',
      partitionkey: 'card-1',
    });
    expect(valid.id).toMatch(ULID);
    expect(Object.isFrozen(valid)).toBe(true);
  });

  it('gives ids that sort by creation time', () => {
    const earlier = createEnvelope({ type: 'a.b.v1', source: 's', subject: 's', data: 1 }, () => new Date('2025-01-01T00:00:00Z'));
    const later = createEnvelope({ type: 'a.b.v1', source: 's', subject: 's', data: 1 }, () => new Date('2025-01-01T00:00:01Z'));

    expect(earlier.id < later.id).toBe(true);
  });

  it('accepts a well-formed envelope', () => {
    expect(parseEnvelope(JSON.parse(JSON.stringify(valid)))).toEqual(valid);
  });

  it('names every bad field of an invalid envelope', () => {
    const bad = { ...valid, specversion: '0.3', type: 'NotVersioned', time: 'yesterday', partitionkey: undefined };

    const error = captureError(() => parseEnvelope(bad));

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details?.map((issue) => issue.field).sort()).toEqual(['partitionkey', 'specversion', 'time', 'type']);
  });

  it('rejects a non-positive streamversion', () => {
    expect(() => parseEnvelope({ ...valid, streamversion: 0 })).toThrow(ValidationError);
  });
});

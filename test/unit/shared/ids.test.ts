import { decodeTime } from 'ulid';
import { deriveEventId, newEventId } from '../../../lambdas/shared/ids';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const T = Date.parse('2025-03-01T12:00:00Z');

describe('event ids', () => {
  it('newEventId is a ULID carrying its time', () => {
    const id = newEventId(T);

    expect(id).toMatch(ULID);
    expect(decodeTime(id)).toBe(T);
  });

  describe('deriveEventId', () => {
    it('gives the same id for the same time and seed', () => {
      expect(deriveEventId(T, 'fraud:01ABC')).toBe(deriveEventId(T, 'fraud:01ABC'));
    });

    it('gives different ids for different seeds', () => {
      expect(deriveEventId(T, 'fraud:01ABC')).not.toBe(deriveEventId(T, 'fraud:01ABD'));
    });

    it('is a valid ULID whose time is the given time', () => {
      const id = deriveEventId(T, 'seed');

      expect(id).toMatch(ULID);
      expect(decodeTime(id)).toBe(T);
    });
  });
});

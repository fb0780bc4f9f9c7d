import { sameKey } from '../../../../local/api/server';

describe('sameKey (local API key check)', () => {
  it.each([
    ['the same key', 'local-dev-key', true],
    ['another key of the same length', 'local-dev-kez', false],
    ['a prefix', 'local-dev', false],
    ['a longer key', 'local-dev-key-2', false],
    ['an empty key', '', false],
    ['no key', undefined, false],
  ])('accepts %s: %s', (_, given, expected) => {
    expect(sameKey(given, 'local-dev-key')).toBe(expected);
  });
});

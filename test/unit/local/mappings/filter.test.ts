import { filterableData, matchesPattern, parseFilterPatterns, passesFilters } from '../../../../local/mappings/filter';

const record = {
  partitionKey: 'card-1',
  data: { type: 'sluice.card.swiped.v1', data: { amount: 250, country: 'NL', tags: ['web', 'eu'] }, source: 'pos/terminal-7' },
};

describe('event filtering', () => {
  it.each([
    ['an exact value', { data: { type: ['sluice.card.swiped.v1'] } }, true],
    ['one of several values', { data: { type: ['x', 'sluice.card.swiped.v1'] } }, true],
    ['a different value', { data: { type: ['sluice.account.opened.v1'] } }, false],
    ['a prefix', { data: { source: [{ prefix: 'pos/' }] } }, true],
    ['a wrong prefix', { data: { source: [{ prefix: 'web/' }] } }, false],
    ['a suffix', { data: { source: [{ suffix: '-7' }] } }, true],
    ['equals-ignore-case', { data: { data: { country: [{ 'equals-ignore-case': 'nl' }] } } }, true],
    ['exists true on a present field', { data: { data: { amount: [{ exists: true }] } } }, true],
    ['exists true on a missing field', { data: { data: { merchant: [{ exists: true }] } } }, false],
    ['exists false on a missing field', { data: { data: { merchant: [{ exists: false }] } } }, true],
    ['a numeric range it is in', { data: { data: { amount: [{ numeric: ['>', 100, '<=', 250] }] } } }, true],
    ['a numeric range it is not in', { data: { data: { amount: [{ numeric: ['<', 100] }] } } }, false],
    ['anything-but another value', { data: { data: { country: [{ 'anything-but': ['DE', 'FR'] }] } } }, true],
    ['anything-but its own value', { data: { data: { country: [{ 'anything-but': 'NL' }] } } }, false],
    ['anything-but a prefix', { data: { source: [{ 'anything-but': { prefix: 'web/' } }] } }, true],
    ['a value inside an array field', { data: { data: { tags: ['eu'] } } }, true],
    ['a top-level metadata field', { partitionKey: ['card-1'] }, true],
    ['a nested object against a plain value', { partitionKey: { inner: ['x'] } }, false],
  ])('matches %s: %s', (_name, pattern, expected) => {
    expect(matchesPattern(pattern, record)).toBe(expected);
  });

  it('requires every field of a pattern to match', () => {
    expect(matchesPattern({ partitionKey: ['card-1'], data: { type: ['other'] } }, record)).toBe(false);
  });

  it('passes a record that matches any one of several filters', () => {
    const filters = parseFilterPatterns(['{"partitionKey":["nope"]}', '{"data":{"type":["sluice.card.swiped.v1"]}}']);
    expect(passesFilters(filters, record)).toBe(true);
  });

  it('passes everything when there are no filters', () => {
    expect(passesFilters([], record)).toBe(true);
  });

  it('rejects a pattern that is not a JSON object', () => {
    expect(() => parseFilterPatterns(['["a"]'])).toThrow(/must be a JSON object/);
  });

  it('rejects an unsupported matcher', () => {
    expect(() => matchesPattern({ partitionKey: [{ wildcard: 'card-*' }] }, record)).toThrow(/unsupported filter matcher/);
  });

  it('parses JSON data and keeps other data as a string', () => {
    expect(filterableData('{"a":1}')).toEqual({ a: 1 });
    expect(filterableData('plain text')).toBe('plain text');
  });
});

import LRUCache from '../../../../lambdas/shared/bundle-aliases/lru-cache';

describe('LRUCache (stand-in for mnemonist/lru-cache)', () => {
  it('evicts the least recently used entry when full', () => {
    const cache = new LRUCache<string, number>(2);
    cache.set('a', 1).set('b', 2).set('c', 3);
    expect([cache.has('a'), cache.get('b'), cache.get('c'), cache.size]).toEqual([false, 2, 3, 2]);
  });

  it('counts a get as a use, but not a peek or a has', () => {
    const used = new LRUCache<string, number>(2).set('a', 1).set('b', 2);
    used.get('a');
    used.set('c', 3);
    expect([used.has('a'), used.has('b')]).toEqual([true, false]);

    const peeked = new LRUCache<string, number>(2).set('a', 1).set('b', 2);
    expect([peeked.peek('a'), peeked.has('a')]).toEqual([1, true]);
    peeked.set('c', 3);
    expect([peeked.has('a'), peeked.has('b')]).toEqual([false, true]);
  });

  it('replaces a value in place of growing, and makes it the most recently used', () => {
    const cache = new LRUCache<string, number>(2).set('a', 1).set('b', 2).set('a', 10);
    cache.set('c', 3);
    expect([cache.get('a'), cache.has('b'), cache.size]).toEqual([10, false, 2]);
  });

  it('keeps a stored undefined apart from a missing key, and forgets everything on clear', () => {
    const cache = new LRUCache<string, number | undefined>(3).set('u', undefined).set('x', 1);
    expect([cache.has('u'), cache.get('u'), cache.has('missing')]).toEqual([true, undefined, false]);
    cache.clear();
    expect([cache.size, cache.has('x'), cache.capacity]).toEqual([0, false, 3]);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses capacity %p, naming it', (capacity) => {
    expect(() => new LRUCache(capacity)).toThrow(new RangeError(`LRU cache capacity must be a positive integer (got ${capacity})`));
  });
});

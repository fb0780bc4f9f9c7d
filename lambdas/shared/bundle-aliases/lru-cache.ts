/**
 * What every sluice function bundles in place of `mnemonist/lru-cache` (the alias in
 * lib/sluice-function.ts `BUNDLE_ALIASES`): the DynamoDB client builds its endpoint-discovery cache
 * (`@aws-sdk/endpoint-cache`) from mnemonist's LRU cache, whose typed-array storage and iterator
 * helpers are about 7 KB of each bundle, while DynamoDB endpoint discovery is off unless
 * `AWS_ENABLE_ENDPOINT_DISCOVERY` turns it on. This is the same least-recently-used cache on a
 * `Map` (insertion order is recency order), with the methods `EndpointCache` calls.
 *
 * @example
 * const cache = new LRUCache<string, number>(2);
 * cache.set('a', 1).set('b', 2).get('a'); // 1, and 'b' is now the least recently used
 * cache.set('c', 3).has('b'); // false: evicted
 */
export default class LRUCache<K, V> {
  readonly #entries = new Map<K, V>();

  /** @throws RangeError when `capacity` is not a positive integer */
  public constructor(public readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity <= 0) throw new RangeError(`LRU cache capacity must be a positive integer (got ${capacity})`);
  }

  public get size(): number {
    return this.#entries.size;
  }

  /** The value, now the most recently used; undefined when absent. */
  public get(key: K): V | undefined {
    if (!this.#entries.has(key)) return undefined;
    const value = this.#entries.get(key) as V;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  /** The value without touching its recency. */
  public peek(key: K): V | undefined {
    return this.#entries.get(key);
  }

  public has(key: K): boolean {
    return this.#entries.has(key);
  }

  /** Stores `value` as the most recently used, evicting the least recently used entry when full. */
  public set(key: K, value: V): this {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value as K);
    return this;
  }

  public clear(): void {
    this.#entries.clear();
  }
}

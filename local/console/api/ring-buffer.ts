/**
 * A fixed-size buffer that keeps the last `capacity` items pushed: the console's event feed keeps
 * the most recent envelopes without growing with the stream.
 */
export class RingBuffer<T> {
  private readonly items: T[] = [];
  /** Where the next push goes once the buffer is full (the oldest item). */
  private next = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`a ring buffer holds at least 1 item (got capacity ${capacity})`);
  }

  push(item: T): void {
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return;
    }
    this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
  }

  get size(): number {
    return this.items.length;
  }

  /** The items, newest first. */
  newestFirst(): T[] {
    const oldestFirst = [...this.items.slice(this.next), ...this.items.slice(0, this.next)];
    return oldestFirst.reverse();
  }
}

import { RingBuffer } from '../../../../local/console/api/ring-buffer';

describe('RingBuffer', () => {
  it('keeps every item, newest first, until it is full', () => {
    const ring = new RingBuffer<number>(3);
    ring.push(1);
    ring.push(2);
    expect({ items: ring.newestFirst(), size: ring.size }).toEqual({ items: [2, 1], size: 2 });
  });

  it('drops the oldest items once full, newest first however often it wrapped', () => {
    const ring = new RingBuffer<number>(3);
    for (let i = 1; i <= 8; i++) ring.push(i);
    expect({ items: ring.newestFirst(), size: ring.size }).toEqual({ items: [8, 7, 6], size: 3 });
  });

  it('holds one item with capacity 1', () => {
    const ring = new RingBuffer<string>(1);
    ring.push('a');
    ring.push('b');
    expect(ring.newestFirst()).toEqual(['b']);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses capacity %p', (capacity) => {
    expect(() => new RingBuffer(capacity)).toThrow(`a ring buffer holds at least 1 item (got capacity ${capacity})`);
  });
});

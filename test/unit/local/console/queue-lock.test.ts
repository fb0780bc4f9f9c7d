import { withQueueLock } from '../../../../local/console/api/queue-lock';

/** A promise and the function that settles it, so a test decides when an operation ends. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('withQueueLock', () => {
  it('runs a second operation on the same queue only after the first ended', async () => {
    const order: string[] = [];
    const first = gate();
    const peek = withQueueLock('q1', async () => {
      order.push('peek started');
      await first.promise;
      order.push('peek ended');
    });
    const redrive = withQueueLock('q1', async () => {
      order.push('redrive started');
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(order).toEqual(['peek started']);
    first.open();
    await Promise.all([peek, redrive]);
    expect(order).toEqual(['peek started', 'peek ended', 'redrive started']);
  });

  it('lets operations on different queues run at once', async () => {
    const held = gate();
    const started: string[] = [];
    const a = withQueueLock('qa', async () => {
      started.push('a');
      await held.promise;
    });
    await withQueueLock('qb', async () => {
      started.push('b');
    });
    expect(started).toEqual(['a', 'b']);
    held.open();
    await a;
  });

  it('goes on after an operation that failed, and hands back each one its own outcome', async () => {
    const failed = withQueueLock('q2', async () => {
      throw new Error('peek failed');
    });
    const next = withQueueLock('q2', async () => 'redriven');
    await expect(failed).rejects.toThrow('peek failed');
    await expect(next).resolves.toBe('redriven');
  });
});

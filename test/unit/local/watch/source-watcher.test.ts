import { Debouncer, isIgnoredFile } from '../../../../local/watch/source-watcher';
import { reloadLine } from '../../../../local/watch/code-reload';

describe('Debouncer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('hands on a burst of events as one batch, each file once, timed from the first event', () => {
    let now = 100;
    const batches: Array<{ files: readonly string[]; firstAt: number }> = [];
    const burst = new Debouncer(
      40,
      (batch) => batches.push(batch),
      () => now,
    );
    burst.add('/p/lambdas/b.ts');
    now = 120;
    jest.advanceTimersByTime(30);
    burst.add('/p/lambdas/a.ts');
    burst.add('/p/lambdas/b.ts');
    jest.advanceTimersByTime(39);
    expect(batches).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(batches).toEqual([{ files: ['/p/lambdas/a.ts', '/p/lambdas/b.ts'], firstAt: 100 }]);
  });

  it('starts a new batch after a quiet time', () => {
    const batches: Array<readonly string[]> = [];
    const burst = new Debouncer(40, (batch) => batches.push(batch.files));
    burst.add('/a');
    jest.advanceTimersByTime(40);
    burst.add('/b');
    jest.advanceTimersByTime(40);
    expect(batches).toEqual([['/a'], ['/b']]);
  });
});

describe('isIgnoredFile', () => {
  it.each(['/p/lambdas/.handler.ts.swp', '/p/lambdas/handler.ts~', '/p/lambdas/.#handler.ts', '/p/lambdas/4913'])('ignores the editor file %s', (file) => {
    expect(isIgnoredFile(file)).toBe(true);
  });

  it('watches a source file', () => {
    expect(isIgnoredFile('/p/lambdas/query/handler.ts')).toBe(false);
  });
});

describe('reloadLine', () => {
  it('prints the reloaded functions and the time in one line', () => {
    expect(reloadLine({ reloaded: ['notifier', 'projector'], failed: [] }, 411.6, ['lambdas/shared/x.ts'])).toBe('↻ reloaded notifier, projector in 412 ms');
  });

  it('says the old code keeps running when a build failed', () => {
    expect(reloadLine({ reloaded: [], failed: ['query'] }, 80, ['lambdas/query/handler.ts'])).toBe('✗ build failed for query: kept the old code');
  });

  it('says when a save changed no bundle', () => {
    expect(reloadLine({ reloaded: [], failed: [] }, 80, ['lambdas/query/README.md'])).toBe('↻ no function changed (lambdas/query/README.md)');
  });
});

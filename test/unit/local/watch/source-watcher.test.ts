import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Debouncer, isIgnoredFile, watchTree } from '../../../../local/watch/source-watcher';
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

describe('watchTree', () => {
  let root: string;
  let stop: () => void;
  let seen: string[];
  /** Resolves once `file` has been reported (each step waits on its own event, never a fixed time). */
  let waiters: Array<{ file: string; resolve: () => void }>;
  const reported = (file: string) =>
    new Promise<void>((resolve) => {
      if (seen.includes(file)) resolve();
      else waiters.push({ file, resolve });
    });

  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'sluice-watch-'));
    writeFileSync(path.join(root, 'handler.ts'), '1');
    seen = [];
    waiters = [];
    stop = watchTree(root, (file) => {
      seen.push(file);
      for (const waiter of waiters.filter((w) => w.file === file)) waiter.resolve();
    });
  });
  afterEach(() => {
    stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('keeps seeing a file after an editor replaced it by a rename (an atomic save)', async () => {
    const file = path.join(root, 'handler.ts');
    writeFileSync(path.join(root, 'tmp'), '2');
    renameSync(path.join(root, 'tmp'), file);
    // A folder's events arrive in order: once a later write is reported, the earlier ones are in.
    writeFileSync(path.join(root, 'marker-1'), 'x');
    await reported(path.join(root, 'marker-1'));
    seen = [];

    writeFileSync(file, '3');
    writeFileSync(path.join(root, 'marker-2'), 'x');
    await reported(path.join(root, 'marker-2'));
    expect(seen).toContain(file);
  });

  it('watches a folder created later, and reports the files in it', async () => {
    mkdirSync(path.join(root, 'shared'));
    await reported(path.join(root, 'shared'));
    writeFileSync(path.join(root, 'shared', 'ids.ts'), 'x');
    await reported(path.join(root, 'shared', 'ids.ts'));
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { acquireRunLock, LOCK_DIR_ENV, withNamedLock } from '../../integration/support/run-lock';

/**
 * The run lock between integration workers: another worker is played by a live child process whose
 * pid an entry names (what a worker holding the lock leaves in the folder), a dead one by a pid
 * that has exited.
 */
describe('integration run lock', () => {
  let dir: string;
  const children: ChildProcess[] = [];
  const saved = process.env[LOCK_DIR_ENV];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-lock-test-'));
    process.env[LOCK_DIR_ENV] = dir;
  });
  afterEach(() => {
    for (const child of children.splice(0)) child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
    if (saved === undefined) delete process.env[LOCK_DIR_ENV];
    else process.env[LOCK_DIR_ENV] = saved;
  });

  /** A process that stays alive until the test ends: a worker holding a lock. */
  function otherWorker(): number {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    children.push(child);
    return child.pid!;
  }

  /** A pid that no process has any more: a worker that died holding a lock. */
  async function deadWorker(): Promise<number> {
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((resolve) => child.on('exit', resolve));
    return child.pid!;
  }

  /** Whether `promise` is still pending after the lock's own poll interval has passed a few times. */
  async function stillWaiting(promise: Promise<unknown>): Promise<boolean> {
    let done = false;
    void promise.then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    return !done;
  }

  it('lets an exclusive holder in only once the shared holders are gone', async () => {
    fs.mkdirSync(path.join(dir, 'shared'));
    const sharedEntry = path.join(dir, 'shared', String(otherWorker()));
    fs.writeFileSync(sharedEntry, 'x');
    const exclusive = acquireRunLock('exclusive');
    expect(await stillWaiting(exclusive)).toBe(true);
    fs.rmSync(sharedEntry);
    const release = await exclusive;
    expect(fs.existsSync(path.join(dir, 'exclusive'))).toBe(true);
    release();
    expect(fs.existsSync(path.join(dir, 'exclusive'))).toBe(false);
  });

  it('keeps a shared holder out while another worker holds the lock exclusively', async () => {
    const exclusiveEntry = path.join(dir, 'exclusive');
    fs.mkdirSync(exclusiveEntry);
    fs.writeFileSync(path.join(exclusiveEntry, 'pid'), String(otherWorker()));
    const shared = acquireRunLock('shared');
    expect(await stillWaiting(shared)).toBe(true);
    expect(fs.existsSync(path.join(dir, 'shared', String(process.pid)))).toBe(false);
    fs.rmSync(exclusiveEntry, { recursive: true });
    const release = await shared;
    expect(fs.existsSync(path.join(dir, 'shared', String(process.pid)))).toBe(true);
    release();
    expect(fs.readdirSync(path.join(dir, 'shared'))).toEqual([]);
  });

  it('lets shared holders in side by side', async () => {
    fs.mkdirSync(path.join(dir, 'shared'));
    fs.writeFileSync(path.join(dir, 'shared', String(otherWorker())), 'x');
    const release = await acquireRunLock('shared');
    expect(fs.readdirSync(path.join(dir, 'shared'))).toHaveLength(2);
    release();
  });

  it('is never blocked by a worker that died holding it', async () => {
    const exclusiveEntry = path.join(dir, 'exclusive');
    fs.mkdirSync(exclusiveEntry);
    fs.writeFileSync(path.join(exclusiveEntry, 'pid'), String(await deadWorker()));
    (await acquireRunLock('shared'))();
    fs.writeFileSync(path.join(dir, 'shared', String(await deadWorker())), 'x');
    (await acquireRunLock('exclusive'))();
  });

  it('runs one holder of a named lock at a time', async () => {
    const order: string[] = [];
    let releaseFirst!: () => void;
    const first = withNamedLock('drain q', async () => {
      order.push('first in');
      await new Promise<void>((resolve) => (releaseFirst = resolve));
      order.push('first out');
    });
    const second = withNamedLock('drain q', async () => {
      order.push('second in');
    });
    expect(await stillWaiting(second)).toBe(true);
    releaseFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(['first in', 'first out', 'second in']);
  });

  it('locks nothing without a lock folder (one process, --runInBand)', async () => {
    delete process.env[LOCK_DIR_ENV];
    (await acquireRunLock('exclusive'))();
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

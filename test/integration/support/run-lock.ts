/**
 * Locks between the jest workers of one integration run, which share one local cloud:
 * - the **run lock**: a file listed in `file-groups.js` holds it exclusively (no other file runs
 *   meanwhile), every other file holds it shared (`serial-lock.ts` takes it around each file);
 * - **named locks**: one holder at a time, e.g. a full drain of a shared DLQ (`queues.ts`), which
 *   hides every message of the queue while it reads, so two drains at once would each miss letters.
 *
 * The locks are entries in a folder the global setup makes for the run (`SLUICE_TEST_LOCK_DIR`),
 * created atomically (`mkdir`, `O_EXCL`) and naming their holder's pid, so a holder that died
 * (a killed worker) never blocks the run. Without the variable (one process, `--runInBand`, or
 * files run without the global setup) nothing is locked: there is nobody to wait for.
 *
 * Waiting polls the folder every 50 ms: a wait for another worker, never for the pipeline.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const LOCK_DIR_ENV = 'SLUICE_TEST_LOCK_DIR';
const POLL_MS = 50;

function lockDir(): string | undefined {
  return process.env[LOCK_DIR_ENV] || undefined;
}

const pause = () => new Promise((resolve) => setTimeout(resolve, POLL_MS));

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The holder pid of a lock entry: a folder holds it in its file `pid`, a shared entry is named by it. */
function holderOf(entry: string): number | undefined {
  try {
    return fs.statSync(entry).isDirectory() ? Number(fs.readFileSync(path.join(entry, 'pid'), 'utf8')) : Number(path.basename(entry));
  } catch {
    return undefined;
  }
}

/** Removes an entry whose holder is gone; true if it is gone now. */
function clearIfDead(entry: string): boolean {
  const pid = holderOf(entry);
  // No pid yet: its holder is between mkdir and writing it; leave it.
  if (pid === undefined || Number.isNaN(pid)) return !fs.existsSync(entry);
  if (alive(pid)) return false;
  fs.rmSync(entry, { recursive: true, force: true });
  return true;
}

/** Takes the folder lock `entry` (mkdir is atomic), waiting while a live process holds it. */
async function takeFolder(entry: string): Promise<void> {
  for (;;) {
    try {
      fs.mkdirSync(entry);
      fs.writeFileSync(path.join(entry, 'pid'), String(process.pid));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (!clearIfDead(entry)) await pause();
  }
}

/**
 * Holds the lock `name` (one holder per run at a time) while `work` runs.
 *
 * @example await withNamedLock(`queue ${queueUrl}`, () => drain(queueUrl));
 */
export async function withNamedLock<T>(name: string, work: () => Promise<T>): Promise<T> {
  const dir = lockDir();
  if (!dir) return work();
  const entry = path.join(dir, `named-${Buffer.from(name).toString('base64url')}`);
  await takeFolder(entry);
  try {
    return await work();
  } finally {
    fs.rmSync(entry, { recursive: true, force: true });
  }
}

export type RunLockMode = 'shared' | 'exclusive';

/**
 * Takes the run lock for this process and returns its release. Exclusive: first claims the lock
 * (from then on no new shared holder gets in), then waits for the shared holders to finish. Shared:
 * waits while an exclusive holder exists, registers, and backs off if one claimed it meanwhile.
 */
export async function acquireRunLock(mode: RunLockMode): Promise<() => void> {
  const dir = lockDir();
  if (!dir) return () => undefined;
  const exclusive = path.join(dir, 'exclusive');
  const sharedDir = path.join(dir, 'shared');
  fs.mkdirSync(sharedDir, { recursive: true });
  if (mode === 'exclusive') {
    await takeFolder(exclusive);
    for (;;) {
      const holders = fs.readdirSync(sharedDir).filter((name) => !clearIfDead(path.join(sharedDir, name)));
      if (holders.length === 0) break;
      await pause();
    }
    return () => fs.rmSync(exclusive, { recursive: true, force: true });
  }
  const mine = path.join(sharedDir, String(process.pid));
  for (;;) {
    if (fs.existsSync(exclusive) && !clearIfDead(exclusive)) {
      await pause();
      continue;
    }
    fs.writeFileSync(mine, String(process.pid));
    if (!fs.existsSync(exclusive)) break;
    fs.rmSync(mine, { force: true });
    await pause();
  }
  return () => fs.rmSync(mine, { force: true });
}

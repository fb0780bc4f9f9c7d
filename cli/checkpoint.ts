import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from './errors';

/** Where replay jobs keep their checkpoints (relative to the working directory). */
export const REPLAY_DIR = path.join('.sluice', 'replay');

/** Counts a rebuild reports. */
export interface RebuildCounts {
  streams: number;
  events: number;
  rowsWritten: number;
  rowsUnchanged: number;
  skippedStreams: number;
  failedStreams: number;
}

/** A rebuild job's state, saved after every finished segment so an interrupted job resumes. */
export interface ReplayCheckpoint {
  readonly job: string;
  readonly kind: 'read-model' | 'replica';
  readonly target: 'fresh' | 'in-place';
  readonly segments: number;
  /** Tables written: the live ones (in-place) or the new ones (fresh), by role. */
  readonly tables: Readonly<Record<string, string>>;
  /** The live tables, by role. */
  readonly live: Readonly<Record<string, string>>;
  readonly startedAt: string;
  done: number[];
  counts: RebuildCounts;
  failures: Array<{ streamId: string; error: string }>;
  updatedAt?: string;
  finishedAt?: string;
}

export function checkpointPath(job: string, dir = REPLAY_DIR): string {
  return path.join(dir, `${job}.json`);
}

/** Saves atomically (write + rename), so a kill mid-write leaves the previous checkpoint. */
export function saveCheckpoint(checkpoint: ReplayCheckpoint, dir = REPLAY_DIR): void {
  fs.mkdirSync(dir, { recursive: true });
  const file = checkpointPath(checkpoint.job, dir);
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify({ ...checkpoint, updatedAt: new Date().toISOString() }, null, 2)}\n`);
  fs.renameSync(temp, file);
}

/**
 * Reads a job's checkpoint and checks that it can drive a resume.
 *
 * @throws {UsageError} when there is no such job (listing the jobs there are), or the file is not
 *   JSON or not a checkpoint of that job (naming the file, what is wrong, and to start a new job).
 */
export function loadCheckpoint(job: string, dir = REPLAY_DIR): ReplayCheckpoint {
  const file = checkpointPath(job, dir);
  if (!fs.existsSync(file)) {
    const jobs = fs.existsSync(dir)
      ? fs
          .readdirSync(dir)
          .filter((f) => f.endsWith('.json'))
          .map((f) => f.slice(0, -5))
      : [];
    throw new UsageError(
      `no replay job ${job} (no ${file})${jobs.length ? `; jobs: ${jobs.join(', ')}` : '; start one with sluice replay read-model or sluice replay replica'}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`checkpoint ${file} is not JSON (${(error as Error).message}); delete it and start a new job without --resume`);
  }
  const problem = checkpointProblem(parsed, job);
  if (problem) throw new UsageError(`checkpoint ${file} is not a replay checkpoint of job ${job}: ${problem}; delete it and start a new job without --resume`);
  return parsed as ReplayCheckpoint;
}

/** What makes a parsed file unusable as the checkpoint of `job`, or `undefined` when it is usable. */
function checkpointProblem(value: unknown, job: string): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return `expected an object (got ${JSON.stringify(value)})`;
  const c = value as Record<string, unknown>;
  if (c.job !== job) return `job is ${JSON.stringify(c.job)}`;
  if (c.kind !== 'read-model' && c.kind !== 'replica') return `kind must be read-model or replica (got ${JSON.stringify(c.kind)})`;
  if (c.target !== 'fresh' && c.target !== 'in-place') return `target must be fresh or in-place (got ${JSON.stringify(c.target)})`;
  if (!Number.isInteger(c.segments) || (c.segments as number) < 1) return `segments must be a positive integer (got ${JSON.stringify(c.segments)})`;
  const segments = c.segments as number;
  if (!Array.isArray(c.done) || c.done.some((s) => !Number.isInteger(s) || s < 0 || s >= segments)) {
    return `done must list segment numbers from 0 to ${segments - 1} (got ${JSON.stringify(c.done)})`;
  }
  for (const field of ['tables', 'live', 'counts'] as const) {
    if (!c[field] || typeof c[field] !== 'object') return `${field} is missing`;
  }
  if (!Array.isArray(c.failures)) return 'failures is missing';
  return undefined;
}

/** The segments a job still has to rebuild, in order. */
export function pendingSegments(checkpoint: Pick<ReplayCheckpoint, 'segments' | 'done'>): number[] {
  return Array.from({ length: checkpoint.segments }, (_, i) => i).filter((segment) => !checkpoint.done.includes(segment));
}

/** Records a finished segment: marks it done (once, in order) and adds its counts and failures. */
export function recordSegment(
  checkpoint: ReplayCheckpoint,
  segment: number,
  result: { readonly counts: RebuildCounts; readonly failures: ReadonlyArray<{ streamId: string; error: string }> },
): void {
  if (!checkpoint.done.includes(segment)) checkpoint.done = [...checkpoint.done, segment].sort((a, b) => a - b);
  for (const key of Object.keys(result.counts) as Array<keyof RebuildCounts>) checkpoint.counts[key] += result.counts[key];
  checkpoint.failures.push(...result.failures);
}

/** `20250131T120000123Z`-style stamp for job ids and table names (DynamoDB-safe). */
export function stamp(now = new Date()): string {
  return now.toISOString().replace(/[-:.]/g, '').toLowerCase();
}

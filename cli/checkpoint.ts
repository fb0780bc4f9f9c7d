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

export function checkpointPath(job: string): string {
  return path.join(REPLAY_DIR, `${job}.json`);
}

/** Saves atomically (write + rename), so a kill mid-write leaves the previous checkpoint. */
export function saveCheckpoint(checkpoint: ReplayCheckpoint): void {
  fs.mkdirSync(REPLAY_DIR, { recursive: true });
  const file = checkpointPath(checkpoint.job);
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify({ ...checkpoint, updatedAt: new Date().toISOString() }, null, 2)}\n`);
  fs.renameSync(temp, file);
}

/** @throws {UsageError} when there is no such job. */
export function loadCheckpoint(job: string): ReplayCheckpoint {
  const file = checkpointPath(job);
  if (!fs.existsSync(file)) {
    const jobs = fs.existsSync(REPLAY_DIR) ? fs.readdirSync(REPLAY_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)) : [];
    throw new UsageError(`no replay job ${job} (no ${file})${jobs.length ? `; jobs: ${jobs.join(', ')}` : ''}`);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ReplayCheckpoint;
}

/** `20250131T120000123Z`-style stamp for job ids and table names (DynamoDB-safe). */
export function stamp(now = new Date()): string {
  return now.toISOString().replace(/[-:.]/g, '').toLowerCase();
}

/**
 * `npm start` to ready, fresh and warm, as issue 14 states the goals (≤ 8 s / ≤ 2 s): "fresh" is a
 * `git clone` of the project's committed HEAD into a temporary folder with `node_modules` symlinked
 * to the project's (no `.sluice/`, no `cdk.out`: the start synthesizes), "warm" the second start
 * in that clone (its assembly is current). `npm ci` is left out: it measures the registry, not sluice.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median } from '../lib/stats';
import { measureStartup } from './startup';

export interface StartTimes {
  /** Ready times of each fresh clone's first start, ms. */
  readonly freshMs: readonly number[];
  /** Ready times of each clone's second start, ms. */
  readonly warmMs: readonly number[];
  readonly freshMedianMs: number;
  readonly warmMedianMs: number;
  /** Starts that did not print `stopped.` within 20 s of SIGINT (their ready time still counts). */
  readonly uncleanStops: number;
}

/** A clone of `projectRoot`'s HEAD with its `node_modules` linked in; the caller removes it. */
function freshClone(projectRoot: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sluice-fresh-'));
  execFileSync('git', ['clone', '--quiet', '--no-hardlinks', projectRoot, dir], { stdio: 'ignore' });
  symlinkSync(path.join(projectRoot, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

/**
 * `repeats` rounds of: fresh clone → start (synthesizes) → stop → start again (warm) → stop, on
 * `awsPort`/`apiPort`. A start that does not stop cleanly on SIGINT is counted in `uncleanStops`.
 */
export async function measureStartTimes(projectRoot: string, awsPort: number, apiPort: number, repeats = 3): Promise<StartTimes> {
  const freshMs: number[] = [];
  const warmMs: number[] = [];
  let uncleanStops = 0;
  for (let round = 0; round < repeats; round++) {
    const clone = freshClone(projectRoot);
    try {
      for (const into of [freshMs, warmMs]) {
        const result = await measureStartup(clone, awsPort, apiPort, 180_000, []);
        if (!result.stoppedCleanly) uncleanStops++;
        into.push(result.readyMs);
      }
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  }
  return { freshMs, warmMs, freshMedianMs: median(freshMs), warmMedianMs: median(warmMs), uncleanStops };
}

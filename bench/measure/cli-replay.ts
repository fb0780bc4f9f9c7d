/**
 * The replay figure measured through the team's CLI: `sluice replay read-model --target fresh
 * --json` as a process against the bench cloud. The process's wall time includes starting Node
 * and loading the CLI, as a user running it would see.
 *
 * The CLI replays an event store of its own ({@link seedCliReplayStore}: a table with the event
 * store's keys, seeded with a fixed number of events and named in a copy of the outputs file), so
 * the figure does not depend on what earlier phases left in the live store, and seeding it does not
 * set the pipeline to work during the measurement.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { batchWriteAll, type BenchClients, createBenchTable, deleteBenchTable } from '../lib/aws';
import { runNode } from '../lib/process';
import { buildCli } from '../../cli/build';
import { median, ratePerSecond } from '../lib/stats';
import { now } from '../lib/util';
import { seededHistory } from './projection';

/** A seeded event store for the CLI's replay, and the outputs file that names it. */
export interface CliReplayStore {
  readonly events: number;
  readonly outputsFile: string;
  /** Deletes the seeded table. */
  drop(): Promise<void>;
}

/**
 * Creates `sluice-bench-<runId>-cli-store` (the event store's key schema, no stream, so nothing
 * consumes it), seeds `accounts` × `eventsPerAccount` events, and writes `<dir>/cli-outputs.json`:
 * the cloud's outputs with `EventStoreTableName` pointing at the seeded table.
 */
export async function seedCliReplayStore(
  clients: BenchClients,
  outputs: Readonly<Record<string, string>>,
  dir: string,
  runId: string,
  accounts: number,
  eventsPerAccount: number,
): Promise<CliReplayStore> {
  const table = `sluice-bench-${runId}-cli-store`;
  await createBenchTable(clients.dynamo, table, [
    { name: 'streamId', type: 'S', key: 'HASH' },
    { name: 'version', type: 'N', key: 'RANGE' },
  ]);
  const start = Date.now();
  const items = Array.from({ length: accounts }, (_, i) => seededHistory(`bench-${runId}-cli-${i}`, eventsPerAccount, start)).flat();
  await batchWriteAll(clients.doc, table, items, 4);
  const outputsFile = path.join(dir, 'cli-outputs.json');
  writeFileSync(outputsFile, `${JSON.stringify({ ...outputs, EventStoreTableName: table }, null, 2)}\n`);
  return { events: items.length, outputsFile, drop: () => deleteBenchTable(clients.dynamo, table) };
}

export interface CliReplayResult {
  readonly events: number;
  readonly eventsPerSecond: number;
  readonly wallMs: number;
  /** The CLI's own marks, ms since its process started (see `sluice replay read-model --json`). */
  readonly timings: Readonly<Record<string, number>>;
}

export function cliAvailable(projectRoot: string): boolean {
  return existsSync(path.join(projectRoot, 'bin', 'sluice-cli.js')) && existsSync(path.join(projectRoot, 'cli', 'commands', 'replay.ts'));
}

/** Runs one replay through the CLI and deletes the tables it rebuilt into. */
export async function measureCliReplay(
  projectRoot: string,
  clients: BenchClients,
  awsEndpoint: string,
  outputsFile: string,
  timeoutMs = 240_000,
): Promise<CliReplayResult> {
  const t0 = now();
  const {
    code,
    stdout: out,
    stderrTail: err,
  } = await runNode([path.join(projectRoot, 'bin', 'sluice-cli.js'), 'replay', 'read-model', '--target', 'fresh', '--json', '--outputs', outputsFile], {
    cwd: projectRoot,
    env: {
      ...process.env,
      AWS_ENDPOINT_URL: awsEndpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    timeoutMs,
  });
  const wallMs = now() - t0;
  if (code !== 0) throw new Error(`sluice replay read-model exited with ${code}: ${err.trim().slice(-400)}`);
  const result = JSON.parse(out) as { events?: number; finished?: boolean; tables?: Record<string, string>; timings?: Record<string, number> };
  await Promise.all(Object.values(result.tables ?? {}).map((table) => deleteBenchTable(clients.dynamo, table)));
  if (!result.finished || typeof result.events !== 'number') throw new Error(`sluice replay read-model did not finish: ${out.slice(0, 300)}`);
  return { events: result.events, eventsPerSecond: ratePerSecond(result.events, wallMs), wallMs, timings: result.timings ?? {} };
}

/**
 * Builds the CLI bundle (`dist/cli.cjs`) the way `npm ci` does, so a checkout that was installed
 * before the bundle existed, or has a stale one, measures the current code.
 */
export async function buildCliBundle(): Promise<void> {
  await buildCli();
}

/** The CLI's start: `sluice --help` as a process, against `node -e 0` in the same rounds. */
export interface CliStartResult {
  readonly rounds: number;
  /** Medians over the rounds, ms. */
  readonly medianMs: number;
  readonly nodeMedianMs: number;
  /** What the CLI adds to Node's own start, `sluice --help` − `node -e 0` of each round: median, lowest, highest. */
  readonly ownMedianMs: number;
  readonly ownMinMs: number;
  readonly ownMaxMs: number;
}

/**
 * Times `sluice --help` and `node -e 0` in `rounds` interleaved rounds, the order flipping every
 * round, after one unmeasured call of each (it warms the file cache, and on Node 20 writes the
 * CLI's V8 code cache, as any first call after a build does). Meant to run on a quiet machine (the
 * bench runs it before the local cloud starts): a busy one inflates both, so the note gives Node's
 * own time and the CLI's share beside the figure.
 */
export async function measureCliStart(projectRoot: string, rounds = 15): Promise<CliStartResult> {
  const timed = async (args: readonly string[]) => {
    const t0 = now();
    const { code, stderrTail } = await runNode(args, { cwd: projectRoot, env: process.env, timeoutMs: 30_000 });
    if (code !== 0) throw new Error(`node ${args.join(' ')} exited with ${code}: ${stderrTail.trim().slice(-300)}`);
    return now() - t0;
  };
  const node = () => timed(['-e', '0']);
  const cli = () => timed([path.join(projectRoot, 'bin', 'sluice-cli.js'), '--help']);
  await node();
  await cli();
  const pairs: Array<{ node: number; cli: number }> = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      const n = await node();
      pairs.push({ node: n, cli: await cli() });
    } else {
      const c = await cli();
      pairs.push({ cli: c, node: await node() });
    }
  }
  const own = pairs.map((pair) => pair.cli - pair.node);
  return {
    rounds,
    medianMs: median(pairs.map((pair) => pair.cli)),
    nodeMedianMs: median(pairs.map((pair) => pair.node)),
    ownMedianMs: median(own),
    ownMinMs: Math.min(...own),
    ownMaxMs: Math.max(...own),
  };
}

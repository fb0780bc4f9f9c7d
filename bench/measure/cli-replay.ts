/**
 * The replay figure measured through the team's CLI: `sluice replay read-model --target fresh
 * --json` as a process against the bench cloud. The process's wall time includes starting Node
 * and loading the CLI, as a user running it would see.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { runNode } from '../lib/process';
import { buildCli } from '../../cli/build';
import { median, ratePerSecond } from '../lib/stats';
import { now } from '../lib/util';

export interface CliReplayResult {
  readonly events: number;
  readonly eventsPerSecond: number;
  readonly wallMs: number;
}

export function cliAvailable(projectRoot: string): boolean {
  return existsSync(path.join(projectRoot, 'bin', 'sluice-cli.js')) && existsSync(path.join(projectRoot, 'cli', 'commands', 'replay.ts'));
}

export async function measureCliReplay(projectRoot: string, awsEndpoint: string, outputsFile: string, timeoutMs = 240_000): Promise<CliReplayResult> {
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
  const result = JSON.parse(out) as { events?: number; finished?: boolean };
  if (!result.finished || typeof result.events !== 'number') throw new Error(`sluice replay read-model did not finish: ${out.slice(0, 300)}`);
  return { events: result.events, eventsPerSecond: ratePerSecond(result.events, wallMs), wallMs };
}

/** The CLI's start: `sluice --help` as a process, against `node -e 0` in the same rounds (medians). */
export interface CliStartResult {
  readonly medianMs: number;
  readonly nodeMedianMs: number;
}

/**
 * Builds the CLI bundle (`dist/cli.cjs`) the way `npm ci` does, so a checkout that was installed
 * before the bundle existed, or has a stale one, measures the current code.
 */
export async function buildCliBundle(): Promise<void> {
  await buildCli();
}

/** Times `sluice --help` and `node -e 0` alternately, `repeats` times each. */
export async function measureCliStart(projectRoot: string, repeats = 5): Promise<CliStartResult> {
  const timed = async (args: readonly string[]) => {
    const t0 = now();
    const { code } = await runNode(args, { cwd: projectRoot, env: process.env, timeoutMs: 30_000 });
    if (code !== 0) throw new Error(`node ${args.join(' ')} exited with ${code}`);
    return now() - t0;
  };
  const cli: number[] = [];
  const node: number[] = [];
  for (let i = 0; i < repeats; i++) {
    node.push(await timed(['-e', '0']));
    cli.push(await timed([path.join(projectRoot, 'bin', 'sluice-cli.js'), '--help']));
  }
  return { medianMs: median(cli), nodeMedianMs: median(node) };
}

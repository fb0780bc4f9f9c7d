/**
 * `npm start` time to ready: spawns the same command `npm start` runs (`node scripts/start.js
 * --no-synth`, which runs the local cloud from its cached bundle, building it first when its
 * sources changed) on other ports and times it until it prints its ready line, then stops it with
 * SIGINT as a user's Ctrl-C would.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { now } from '../lib/util';

export const READY_LINE = /sluice local cloud ready in/;

export interface StartupResult {
  readonly readyMs: number;
  /** `node -e 0`: starting node and exiting, the floor under `npm start`. */
  readonly nodeNoopMs: number;
  readonly stoppedCleanly: boolean;
}

/** Sends `signal` to the child's process group (it was spawned detached, so it leads its own group). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function timeToExit(command: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<number> {
  const t0 = now();
  const child = spawn(command, args, { cwd, stdio: 'ignore', detached: true });
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}`);
  return now() - t0;
}

/**
 * Times `npm start` to ready on `awsPort`/`apiPort`, `timeoutMs` at most; always stops the child
 * (SIGINT, then SIGKILL to its process group if it has not exited 20 s later). `startArgs` follow
 * `local/start.ts`: `--no-synth` by default; `[]` synthesizes when the assembly is not current.
 */
export async function measureStartup(
  projectRoot: string,
  awsPort: number,
  apiPort: number,
  timeoutMs = 60_000,
  startArgs: readonly string[] = ['--no-synth'],
): Promise<StartupResult> {
  const nodeNoopMs = await timeToExit('node', ['-e', '0'], projectRoot, 30_000);
  const t0 = now();
  const child = spawn('node', ['scripts/start.js', ...startArgs], {
    cwd: projectRoot,
    env: { ...process.env, SLUICE_AWS_PORT: String(awsPort), SLUICE_API_PORT: String(apiPort), FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  let output = '';
  try {
    const readyMs = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`npm start printed no ready line within ${timeoutMs / 1000} s; last output: ${output.slice(-500)}`)),
        timeoutMs,
      );
      const onData = (chunk: Buffer) => {
        // Test before trimming: the ready banner can arrive as one chunk longer than the kept tail.
        const seen = output + chunk.toString();
        output = seen.slice(-5000);
        if (READY_LINE.test(seen)) {
          clearTimeout(timer);
          resolve(now() - t0);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited with ${code} before it was ready: ${output.slice(-500)}`));
      });
    });
    const exitedInTime = await stop(child, exited);
    // npm exec reports the SIGINT it received as its own exit status; start.ts says "stopped." when it shut down cleanly.
    return { readyMs, nodeNoopMs, stoppedCleanly: exitedInTime && /\bstopped\.\s*$/m.test(output) };
  } finally {
    if (child.exitCode === null && child.signalCode === null) await stop(child, exited);
  }
}

/** SIGINT to the group; true if it exited within 20 s (else it is SIGKILLed). */
async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<boolean> {
  signalGroup(child, 'SIGINT');
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([
    exited,
    new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), 20_000);
    }),
  ]);
  clearTimeout(timer);
  if (code === 'timeout') {
    signalGroup(child, 'SIGKILL');
    await exited;
    return false;
  }
  return true;
}

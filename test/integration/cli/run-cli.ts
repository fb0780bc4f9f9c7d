import { execFile, spawn } from 'node:child_process';
import * as path from 'node:path';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as one JSON document (for --json). */
  json<T = any>(): T;
}

const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * Runs `node bin/sluice-cli.js …` (the built CLI, dist/cli.cjs, which the global setup rebuilds
 * from the sources) as a real process, with the environment the global setup exported (AWS_ENDPOINT_URL, SLUICE_OUTPUTS_FILE, credentials), and optional stdin.
 */
export function sluice(args: readonly string[], options: { input?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = execFile(
      'node',
      ['bin/sluice-cli.js', ...args],
      { cwd: ROOT, env: { ...process.env, ...options.env }, maxBuffer: 64 * 1024 * 1024, timeout: 150_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({
          code,
          stdout,
          stderr,
          json() {
            try {
              return JSON.parse(stdout);
            } catch {
              throw new Error(`not JSON (exit ${code}): ${stdout}\n${stderr}`);
            }
          },
        });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

/** NDJSON stdout as objects. */
export function ndjson(stdout: string): any[] {
  return stdout
    .split('\n')
    .filter((row) => row.trim() !== '')
    .map((row) => JSON.parse(row));
}

/** A `sluice` process left running (`tail --follow`), with its output as it comes. */
export interface RunningCli {
  /** stdout so far. */
  readonly stdout: () => string;
  /** Resolves with stdout once `until` holds for it; rejects if the process ends first. */
  waitForOutput(until: (stdout: string) => boolean, what: string): Promise<string>;
  /** Sends a signal and resolves with how the process ended. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Starts `node bin/sluice-cli.js …` as `sluice()` does, without waiting for it to end. */
export function startSluice(args: readonly string[], options: { env?: Record<string, string> } = {}): RunningCli {
  const child = spawn('node', ['bin/sluice-cli.js', ...args], { cwd: ROOT, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    for (const wake of waiters) wake();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return {
    stdout: () => stdout,
    waitForOutput(until, what) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!until(stdout)) return;
          waiters.delete(check);
          resolve(stdout);
        };
        waiters.add(check);
        check();
        void ended.then(({ code, signal }) => {
          if (!waiters.has(check)) return;
          waiters.delete(check);
          reject(new Error(`sluice ${args.join(' ')} ended (code ${code}, signal ${signal}) before ${what}; stdout: ${stdout}; stderr: ${stderr}`));
        });
      });
    },
    async stop(signal = 'SIGINT') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return { ...(await ended), stderr };
    },
  };
}

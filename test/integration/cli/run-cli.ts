import { execFile } from 'node:child_process';
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
 * Runs `node bin/sluice-cli.js …` as a real process, with the environment the global setup
 * exported (AWS_ENDPOINT_URL, SLUICE_OUTPUTS_FILE, credentials), and optional stdin.
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
  return stdout.split('\n').filter((row) => row.trim() !== '').map((row) => JSON.parse(row));
}

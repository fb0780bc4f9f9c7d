import { spawn } from 'node:child_process';

/** What a finished child process printed. */
export interface ProcessOutput {
  readonly code: number | null;
  readonly stdout: string;
  /** The last 2,000 characters of stderr, for error messages. */
  readonly stderrTail: string;
}

/**
 * Runs `node <args>` to completion, killing it after `timeoutMs`; never rejects on a non-zero
 * exit, so each measurement words its own error.
 */
export async function runNode(
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string; timeoutMs: number; /** @default process.execPath */ execPath?: string },
): Promise<ProcessOutput> {
  const child = spawn(options.execPath ?? process.execPath, [...args], { env: options.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderrTail = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderrTail = (stderrTail + c.toString()).slice(-2000);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  return { code, stdout, stderrTail };
}

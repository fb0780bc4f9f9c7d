import type { ChildProcess } from 'node:child_process';

/**
 * Ties an emulator child process to this one: it is killed if this process exits without
 * stopping it, and `stop()` ends it with SIGTERM, then SIGKILL after `graceMs`.
 */
export function ownChildProcess(child: ChildProcess, graceMs: number): { release(): void; stop(): Promise<void> } {
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const release = () => {
    process.removeListener('exit', killOnExit);
  };
  return {
    release,
    async stop() {
      release();
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await gone;
      clearTimeout(timer);
    },
  };
}

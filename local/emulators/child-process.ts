import { fork, type ChildProcess } from 'node:child_process';

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

/** An emulator running in a child Node process: where it listens, its pid, how to stop it. */
export interface ForkedEmulator {
  readonly port: number;
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * Node flags of the emulator hosts (kinesalite, fauxqs). A 1 MB semi space, as the Lambda sandboxes
 * have (docs/local-cloud-differences.md): V8 grows the young generation under load (up to three
 * 16 MB semi spaces on Node 20) and keeps it resident while the host idles between batches.
 */
export const EMULATOR_HOST_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1'];

/**
 * Forks a Node emulator host (`script` with `args`) and waits for its `{ready: port}` message.
 * The child is owned (see {@link ownChildProcess}); the tail of its stderr is in the error when
 * it exits during start.
 *
 * @throws Error naming `name`, the exit code and the child's stderr when it exits before it is ready.
 */
export async function forkEmulator(name: string, script: string, args: readonly string[]): Promise<ForkedEmulator> {
  const child = fork(script, [...args], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [...EMULATOR_HOST_NODE_FLAGS] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { ready?: number }) => {
      if (typeof message?.ready === 'number') resolve(message.ready);
    });
    child.once('exit', (code) => reject(new Error(`${name} exited during start (code ${code}):\n${stderr}`)));
    child.once('error', reject);
  });
  const owned = ownChildProcess(child, 3_000);
  return { port, pid: child.pid, stop: owned.stop };
}

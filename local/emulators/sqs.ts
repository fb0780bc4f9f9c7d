import { fork } from 'node:child_process';
import path from 'node:path';
import { ownChildProcess } from './child-process';

export interface SqsEmulator {
  readonly port: number;
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * Starts fauxqs on `127.0.0.1:<port>` (0 = any free port) in a child Node process.
 *
 * fauxqs keeps everything in memory: queues are re-created by the provisioner on each start,
 * messages do not survive a restart (even with --persist). The child exits with its parent.
 */
export async function startSqs(options: { port?: number } = {}): Promise<SqsEmulator> {
  const script = path.join(__dirname, 'fauxqs-host.mjs');
  const child = fork(script, [String(options.port ?? 0)], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    execArgv: [],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { ready?: number }) => {
      if (typeof message?.ready === 'number') resolve(message.ready);
    });
    child.once('exit', (code) => reject(new Error(`fauxqs exited during start (code ${code}):\n${stderr}`)));
    child.once('error', reject);
  });
  const owned = ownChildProcess(child, 3_000);
  return { port, pid: child.pid, stop: owned.stop };
}

import { fork } from 'node:child_process';
import path from 'node:path';
import { ownChildProcess } from './child-process';

export interface KinesisEmulator {
  readonly port: number;
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * Starts kinesalite on `127.0.0.1:<port>` (0 = any free port) in a child Node process
 * (`kinesalite-host.js`), so its round trips do not wait for the local cloud's own event loop.
 *
 * Streams become ACTIVE after 10 ms instead of AWS's ~10 s. With `dataDir` the data lives in a
 * LevelDB there and survives restarts; otherwise it is in memory. The child exits with its parent.
 */
export async function startKinesis(options: { port?: number; dataDir?: string } = {}): Promise<KinesisEmulator> {
  const child = fork(path.join(__dirname, 'kinesalite-host.js'), [String(options.port ?? 0), options.dataDir ?? ''], {
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
    child.once('exit', (code) => reject(new Error(`kinesalite exited during start (code ${code}):\n${stderr}`)));
    child.once('error', reject);
  });
  const owned = ownChildProcess(child, 3_000);
  return { port, pid: child.pid, stop: owned.stop };
}

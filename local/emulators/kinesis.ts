import path from 'node:path';
import { forkEmulator, type ForkedEmulator } from './child-process';

export type KinesisEmulator = ForkedEmulator;

/**
 * Starts kinesalite on `127.0.0.1:<port>` (0 = any free port) in a child Node process
 * (`kinesalite-host.js`), so its round trips do not wait for the local cloud's own event loop.
 *
 * Streams become ACTIVE after 10 ms instead of AWS's ~10 s. With `dataDir` the data lives in a
 * LevelDB there and survives restarts; otherwise it is in memory. The child exits with its parent.
 */
export function startKinesis(options: { port?: number; dataDir?: string } = {}): Promise<KinesisEmulator> {
  return forkEmulator('kinesalite', path.join(__dirname, 'kinesalite-host.js'), [String(options.port ?? 0), options.dataDir ?? '']);
}

import path from 'node:path';
import { forkEmulator, type ForkedEmulator } from './child-process';

export type SqsEmulator = ForkedEmulator;

/**
 * Starts fauxqs on `127.0.0.1:<port>` (0 = any free port) in a child Node process.
 *
 * fauxqs keeps everything in memory: queues are re-created by the provisioner on each start,
 * messages do not survive a restart (even with --persist). The child exits with its parent.
 */
export function startSqs(options: { port?: number } = {}): Promise<SqsEmulator> {
  return forkEmulator('fauxqs', path.join(__dirname, 'fauxqs-host.mjs'), [String(options.port ?? 0)]);
}

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { LOOPBACK } from './ports';

// kinesalite ships no types; this is the part of its API used here.
type KinesaliteFactory = (options: { createStreamMs?: number; deleteStreamMs?: number; updateStreamMs?: number; shardLimit?: number; path?: string }) => Server;

export interface KinesisEmulator {
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Starts kinesalite in this process on `127.0.0.1:<port>` (0 = any free port).
 *
 * Streams become ACTIVE after 10 ms instead of AWS's ~10 s. With `dataDir` the data lives in a
 * LevelDB there and survives restarts; otherwise it is in memory.
 */
export async function startKinesis(options: { port?: number; dataDir?: string } = {}): Promise<KinesisEmulator> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const kinesalite = require('kinesalite') as KinesaliteFactory;
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const server = kinesalite({
    createStreamMs: 10,
    deleteStreamMs: 10,
    updateStreamMs: 10,
    shardLimit: 100,
    ...(options.dataDir ? { path: options.dataDir } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK, () => resolve());
  });
  server.keepAliveTimeout = 60_000;
  const { port } = server.address() as AddressInfo;
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

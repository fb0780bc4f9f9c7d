import type { WriteStream } from 'node:fs';

/** Stops the local cloud the global setup started, leaving no process behind. */
export default async function globalTeardown(): Promise<void> {
  const state = globalThis as { __sluiceCloud?: { stop(): Promise<void> }; __sluiceLog?: WriteStream };
  await state.__sluiceCloud?.stop();
  state.__sluiceLog?.end();
}

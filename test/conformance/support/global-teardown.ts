import type { WriteStream } from 'node:fs';

/** Stops the local cloud the global setup started, leaving no process behind. */
export default async function globalTeardown(): Promise<void> {
  const state = globalThis as { __conformanceCloud?: { stop(): Promise<void> }; __conformanceLog?: WriteStream };
  await state.__conformanceCloud?.stop();
  state.__conformanceLog?.end();
}

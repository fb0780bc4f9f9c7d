/**
 * esbuild's JS API runs its builds in one service process per Node process, started by the first
 * call and kept until `stop()`. After a fresh synth's ten function bundles that process held 786 MB
 * PSS for as long as `npm start -- --no-watch` ran, though nothing built again (2026-11-30).
 *
 * The local cloud's builds go through {@link withEsbuild}; hot reload's incremental contexts hold
 * the service with {@link holdEsbuild}. When no build is in flight and no context is held for
 * {@link IDLE_MS}, the service is stopped; the next build starts a new one (esbuild's API does that
 * by itself, ~20 ms).
 */
import type * as Esbuild from 'esbuild';

/** Idle time before the service stops: the builds of one start (synth bundles, console page) come closer together than this. */
export const IDLE_MS = 1_000;

/** The API module, kept from its first import: a timer must not import (in a test runner the module registry may be gone by then). */
let api: typeof Esbuild | undefined;
let inFlight = 0;
let held = 0;
let idle: NodeJS.Timeout | undefined;
/** Callers of {@link stopEsbuildWhenBuilt} waiting for the builds in flight. */
const settledWaiters: Array<() => void> = [];

/**
 * Runs `work` with esbuild's API, keeping the service alive until it settles.
 *
 * @example
 * const result = await withEsbuild((esbuild) => esbuild.build({ entryPoints: [entry], bundle: true, write: false }));
 */
export async function withEsbuild<T>(work: (esbuild: typeof Esbuild) => Promise<T>): Promise<T> {
  inFlight++;
  cancelStop();
  try {
    api ??= await import('esbuild');
    return await work(api);
  } finally {
    inFlight--;
    if (inFlight === 0) settledWaiters.splice(0).forEach((wake) => wake());
    stopWhenIdle();
  }
}

/**
 * Keeps the service alive while an incremental context lives on it (its cache is in the service);
 * call the returned function once the context is disposed. Calling it again does nothing.
 */
export function holdEsbuild(): () => void {
  held++;
  cancelStop();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    held--;
    stopWhenIdle();
  };
}

/** Whether nothing uses the service now (for tests). */
export function esbuildIdle(): boolean {
  return inFlight === 0 && held === 0;
}

/** Whether the service is due to stop (the only way it is stopped: nothing used it for {@link IDLE_MS}); for tests. */
export function esbuildStopPending(): boolean {
  return idle !== undefined;
}

/**
 * Stops the service once the builds in flight have settled (at once when none is), unless a
 * context holds it. For a caller that is done with esbuild and will not wait for {@link IDLE_MS}:
 * esbuild's own `stop()` ends the service under a build in flight, whose promise then never
 * settles (the bench's stop hung on the console page's build that way, 2026-11-30). It also stops
 * a service that a build outside {@link withEsbuild} started in this process, such as the CLI
 * bundle's (`cli/build.js`); only the builds made through this module count as in flight.
 *
 * @example
 * await stopEsbuildWhenBuilt(); // after the synth, before sampling memory
 */
export async function stopEsbuildWhenBuilt(): Promise<void> {
  while (inFlight > 0) await new Promise<void>((resolve) => settledWaiters.push(resolve));
  if (held > 0) return;
  cancelStop();
  api ??= await import('esbuild');
  await api.stop();
}

function cancelStop(): void {
  clearTimeout(idle);
  idle = undefined;
}

/** Stops the service after {@link IDLE_MS} unless something uses it by then. */
function stopWhenIdle(): void {
  if (!esbuildIdle()) return;
  cancelStop();
  idle = setTimeout(() => {
    idle = undefined;
    if (esbuildIdle()) void api?.stop();
  }, IDLE_MS);
  // A process with nothing else to do exits; the service dies with it.
  idle.unref();
}

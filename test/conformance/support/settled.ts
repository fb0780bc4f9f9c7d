/**
 * Waiting for the pipeline without fixed sleeps.
 *
 * Locally each step blocks on `GET /_sluice/settled?timeout=1` (it answers as soon as every
 * mapping is caught up, no invocation is in flight and every source queue is empty), then the
 * test's own condition is checked again. Against an external target (AWS, LocalStack), or while
 * the local endpoint does not serve `/_sluice/settled`, the condition itself is polled.
 * (The integration suite's `waitSettled()` does the same; the two are meant to merge.)
 */
import { isExternal } from './target';

const POLL_MS = { local: 200, external: 1000 } as const;
let settledUnavailable = false;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Asks the local endpoint whether the pipeline is settled, waiting up to `timeoutSeconds`. */
async function askSettled(timeoutSeconds: number): Promise<'settled' | 'pending' | 'unavailable'> {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  if (isExternal() || settledUnavailable || !endpoint) return 'unavailable';
  try {
    const response = await fetch(`${endpoint.replace(/\/$/, '')}/_sluice/settled?timeout=${timeoutSeconds}`);
    const body = (await response.json().catch(() => undefined)) as { settled?: unknown } | undefined;
    if (response.status === 200 && body?.settled === true) return 'settled';
    if (response.status === 503 && body?.settled === false) return 'pending';
  } catch {
    // fall through: no such endpoint here
  }
  settledUnavailable = true;
  return 'unavailable';
}

/** One step of progress: the pipeline settles, or a second passes, or (polling) a poll interval. */
async function step(): Promise<void> {
  const state = await askSettled(1);
  // Settled now, yet the condition was false: what remains is time-based (a visibility timeout).
  if (state !== 'pending') await pause(isExternal() ? POLL_MS.external : POLL_MS.local);
}

/**
 * Waits until `probe` returns a value (not undefined).
 *
 * @throws with `what` and the last value seen when `timeoutMs` passes first
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await step();
  }
}

/**
 * Checks that something does NOT happen: `check` (which throws when it did) holds once the
 * pipeline has settled, or throughout `windowMs` where no settled signal exists. A negative can
 * only ever be shown within a bound: the window is that bound, not a sleep before an assertion.
 */
export async function expectStays(check: () => Promise<void>, windowMs: number): Promise<void> {
  const state = await askSettled(Math.ceil(windowMs / 1000));
  if (state !== 'unavailable') {
    await check();
    return;
  }
  const deadline = Date.now() + windowMs;
  do {
    await check();
    await pause(isExternal() ? POLL_MS.external : POLL_MS.local);
  } while (Date.now() < deadline);
  await check();
}

/**
 * The `timeout` of `GET /_sluice/settled`, in a module of its own: `sluice settle` parses its
 * `--timeout` with it, and `sluice --help` must not load the probe in `./settled`.
 */
import { SETTLED_PATH } from './endpoint/router';

/** Seconds `GET /_sluice/settled` waits without `?timeout=`. */
export const DEFAULT_SETTLED_TIMEOUT_SECONDS = 30;
/** The longest wait one request may ask for. */
export const MAX_SETTLED_TIMEOUT_SECONDS = 300;

export class SettledRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettledRequestError';
  }
}

/**
 * The `timeout` query parameter in seconds: absent → the default; a number 0–300 (decimals allowed).
 *
 * @throws SettledRequestError naming the bad value and the allowed range
 */
export function parseSettledTimeout(raw: string | null | undefined): number {
  if (raw === null || raw === undefined) return DEFAULT_SETTLED_TIMEOUT_SECONDS;
  const seconds = /^\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isFinite(seconds) || seconds > MAX_SETTLED_TIMEOUT_SECONDS) {
    throw new SettledRequestError(`timeout must be a number of seconds from 0 to ${MAX_SETTLED_TIMEOUT_SECONDS} (got "${raw}"), e.g. ${SETTLED_PATH}?timeout=30`);
  }
  return seconds;
}

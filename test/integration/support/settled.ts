/**
 * How integration (and conformance) tests wait for the pipeline: never a fixed sleep, never a
 * loop over a read model when the local cloud can say it has caught up.
 *
 * - **Local cloud** (the global setup's, or another one given as `endpoint`): one
 *   `GET /_sluice/settled?timeout=<s>` on the AWS endpoint. It answers once every event source
 *   mapping has checkpointed its source's tip, no invocation is in flight and every queue that is
 *   not a DLQ is empty (a record being retried, a message waiting out its visibility timeout are
 *   not settled). Then `probe` is read once and `until` must hold: if it does not, that is a bug
 *   in the pipeline, not a timing issue, and the error says so.
 * - **External target** (`SLUICE_TEST_TARGET=external`: LocalStack or a deployed stage) has no
 *   settled signal. The helper then falls back to polling `probe` until `until` holds (the one
 *   condition the test needs), within the same timeout. So a test that runs on an external target
 *   must pass a `probe`; without one the helper throws on such a target.
 *
 * @example
 * const account = await waitSettled({ probe: () => api('GET', `/accounts/${id}`), until: (r) => r.body.version === 3, what: 'read model at version 3' });
 * @example
 * await waitSettled(); // local only: everything in flight has run through
 */
import { eventually } from './eventually';

export interface SettledOptions<T> {
  /** What the test reads once the pipeline has caught up (polled on an external target). */
  readonly probe?: () => Promise<T>;
  /** The condition `probe`'s value must meet. @default any value */
  readonly until?: (value: T) => boolean;
  /** Names the condition in errors. */
  readonly what?: string;
  /** @default 60 (the endpoint allows up to 300) */
  readonly timeoutSeconds?: number;
  /** The AWS endpoint of another local cloud. @default AWS_ENDPOINT_URL */
  readonly endpoint?: string;
}

/** True when the suite runs against LocalStack or a deployed stage (no settled signal there). */
export function isExternalTarget(): boolean {
  return process.env.SLUICE_TEST_TARGET === 'external';
}

/**
 * Waits until the pipeline has caught up, then returns `probe()`'s value (undefined without one).
 *
 * @throws Error listing what is still pending when the local cloud does not settle in time, or
 *   naming the condition and the value read when `until` does not hold
 */
export async function waitSettled<T = undefined>(options: SettledOptions<T> = {}): Promise<T> {
  const { probe, until = () => true, what = 'condition', timeoutSeconds = 60 } = options;
  if (isExternalTarget() && options.endpoint === undefined) {
    if (!probe) throw new Error(`waitSettled: an external target has no settled signal; pass a probe and until (${what})`);
    return eventually(probe, until, { timeoutMs: timeoutSeconds * 1000, what });
  }
  await settledEndpoint(options.endpoint, timeoutSeconds);
  if (!probe) return undefined as T;
  const value = await probe();
  if (!until(value)) throw new Error(`${what} does not hold although the local cloud has settled; value: ${JSON.stringify(value)}`);
  return value;
}

/** Calls `GET /_sluice/settled` and fails with the pending list unless it answers settled. */
async function settledEndpoint(endpoint = process.env.AWS_ENDPOINT_URL, timeoutSeconds: number): Promise<void> {
  if (!endpoint) throw new Error('waitSettled: AWS_ENDPOINT_URL is not set (the global setup sets it for the local cloud)');
  const url = `${endpoint.replace(/\/$/, '')}/_sluice/settled?timeout=${timeoutSeconds}`;
  const response = await fetch(url);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`the local cloud did not settle within ${timeoutSeconds} s (GET ${url} answered ${response.status}): ${text}`);
}

import { randomBytes } from 'node:crypto';

/**
 * W3C Trace Context (`traceparent`), the id sluice carries from the API to the replica in every
 * envelope (CloudEvents' distributed tracing extension). Pure: no AWS, no logger.
 *
 * Only version `00` is understood. A header that does not parse is ignored and a new trace is
 * started, as the W3C spec tells a receiver to do ("If the vendor failed to parse traceparent, it
 * MUST NOT attempt to parse tracestate" / restart the trace) — see docs/tracing.md.
 */

/** `00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>`, lower case. */
export const TRACEPARENT_PATTERN = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The HTTP header (and SQS message attribute) name. */
export const TRACEPARENT_HEADER = 'traceparent';

/** The parts of a valid traceparent. */
export interface TraceContext {
  readonly traceparent: string;
  readonly traceId: string;
  readonly parentId: string;
  readonly flags: string;
}

const ALL_ZERO = /^0+$/;

/**
 * The trace context of a traceparent string, or `undefined` when it is not a valid version-00
 * traceparent (wrong shape, upper case hex, an all-zero trace id or parent id).
 *
 * @example
 * parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')?.traceId // '4bf92f3577b34da6a3ce929d0e0e4736'
 */
export function parseTraceparent(value: unknown): TraceContext | undefined {
  if (typeof value !== 'string') return undefined;
  const match = TRACEPARENT_PATTERN.exec(value.trim());
  if (!match) return undefined;
  const [, traceId, parentId, flags] = match;
  if (ALL_ZERO.test(traceId) || ALL_ZERO.test(parentId)) return undefined;
  return { traceparent: `00-${traceId}-${parentId}-${flags}`, traceId, parentId, flags };
}

/**
 * A new trace: random trace id and parent id, sampled flag set.
 *
 * @example
 * startTrace().traceparent // '00-9f…-3a…-01'
 */
export function startTrace(random: (bytes: number) => Buffer = randomBytes): TraceContext {
  let traceId = random(16).toString('hex');
  let parentId = random(8).toString('hex');
  // Astronomically unlikely, but the spec forbids all-zero ids.
  if (ALL_ZERO.test(traceId)) traceId = `${traceId.slice(0, 31)}1`;
  if (ALL_ZERO.test(parentId)) parentId = `${parentId.slice(0, 15)}1`;
  return { traceparent: `00-${traceId}-${parentId}-01`, traceId, parentId, flags: '01' };
}

/**
 * The trace a request belongs to: its `traceparent` header when valid, else a new one (an invalid
 * header is ignored, never an error: tracing must not refuse a request).
 *
 * @example
 * traceFromHeaders({ Traceparent: '00-…-01' }).traceparent
 */
export function traceFromHeaders(headers: Readonly<Record<string, string | undefined>> | null | undefined, random?: (bytes: number) => Buffer): TraceContext {
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== TRACEPARENT_HEADER) continue;
    const parsed = parseTraceparent(value);
    if (parsed) return parsed;
  }
  return startTrace(random);
}

/**
 * The 32-hex trace id in a trace id or a whole traceparent, lower-cased; `undefined` for anything else.
 *
 * @example
 * traceIdOf('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01') // '4bf92f3577b34da6a3ce929d0e0e4736'
 */
export function traceIdOf(value: string): string | undefined {
  const text = value.trim().toLowerCase();
  if (/^[0-9a-f]{32}$/.test(text)) return ALL_ZERO.test(text) ? undefined : text;
  return parseTraceparent(text)?.traceId;
}

/**
 * The log keys that tie a line to an event: `traceparent`, `eventId` and Powertools'
 * `correlation_id` (the trace id, so one search finds every function's lines of one trace).
 */
export function correlationKeys(traceparent: string | undefined, eventId?: string): Record<string, string> {
  const keys: Record<string, string> = {};
  if (traceparent) {
    keys.traceparent = traceparent;
    const traceId = parseTraceparent(traceparent)?.traceId;
    if (traceId) keys.correlation_id = traceId;
  }
  if (eventId) keys.eventId = eventId;
  return keys;
}

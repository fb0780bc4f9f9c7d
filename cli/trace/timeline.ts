/**
 * Turns the timestamps found at each hop into the answer `sluice trace` prints and the console
 * shows: hops in time order, each with its latency from the previous one. Pure, so unit tested.
 */
import type { TraceAnswer, TraceHop } from '../../local/console/contract';

/** Where the pipeline's hops sit in its order: breaks ties between hops stamped in the same millisecond. */
export const HOP_ORDER = ['api', 'append', 'relay', 'stream', 'projector', 'notifier', 'queue', 'worker', 'state-transfer', 'replica'] as const;

/** One timestamp found for one event at one hop. */
export interface FoundHop {
  readonly hop: string;
  /** Epoch ms. */
  readonly at: number;
  /** Where it was read: `event store`, `stream`, `read model`, `replica`, `delivery log`, … */
  readonly source: string;
  readonly eventId: string;
  readonly eventType?: string;
  readonly detail?: string;
}

const rank = (hop: string): number => {
  const index = (HOP_ORDER as readonly string[]).indexOf(hop);
  return index === -1 ? HOP_ORDER.length : index;
};

/**
 * The trace answer: hops sorted by time (pipeline order on ties), latency from the previous hop
 * (null for the first), each hop's detail naming its event when the trace spans several.
 *
 * @example
 * assembleTrace('01J…', undefined, [{ hop: 'append', at: 0, source: 'event store', eventId: '01J…' }]).hops[0].latencyMs // null
 */
export function assembleTrace(id: string, traceId: string | undefined, found: readonly FoundHop[]): TraceAnswer {
  const sorted = [...found].sort((a, b) => a.at - b.at || rank(a.hop) - rank(b.hop));
  const eventIds = [...new Set(sorted.map((hop) => hop.eventId))];
  const several = eventIds.length > 1;
  const hops = sorted.map((hop, index): TraceHop => {
    const detail = [several ? `${hop.eventType ?? 'event'} ${hop.eventId}` : undefined, hop.detail].filter(Boolean).join('; ');
    return {
      hop: hop.hop,
      at: new Date(hop.at).toISOString(),
      latencyMs: index === 0 ? null : hop.at - sorted[index - 1].at,
      source: hop.source,
      ...(detail ? { detail } : {}),
    };
  });
  return { id, ...(traceId ? { traceId } : {}), eventIds, hops };
}

/**
 * The trace as text: one line per hop (time, +latency, hop, source, detail), under a header line.
 *
 * @example
 * formatTrace(answer) // 'event 01J… in trace 4bf9… (1 event: 01J…)\n2026-…  +0 ms  append  event store'
 */
export function formatTrace(answer: TraceAnswer): string {
  const byEvent = answer.eventIds.includes(answer.id);
  const subject = byEvent ? `event ${answer.id}${answer.traceId ? ` in trace ${answer.traceId}` : ''}` : `trace ${answer.traceId ?? answer.id}`;
  const header = `${subject} (${answer.eventIds.length} event${answer.eventIds.length === 1 ? '' : 's'}: ${answer.eventIds.join(', ')})`;
  const width = Math.max(0, ...answer.hops.map((hop) => hop.hop.length));
  const latencyWidth = Math.max(0, ...answer.hops.map((hop) => String(hop.latencyMs ?? 0).length));
  const lines = answer.hops.map(
    (hop) => `${hop.at}  ${`+${hop.latencyMs ?? 0}`.padStart(latencyWidth + 1)} ms  ${hop.hop.padEnd(width)}  ${hop.source}${hop.detail ? `  (${hop.detail})` : ''}`,
  );
  return [header, ...lines].join('\n');
}

/** Crockford base32, the alphabet of a ULID's first 10 characters (its time in ms). */
const ULID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The time a ULID was made (its first 48 bits), or `undefined` when `id` is not a ULID: lets the
 * stream be read from just before the event instead of from its oldest record.
 *
 * @example
 * ulidTime('01ARYZ6S41TSV4RRFFQ69G5FAV') // 1469918176385
 */
export function ulidTime(id: string): number | undefined {
  if (!/^[0-9A-HJKMNP-TV-Z]{26}$/i.test(id)) return undefined;
  let time = 0;
  for (const char of id.slice(0, 10).toUpperCase()) time = time * 32 + ULID_ALPHABET.indexOf(char);
  return time;
}

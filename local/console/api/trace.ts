/**
 * `GET trace/<id>`: the hops of an event id or a trace id. Until the CLI's trace collector
 * (`cli/trace/`, helper "trace") is here, the hops come from what the console itself saw: each
 * envelope in the feed that carries the id (its event time, then its arrival on the stream).
 */
import type { FeedEvent, TraceAnswer, TraceHop } from '../contract';
import { traceIdOf } from './feed-filter';

/** The hops the feed shows for `id`, or undefined when no envelope in it carries that id. */
export function traceFromFeed(feed: readonly FeedEvent[], id: string): TraceAnswer | undefined {
  const traceId = traceIdOf(id);
  const carried = feed.filter((event) => event.envelope.id === id || (traceId !== undefined && traceIdOf(event.envelope.traceparent) === traceId));
  if (carried.length === 0) return undefined;
  const hops = carried.flatMap((event) => [
    ...(typeof event.envelope.time === 'string'
      ? [{ hop: 'event', at: event.envelope.time, source: 'the envelope (time)', detail: `${event.envelope.type} ${event.envelope.id}` }]
      : []),
    {
      hop: 'stream',
      at: new Date(event.arrivedAt).toISOString(),
      source: `${event.streamName} ${event.shardId}`,
      detail: `${event.envelope.type} ${event.envelope.id}`,
    },
  ]);
  const foundTraceId = traceId ?? traceIdOf(carried[0].envelope.traceparent);
  return { id, ...(foundTraceId ? { traceId: foundTraceId } : {}), eventIds: [...new Set(carried.map((event) => event.envelope.id))], hops: withLatencies(hops) };
}

/** Hops in time order, each with the milliseconds since the one before (null for the first). */
export function withLatencies(hops: ReadonlyArray<Omit<TraceHop, 'latencyMs'>>): TraceHop[] {
  const sorted = [...hops].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return sorted.map((hop, index) => ({ ...hop, latencyMs: index === 0 ? null : Date.parse(hop.at) - Date.parse(sorted[index - 1].at) }));
}

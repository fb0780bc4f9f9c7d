/**
 * Command → read-model latency split into the pipeline's hops, from times the pipeline already
 * records at each hop (the client's own clock at both ends, the command's, the outbox relay's and
 * the projector's invocations as the local Lambda runner ran them, the Kinesis record's
 * ApproximateArrivalTimestamp). Pure, so unit tested.
 */
import { percentile } from './stats';

/** When one command passed each point, in epoch ms; a point the bench could not see is absent. */
export interface CommandTimeline {
  /** The client sent `POST /accounts/{id}/deposits`. */
  readonly postSent: number;
  /** The POST answered 201 (the command appended its event). */
  readonly postReturned: number;
  /** The command's append returned: its invocation ended (else the stream record's ApproximateCreationDateTime, when it has milliseconds). */
  readonly appended?: number;
  /** The outbox relay's invocation carrying the record started. */
  readonly relayInvoked?: number;
  /** The relay's PutRecords reached Kinesis (ApproximateArrivalTimestamp). */
  readonly kinesisArrived?: number;
  /** The projector's invocation carrying the record started. */
  readonly projectorInvoked?: number;
  /** That invocation returned: its read-model write is done. */
  readonly projectorDone?: number;
  /** A `GET /accounts/{id}` showing the new version returned. */
  readonly visible: number;
}

export type TimelinePoint = keyof CommandTimeline;

export interface HopDefinition {
  readonly label: string;
  readonly from: TimelinePoint;
  readonly to: TimelinePoint;
}

/** The hops in pipeline order; consecutive, so they add up to POST sent → visible. */
export const HOPS: readonly HopDefinition[] = [
  { label: 'API → append', from: 'postSent', to: 'appended' },
  { label: 'append → relay invoke', from: 'appended', to: 'relayInvoked' },
  { label: 'relay → Kinesis', from: 'relayInvoked', to: 'kinesisArrived' },
  { label: 'Kinesis → projector invoke', from: 'kinesisArrived', to: 'projectorInvoked' },
  { label: 'projector write', from: 'projectorInvoked', to: 'projectorDone' },
  { label: 'visible to the query', from: 'projectorDone', to: 'visible' },
];

export interface HopSummary {
  readonly label: string;
  /** Commands for which both ends of the hop were seen. */
  readonly samples: number;
  readonly p50: number | null;
  readonly p99: number | null;
  readonly max: number | null;
}

/**
 * p50/p99/max of every hop over the commands where both of its ends were seen. A hop may come
 * out slightly negative when two processes' clocks are read a millisecond apart; it is kept as is.
 *
 * @example
 * summarizeHops([{ postSent: 0, postReturned: 20, appended: 15, visible: 90 }])[0]
 * // { label: 'API → append', samples: 1, p50: 15, p99: 15, max: 15 }
 */
export function summarizeHops(timelines: readonly CommandTimeline[], hops: readonly HopDefinition[] = HOPS): HopSummary[] {
  return hops.map((hop) => {
    const values: number[] = [];
    for (const timeline of timelines) {
      const from = timeline[hop.from];
      const to = timeline[hop.to];
      if (from !== undefined && to !== undefined) values.push(to - from);
    }
    if (values.length === 0) return { label: hop.label, samples: 0, p50: null, p99: null, max: null };
    return { label: hop.label, samples: values.length, p50: percentile(values, 50), p99: percentile(values, 99), max: Math.max(...values) };
  });
}

/** The hop table as text: one line per hop with p50, p99, max and how many commands it covers. */
export function formatHopTable(hops: readonly HopSummary[]): string {
  const show = (value: number | null) => (value === null ? '–' : value.toFixed(1));
  const width = Math.max(...hops.map((hop) => hop.label.length), 'hop'.length);
  const lines = [`${'hop'.padEnd(width)}  ${'p50 ms'.padStart(8)}  ${'p99 ms'.padStart(8)}  ${'max ms'.padStart(8)}  samples`];
  for (const hop of hops) {
    lines.push(`${hop.label.padEnd(width)}  ${show(hop.p50).padStart(8)}  ${show(hop.p99).padStart(8)}  ${show(hop.max).padStart(8)}  ${hop.samples}`);
  }
  return lines.join('\n');
}

/**
 * The latency goal once the floor is known: the issue's own limit, unless the floor under the
 * path (the round trips no implementation can skip, measured in the same run) is already above it;
 * then 1.5× the floor, as issue 14 allows ("measure the floor … and get within 1.5× of it").
 */
export function latencyLimit(goalMs: number, floorMs: number | null, factor = 1.5): { limitMs: number; fromFloor: boolean } {
  if (floorMs !== null && Number.isFinite(floorMs) && floorMs > goalMs) return { limitMs: factor * floorMs, fromFloor: true };
  return { limitMs: goalMs, fromFloor: false };
}

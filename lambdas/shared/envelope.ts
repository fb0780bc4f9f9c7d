import * as z from './zod';
import { ValidationError } from './errors';
import { zodIssues } from './zod-issues';
import { newEventId } from './ids';
import { TRACEPARENT_PATTERN } from './trace-context';

/** Event types are dotted and versioned: `sluice.account.deposited.v1`. */
export const EVENT_TYPE_PATTERN = /^[a-z0-9]+(\.[a-z0-9-]+)+\.v[1-9][0-9]*$/;

/**
 * The CloudEvents 1.0 JSON envelope every sluice event travels in, plus the extensions
 * `streamversion` (aggregate version, domain events only), `partitionkey` and `traceparent` (W3C
 * Trace Context, set at the API and carried unchanged by every hop: see `trace-context.ts`).
 */
export const envelopeSchema = z.object({
  specversion: z.literal('1.0'),
  id: z.string().check(z.minLength(1)),
  source: z.string().check(z.minLength(1)),
  type: z.string().check(z.regex(EVENT_TYPE_PATTERN, 'must be dotted and versioned, e.g. sluice.card.swiped.v1')),
  time: z.iso.datetime({ offset: true }),
  subject: z.string().check(z.minLength(1)),
  datacontenttype: z.literal('application/json'),
  data: z.unknown(),
  streamversion: z.optional(z.int().check(z.positive())),
  partitionkey: z.string().check(z.minLength(1), z.maxLength(256)),
  traceparent: z.optional(z.string().check(z.regex(TRACEPARENT_PATTERN, 'must be a W3C traceparent: 00-<32 hex>-<16 hex>-<2 hex>'))),
});

/** An event in its envelope; `data` is typed once the catalog has validated it. */
export type EventEnvelope<TData = unknown> = Omit<z.infer<typeof envelopeSchema>, 'data'> & { data: TData };

/** What a producer supplies; the rest of the envelope is filled in by {@link createEnvelope}. */
export interface NewEvent<TData = unknown> {
  readonly type: string;
  readonly source: string;
  readonly subject: string;
  readonly data: TData;
  readonly id?: string;
  readonly time?: string;
  readonly partitionkey?: string;
  readonly streamversion?: number;
  readonly traceparent?: string;
}

/**
 * Wraps event data in a complete, immutable CloudEvents envelope.
 *
 * @example
 * createEnvelope({ type: 'sluice.card.swiped.v1', source: 'pos/42', subject: 'card-1', data })
 */
export function createEnvelope<TData>(event: NewEvent<TData>, now: () => Date = () => new Date()): EventEnvelope<TData> {
  const time = event.time ?? now().toISOString();
  const envelope: EventEnvelope<TData> = {
    specversion: '1.0',
    id: event.id ?? newEventId(Date.parse(time)),
    source: event.source,
    type: event.type,
    time,
    subject: event.subject,
    datacontenttype: 'application/json',
    data: event.data,
    partitionkey: event.partitionkey ?? event.subject,
    ...(event.streamversion === undefined ? {} : { streamversion: event.streamversion }),
    ...(event.traceparent === undefined ? {} : { traceparent: event.traceparent }),
  };
  return Object.freeze(envelope);
}

/**
 * Checks that a value is a well-formed envelope (not yet that its data fits its type).
 *
 * @throws {ValidationError} naming every bad field.
 */
export function parseEnvelope(value: unknown): EventEnvelope {
  const result = envelopeSchema.safeParse(value);
  if (!result.success) {
    throw new ValidationError('the event envelope is invalid', zodIssues(result.error));
  }
  return result.data as EventEnvelope;
}

export { zodIssues } from './zod-issues';

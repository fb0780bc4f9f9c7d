import * as z from '../zod';
import { createEnvelope, type EventEnvelope } from '../envelope';
import { MalformedStoredEventError } from './errors';
import { TRACEPARENT_PATTERN } from '../trace-context';
import type { StoredEvent, StoredEventExpectation } from './port';

const storedEventSchema = z.object({
  streamId: z.string().check(z.minLength(1)),
  version: z.int().check(z.positive()),
  eventId: z.string().check(z.minLength(1)),
  type: z.string().check(z.minLength(1)),
  time: z.string().check(z.minLength(1)),
  data: z.unknown(),
  metadata: z.object({
    source: z.string().check(z.minLength(1)),
    subject: z.string().check(z.minLength(1)),
    partitionkey: z.string().check(z.minLength(1)),
    traceparent: z.optional(z.string().check(z.regex(TRACEPARENT_PATTERN))),
  }),
});

/**
 * Checks that a plain (already unmarshalled) item has the stored-event shape.
 *
 * @throws {MalformedStoredEventError} naming every bad attribute.
 */
export function parseStoredEvent(item: unknown): StoredEvent {
  const result = storedEventSchema.safeParse(item);
  if (!result.success) {
    throw new MalformedStoredEventError(result.error.issues.map((issue) => `${issue.path.join('.') || '(item)'}: ${issue.message}`));
  }
  return result.data;
}

/**
 * The CloudEvents envelope of a stored event, with `streamversion` = its version.
 *
 * @example
 * storedEventToEnvelope(stored) // { specversion: '1.0', id: stored.eventId, streamversion: stored.version, … }
 */
export function storedEventToEnvelope(stored: StoredEvent): EventEnvelope {
  return createEnvelope({
    id: stored.eventId,
    type: stored.type,
    time: stored.time,
    source: stored.metadata.source,
    subject: stored.metadata.subject,
    partitionkey: stored.metadata.partitionkey,
    streamversion: stored.version,
    ...(stored.metadata.traceparent === undefined ? {} : { traceparent: stored.metadata.traceparent }),
    data: stored.data,
  });
}

/**
 * What an envelope off the stream says the store holds in `streamId` at its `streamversion`: the
 * attributes {@link storedEventToEnvelope} copied from the stored event, as they were (before any
 * upcasting). A writer checks them against the store in its own atomic write.
 *
 * @example
 * deliveredExpectation('account#a1', storedEventToEnvelope(stored)) // { streamId: 'account#a1', version: stored.version, eventId: stored.eventId, … }
 * @throws {Error} when the envelope has no `streamversion` (it is no stored event's copy).
 */
export function deliveredExpectation(streamId: string, envelope: EventEnvelope): StoredEventExpectation {
  if (envelope.streamversion === undefined)
    throw new Error(`envelope ${envelope.id} has no streamversion, so it is no copy of a stored event; only stored events can be checked against the store`);
  return { streamId, version: envelope.streamversion, eventId: envelope.id, type: envelope.type, time: envelope.time, data: envelope.data };
}

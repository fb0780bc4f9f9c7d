import * as z from '../zod';
import { createEnvelope, type EventEnvelope } from '../envelope';
import { MalformedStoredEventError } from './errors';
import { TRACEPARENT_PATTERN } from '../trace-context';
import type { StoredEvent } from './port';

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

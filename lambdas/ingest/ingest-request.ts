import * as z from '../shared/zod';
import type { EventCatalog } from '../shared/catalog';
import { createEnvelope, zodIssues, type EventEnvelope } from '../shared/envelope';
import { ValidationError, type FieldIssue } from '../shared/errors';
import { PayloadTooLargeError } from '../shared/http';
import { DEFAULT_EVENT_TIME_BOUNDS, eventTimeIssue, freeText, type EventTimeBounds } from '../shared/input-rules';
import { encodeEnvelope, PUT_RECORDS_LIMITS, recordBytes } from '../shared/kinesis';

/** At most this many events per request: one full PutRecords call. */
export const MAX_EVENTS_PER_REQUEST = 500;

/** A request body may be as large as one PutRecords call: 5 MiB. */
export const MAX_BODY_BYTES = PUT_RECORDS_LIMITS.maxBatchBytes;

/** Where a caller must send the event types `POST /events` refuses. */
const COMMAND_ROUTES = 'POST /accounts, POST /accounts/{id}/deposits, POST /accounts/{id}/withdrawals';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * One event as a caller posts it; the rest of the envelope is ours to fill in. Unknown fields are
 * refused (a typo such as `tmie` must not silently become "now"). `data` is checked against the
 * catalog schema of `type`; lib/api-models.ts builds the edge model from this schema and those.
 */
export const eventInputSchema = z.strictObject({
  type: z.string().check(z.minLength(1, 'must not be empty')),
  source: freeText(1, 256),
  subject: freeText(1, 256),
  data: z.unknown(),
  id: z.optional(z.string().check(z.regex(ULID, 'must be a ULID (26 Crockford base32 characters), or left out to get one'))),
  time: z.optional(z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone, e.g. 2025-01-01T12:00:00Z' })),
});

/**
 * `{"events": [...]}` with 1 to {@link MAX_EVENTS_PER_REQUEST} events of the given schema: the
 * function reads the events as `unknown` and checks each on its own (so every bad event is
 * reported with its index), lib/api-models.ts builds the edge model with the envelope schema.
 */
export function eventBatchOf<TEvent extends z.core.SomeType>(event: TEvent) {
  return z.strictObject({
    events: z
      .array(event)
      .check(
        z.minLength(1, 'must hold at least one event'),
        z.maxLength(MAX_EVENTS_PER_REQUEST, `must hold at most ${MAX_EVENTS_PER_REQUEST} events; split larger batches`),
      ),
  });
}

const batchSchema = eventBatchOf(z.unknown());

/** A valid event of the request, ready to publish, with its position in the request. */
export interface PlannedEvent {
  readonly index: number;
  readonly envelope: EventEnvelope;
}

/** What a valid request turns into: events to publish, and repeated ids refused as `duplicate_id`. */
export interface IngestPlan {
  readonly events: readonly PlannedEvent[];
  readonly duplicates: readonly { readonly index: number; readonly error: 'duplicate_id'; readonly message: string }[];
}

/**
 * Turns a parsed `POST /events` body (one event, or `{"events":[…]}`) into envelopes ready to publish.
 *
 * Every problem of every event is reported at once, each with its field path (`events.3.data.amount`
 * for a batch, `data.amount` for a single event), so a caller can fix a whole batch in one go.
 * Only catalogued telemetry types are accepted: account events enter through the command routes,
 * so the event store stays their single source of truth.
 *
 * Event times (`time` and the catalog's event-time fields of `data`, e.g. a swipe's `at`) must lie
 * within `bounds` of now. An `id` given twice is not an error of the request: the first event with
 * it is published, the later ones are returned in `duplicates` (the 202's `failed`).
 *
 * Every envelope carries `traceparent` when given (the request's trace).
 *
 * @example
 * planIngest({ events: [{ type: 'sluice.card.swiped.v1', source: 'pos/7', subject: 'card-1', data }] }, sluiceCatalog) // { events: [{ index: 0, envelope }], duplicates: [] }
 * @throws {ValidationError} naming each bad field; {PayloadTooLargeError} naming an event over 1 MiB.
 */
export function planIngest(
  body: unknown,
  catalog: EventCatalog,
  now: () => Date = () => new Date(),
  bounds: EventTimeBounds = DEFAULT_EVENT_TIME_BOUNDS,
  traceparent?: string,
): IngestPlan {
  const isBatch = typeof body === 'object' && body !== null && 'events' in body;
  let inputs: unknown[];
  if (isBatch) {
    const batch = batchSchema.safeParse(body);
    if (!batch.success) throw new ValidationError('the request body is invalid', zodIssues(batch.error));
    inputs = batch.data.events;
  } else {
    inputs = [body];
  }

  const issues: FieldIssue[] = [];
  const events: PlannedEvent[] = [];
  const duplicates: IngestPlan['duplicates'][number][] = [];
  const firstIndexOfId = new Map<string, number>();
  const at = now();
  inputs.forEach((input, index) => {
    const prefix = isBatch ? `events.${index}` : '';
    const envelope = toEnvelope(input, catalog, prefix, issues, () => at, bounds, traceparent);
    if (!envelope) return;
    const first = firstIndexOfId.get(envelope.id);
    if (first === undefined) {
      firstIndexOfId.set(envelope.id, index);
      events.push({ index, envelope });
    } else {
      duplicates.push({
        index,
        error: 'duplicate_id',
        message: `the id ${envelope.id} is already used by event ${first} of this request; give each event its own id`,
      });
    }
  });
  if (issues.length > 0) {
    const which = isBatch ? `${new Set(issues.map((issue) => issue.field.split('.')[1])).size} of ${inputs.length} events are` : 'the event is';
    throw new ValidationError(`${which} invalid; nothing was published, fix the fields in details and resend`, issues);
  }

  events.forEach(({ envelope, index }) => {
    const size = recordBytes(encodeEnvelope(envelope));
    if (size > PUT_RECORDS_LIMITS.maxRecordBytes) {
      const which = isBatch ? `event ${index}` : 'the event';
      throw new PayloadTooLargeError(
        `${which} is ${size} bytes as a stream record; an event may be at most ${PUT_RECORDS_LIMITS.maxRecordBytes} bytes (1 MiB)`,
        size,
        PUT_RECORDS_LIMITS.maxRecordBytes,
        isBatch ? index : undefined,
      );
    }
  });
  return { events, duplicates };
}

/** Validates one event; adds its problems to `issues` and returns its envelope when it has none. */
function toEnvelope(
  input: unknown,
  catalog: EventCatalog,
  prefix: string,
  issues: FieldIssue[],
  now: () => Date,
  bounds: EventTimeBounds,
  traceparent: string | undefined,
): EventEnvelope | undefined {
  const field = (name: string) => (prefix ? `${prefix}.${name}` : name);
  const shape = eventInputSchema.safeParse(input);
  if (!shape.success) {
    issues.push(...zodIssues(shape.error, prefix));
    return undefined;
  }
  const { type, source, subject, data, id, time } = shape.data;

  const typeProblem = typeIssue(type, catalog);
  if (typeProblem) {
    issues.push({ field: field('type'), message: typeProblem });
    return undefined;
  }
  const validated = catalog.definition(type).schema.safeParse(data);
  if (!validated.success) {
    issues.push(...zodIssues(validated.error, field('data')));
    return undefined;
  }
  const timeIssues = eventTimeIssues(time, catalog.eventTimes(type, validated.data), now(), bounds, field);
  if (timeIssues.length > 0) {
    issues.push(...timeIssues);
    return undefined;
  }
  return createEnvelope(
    {
      type,
      source,
      subject,
      data: validated.data,
      id,
      time,
      partitionkey: catalog.partitionKey(type, validated.data, subject),
      ...(traceparent ? { traceparent } : {}),
    },
    now,
  );
}

/** Why `POST /events` refuses this type, or `undefined` when it accepts it. */
function typeIssue(type: string, catalog: EventCatalog): string | undefined {
  const accepted = catalog.types('telemetry').join(', ');
  if (!catalog.has(type)) return `unknown event type "${type}"; POST /events accepts: ${accepted}`;
  switch (catalog.definition(type).kind) {
    case 'telemetry':
      return undefined;
    case 'domain':
      return `"${type}" is a domain event, stored only through the command routes (${COMMAND_ROUTES}); POST /events accepts: ${accepted}`;
    case 'integration':
      return `"${type}" is produced by sluice itself and cannot be posted; POST /events accepts: ${accepted}`;
  }
}

/** The event times of one event that lie outside the bounds: the envelope `time` and the data's own. */
function eventTimeIssues(
  time: string | undefined,
  dataTimes: Readonly<Record<string, string>>,
  now: Date,
  bounds: EventTimeBounds,
  field: (name: string) => string,
): FieldIssue[] {
  const times: [string, string][] = [
    ...(time === undefined ? [] : [['time', time] as [string, string]]),
    ...Object.entries(dataTimes).map(([name, value]): [string, string] => [`data.${name}`, value]),
  ];
  return times.flatMap(([name, value]) => {
    const message = eventTimeIssue(value, now, bounds);
    return message ? [{ field: field(name), message }] : [];
  });
}

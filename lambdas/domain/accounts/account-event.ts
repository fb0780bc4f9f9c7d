import * as z from '../../shared/zod';
import { EventCatalog } from '../../shared/catalog';
import { type EventEnvelope, zodIssues } from '../../shared/envelope';
import { ValidationError } from '../../shared/errors';
import { UntrustedAccountEventError } from './errors';
import type { StoredEvent } from '../../shared/event-store/port';
import { storedEventToEnvelope } from '../../shared/event-store/stored-event';
import {
  ACCOUNT_EVENT_SOURCE,
  ACCOUNT_EVENT_TYPES,
  type AccountDepositedV2,
  type AccountEventType,
  type AccountOpenedV1,
  type AccountWithdrawnV1,
  accountDepositedV2Schema,
  accountEventDefinitions,
  accountOpenedV1Schema,
  accountWithdrawnV1Schema,
} from './events';

interface AccountEventBase {
  readonly eventId: string;
  /** The account's version after this event (the stream version). */
  readonly version: number;
  /** ISO 8601 time the event happened. */
  readonly time: string;
}

/** An account domain event with its position in the account's history, typed by `type`. */
export type AccountEvent =
  | (AccountEventBase & { readonly type: typeof ACCOUNT_EVENT_TYPES.opened; readonly data: AccountOpenedV1 })
  | (AccountEventBase & { readonly type: typeof ACCOUNT_EVENT_TYPES.deposited; readonly data: AccountDepositedV2 })
  | (AccountEventBase & { readonly type: typeof ACCOUNT_EVENT_TYPES.withdrawn; readonly data: AccountWithdrawnV1 });

/** An account event before it is stored: what a command decides. */
export type AccountEventDraft = Pick<AccountEvent, 'type' | 'data'>;

const ACCOUNT_TYPES: readonly string[] = Object.values(ACCOUNT_EVENT_TYPES);

/**
 * The account events' own catalog (the same definitions `sluiceCatalog` holds), so the domain can
 * upcast stored history without knowing about cards or the stream.
 */
const accountCatalog = new EventCatalog(accountEventDefinitions);

/** True for the three current account domain event types (after upcasting: never a superseded version). */
export function isAccountEventType(type: string): type is AccountEventType {
  return ACCOUNT_TYPES.includes(type);
}

type RawAccountEvent = AccountEventBase & { readonly type: string; readonly data: unknown };

/**
 * Validates an event of the account's history, already at its current type version, into an
 * {@link AccountEvent}. Use {@link accountEventFromStored} or {@link accountEventFromEnvelope} for
 * events that may be of an older version: they upcast first.
 *
 * @throws {ValidationError} for another type or data that does not fit the type's schema.
 */
export function parseAccountEvent(raw: RawAccountEvent): AccountEvent {
  const base = { eventId: raw.eventId, version: raw.version, time: raw.time };
  switch (raw.type) {
    case ACCOUNT_EVENT_TYPES.opened:
      return { ...base, type: raw.type, data: validData(accountOpenedV1Schema, raw) };
    case ACCOUNT_EVENT_TYPES.deposited:
      return { ...base, type: raw.type, data: validData(accountDepositedV2Schema, raw) };
    case ACCOUNT_EVENT_TYPES.withdrawn:
      return { ...base, type: raw.type, data: validData(accountWithdrawnV1Schema, raw) };
    default:
      throw new ValidationError(`event ${raw.eventId} is a ${raw.type}, not an account event`, [
        { field: 'type', message: `must be one of ${ACCOUNT_TYPES.join(', ')}` },
      ]);
  }
}

function validData<T>(schema: z.core.$ZodType<T>, raw: RawAccountEvent): T {
  const result = z.safeParse(schema, raw.data);
  if (!result.success) {
    throw new ValidationError(`event ${raw.eventId} does not match the schema of ${raw.type}`, zodIssues(result.error, 'data'));
  }
  return result.data;
}

/**
 * The account event held by a stored event, upcast to the current version of its type: the same
 * path the stream takes (the envelope the outbox relay publishes, then the catalog), so a fold, a
 * projection and a replay all see one shape of history.
 *
 * @example
 * accountEventFromStored(depositedV1).data // { accountId, amount, channel: 'unknown' }
 * @throws {ValidationError} or {UnknownEventTypeError} when the stored event is not a valid account event.
 */
export function accountEventFromStored(stored: StoredEvent): AccountEvent {
  return accountEventFromEnvelope(storedEventToEnvelope(stored));
}

/**
 * The account event carried by an envelope (e.g. one read from Kinesis), upcast to the current
 * version of its type, once its envelope shows it came from the outbox (the relay publishes every
 * stored event with source {@link ACCOUNT_EVENT_SOURCE}, the account as subject and its `streamversion`).
 *
 * @throws {UntrustedAccountEventError} when the source, subject or `streamversion` is not the
 * outbox's; {ValidationError} when it is not an account event or its data is invalid;
 * {UnknownEventTypeError} for a type no catalog version knows.
 */
export function accountEventFromEnvelope(envelope: EventEnvelope): AccountEvent {
  if (envelope.source !== ACCOUNT_EVENT_SOURCE) {
    throw new UntrustedAccountEventError(envelope.id, `its source is ${JSON.stringify(envelope.source)}, not ${ACCOUNT_EVENT_SOURCE}`);
  }
  if (envelope.streamversion === undefined) {
    throw new UntrustedAccountEventError(envelope.id, 'it has no streamversion; every stored account event carries its version');
  }
  const event = accountCatalog.has(envelope.type) ? parseAccountEvent(rawOf(accountCatalog.parse(envelope))) : parseAccountEvent(rawOf(envelope));
  if (envelope.subject !== event.data.accountId) {
    throw new UntrustedAccountEventError(envelope.id, `its subject ${JSON.stringify(envelope.subject)} is not its account ${event.data.accountId}`);
  }
  return event;
}

function rawOf(envelope: EventEnvelope): RawAccountEvent {
  return { eventId: envelope.id, version: envelope.streamversion ?? 0, time: envelope.time, type: envelope.type, data: envelope.data };
}

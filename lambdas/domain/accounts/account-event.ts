import type { z } from 'zod';
import { type EventEnvelope, zodIssues } from '../../shared/envelope';
import { ValidationError } from '../../shared/errors';
import type { StoredEvent } from '../../shared/event-store/port';
import {
  ACCOUNT_EVENT_TYPES,
  type AccountDepositedV1,
  type AccountEventType,
  type AccountOpenedV1,
  type AccountWithdrawnV1,
  accountDepositedV1Schema,
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
  | (AccountEventBase & { readonly type: typeof ACCOUNT_EVENT_TYPES.deposited; readonly data: AccountDepositedV1 })
  | (AccountEventBase & { readonly type: typeof ACCOUNT_EVENT_TYPES.withdrawn; readonly data: AccountWithdrawnV1 });

/** An account event before it is stored: what a command decides. */
export type AccountEventDraft = Pick<AccountEvent, 'type' | 'data'>;

const ACCOUNT_TYPES: readonly string[] = Object.values(ACCOUNT_EVENT_TYPES);

/** True for the three account domain event types. */
export function isAccountEventType(type: string): type is AccountEventType {
  return ACCOUNT_TYPES.includes(type);
}

type RawAccountEvent = AccountEventBase & { readonly type: string; readonly data: unknown };

/**
 * Validates an event of the account's history into an {@link AccountEvent}.
 *
 * @throws {ValidationError} for another type or data that does not fit the type's schema.
 */
export function parseAccountEvent(raw: RawAccountEvent): AccountEvent {
  const base = { eventId: raw.eventId, version: raw.version, time: raw.time };
  switch (raw.type) {
    case ACCOUNT_EVENT_TYPES.opened:
      return { ...base, type: raw.type, data: validData(accountOpenedV1Schema, raw) };
    case ACCOUNT_EVENT_TYPES.deposited:
      return { ...base, type: raw.type, data: validData(accountDepositedV1Schema, raw) };
    case ACCOUNT_EVENT_TYPES.withdrawn:
      return { ...base, type: raw.type, data: validData(accountWithdrawnV1Schema, raw) };
    default:
      throw new ValidationError(`event ${raw.eventId} is a ${raw.type}, not an account event`, [
        { field: 'type', message: `must be one of ${ACCOUNT_TYPES.join(', ')}` },
      ]);
  }
}

function validData<T>(schema: z.ZodType<T>, raw: RawAccountEvent): T {
  const result = schema.safeParse(raw.data);
  if (!result.success) {
    throw new ValidationError(`event ${raw.eventId} does not match the schema of ${raw.type}`, zodIssues(result.error, 'data'));
  }
  return result.data;
}

/** The account event held by a stored event. @throws {ValidationError} */
export function accountEventFromStored(stored: StoredEvent): AccountEvent {
  return parseAccountEvent({ eventId: stored.eventId, version: stored.version, time: stored.time, type: stored.type, data: stored.data });
}

/**
 * The account event carried by an envelope (e.g. one read from Kinesis).
 *
 * @throws {ValidationError} when it is not an account event or has no `streamversion`.
 */
export function accountEventFromEnvelope(envelope: EventEnvelope): AccountEvent {
  if (envelope.streamversion === undefined) {
    throw new ValidationError(`event ${envelope.id} has no streamversion; account events always carry their version`, [
      { field: 'streamversion', message: 'is required for account events' },
    ]);
  }
  return parseAccountEvent({ eventId: envelope.id, version: envelope.streamversion, time: envelope.time, type: envelope.type, data: envelope.data });
}

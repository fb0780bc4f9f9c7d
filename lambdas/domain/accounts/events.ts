import * as z from '../../shared/zod';
import type { EventDefinition } from '../../shared/catalog';
import type { EventEnvelope } from '../../shared/envelope';
import { freeText } from '../../shared/input-rules';

/**
 * Current types of the account's domain events: what commands write now and what every consumer
 * sees after the catalog has upcast older versions. Only the event store (command routes) produces them.
 */
export const ACCOUNT_EVENT_TYPES = {
  opened: 'sluice.account.opened.v1',
  deposited: 'sluice.account.deposited.v2',
  withdrawn: 'sluice.account.withdrawn.v1',
} as const;

/**
 * Superseded account event types: still in the store (events are immutable), never written again,
 * upcast by the catalog whenever they are read.
 */
export const HISTORICAL_ACCOUNT_EVENT_TYPES = {
  depositedV1: 'sluice.account.deposited.v1',
} as const;

/** Type of the integration event carrying the full account state (Event-Carried State Transfer). */
export const ACCOUNT_STATE_CHANGED_TYPE = 'sluice.account.state-changed.v1';

/** Envelope `source` of the events the command function stores. */
export const ACCOUNT_EVENT_SOURCE = 'sluice/accounts';

export type AccountEventType = (typeof ACCOUNT_EVENT_TYPES)[keyof typeof ACCOUNT_EVENT_TYPES];

/** Caller-chosen or generated (ULID) account ids: URL- and key-safe. */
export const accountIdSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, "_" or "-"'));

/** The account holder's name: free text (no control or bidi formatting characters; see the input rules). */
export const ownerSchema = freeText(1, 200, { trim: true });

export const currencySchema = z.string().check(z.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code of 3 uppercase letters, e.g. EUR'));

/** Money is a positive integer in minor units (cents), safe for JavaScript arithmetic. */
export const amountSchema = z.int('must be an integer amount in minor units (cents), e.g. 1250 for 12.50').check(z.positive('must be greater than 0'));

const isoTime = z.iso.datetime({ offset: true });

export const accountOpenedV1Schema = z.object({ accountId: accountIdSchema, owner: ownerSchema, currency: currencySchema });
export const accountDepositedV1Schema = z.object({ accountId: accountIdSchema, amount: amountSchema });

/** How a deposit came in: `api` = `POST /accounts/{id}/deposits`; `unknown` = recorded before v2 said. */
export const DEPOSIT_CHANNELS = ['api', 'transfer', 'unknown'] as const;
export type DepositChannel = (typeof DEPOSIT_CHANNELS)[number];

/** The payer's free-text reference for a deposit (shown on statements), at most 140 characters like a SEPA remittance line. */
export const referenceSchema = freeText(1, 140, { trim: true });

export const accountDepositedV2Schema = z.object({
  accountId: accountIdSchema,
  amount: amountSchema,
  reference: z.optional(referenceSchema),
  channel: z.enum(DEPOSIT_CHANNELS),
});
export const accountWithdrawnV1Schema = z.object({ accountId: accountIdSchema, amount: amountSchema });
export const accountStateChangedV1Schema = z.object({
  accountId: accountIdSchema,
  owner: ownerSchema,
  currency: currencySchema,
  balance: z.int().check(z.nonnegative()),
  version: z.int().check(z.positive()),
  openedAt: isoTime,
  updatedAt: isoTime,
});

export type AccountOpenedV1 = z.infer<typeof accountOpenedV1Schema>;
export type AccountDepositedV1 = z.infer<typeof accountDepositedV1Schema>;
export type AccountDepositedV2 = z.infer<typeof accountDepositedV2Schema>;
export type AccountWithdrawnV1 = z.infer<typeof accountWithdrawnV1Schema>;
export type AccountStateChangedV1 = z.infer<typeof accountStateChangedV1Schema>;

const byAccountId = (data: { accountId: string }): string => data.accountId;

export const accountOpenedV1: EventDefinition<AccountOpenedV1> = {
  type: ACCOUNT_EVENT_TYPES.opened,
  kind: 'domain',
  description: 'An account was opened for an owner, in one currency, with a zero balance.',
  schema: accountOpenedV1Schema,
  partitionKey: byAccountId,
};

/**
 * v1 → v2: a v1 deposit did not record how the money came in, so its channel is `unknown` (not
 * `api`: guessing would put a fact into history that nobody recorded) and it has no reference.
 */
export function upcastDepositedV1(event: EventEnvelope<AccountDepositedV1>): EventEnvelope<AccountDepositedV2> {
  return { ...event, type: ACCOUNT_EVENT_TYPES.deposited, data: { accountId: event.data.accountId, amount: event.data.amount, channel: 'unknown' } };
}

export const accountDepositedV1: EventDefinition<AccountDepositedV1> = {
  type: HISTORICAL_ACCOUNT_EVENT_TYPES.depositedV1,
  kind: 'domain',
  description: 'Superseded by v2 (no longer written): money (a positive amount in minor units) was paid into an account. Upcast to v2 with channel "unknown".',
  schema: accountDepositedV1Schema,
  partitionKey: byAccountId,
  upcast: upcastDepositedV1,
  upcastsTo: ACCOUNT_EVENT_TYPES.deposited,
};

export const accountDepositedV2: EventDefinition<AccountDepositedV2> = {
  type: ACCOUNT_EVENT_TYPES.deposited,
  kind: 'domain',
  description:
    'Money (a positive amount in minor units) was paid into an account, with the channel it came through (api, transfer, unknown) and an optional payer reference.',
  schema: accountDepositedV2Schema,
  partitionKey: byAccountId,
};

export const accountWithdrawnV1: EventDefinition<AccountWithdrawnV1> = {
  type: ACCOUNT_EVENT_TYPES.withdrawn,
  kind: 'domain',
  description: 'Money (a positive amount in minor units, never more than the balance) was taken out of an account.',
  schema: accountWithdrawnV1Schema,
  partitionKey: byAccountId,
};

export const accountStateChangedV1: EventDefinition<AccountStateChangedV1> = {
  type: ACCOUNT_STATE_CHANGED_TYPE,
  kind: 'integration',
  description: 'The full state of an account after one of its events, for downstream replicas (newer version wins).',
  schema: accountStateChangedV1Schema,
  partitionKey: byAccountId,
};

/** Every account event type and version sluice knows: the domain events (with superseded versions) and the state-changed integration event. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- EventDefinition<T> is invariant in T; `any` lets one list hold every type's definition
export const accountEventDefinitions: readonly EventDefinition<any>[] = [
  accountOpenedV1,
  accountDepositedV1,
  accountDepositedV2,
  accountWithdrawnV1,
  accountStateChangedV1,
];

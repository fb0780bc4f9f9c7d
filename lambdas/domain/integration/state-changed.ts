import { ACCOUNT_STATE_CHANGED_TYPE, type AccountStateChangedV1, type OpenAccount } from '../accounts';
import { createEnvelope, type EventEnvelope } from '../../shared/envelope';
import { deriveEventId } from '../../shared/ids';

/** Envelope `source` of the state-changed events the state-transfer function emits. */
export const STATE_TRANSFER_SOURCE = 'sluice/state-transfer';

/**
 * The fat `sluice.account.state-changed.v1` event for the account as of one of its events
 * (Event-Carried State Transfer: the receiver needs no call back to sluice).
 *
 * Its id and time are derived from the source event, so a retried or replayed source event yields
 * the very same envelope and downstream deduplication works.
 *
 * @example
 * stateChangedEvent(depositedEnvelope, accountAfterDeposit) // data: { accountId, balance, version, … }
 */
export function stateChangedEvent(source: EventEnvelope, account: OpenAccount): EventEnvelope<AccountStateChangedV1> {
  const data: AccountStateChangedV1 = {
    accountId: account.accountId,
    owner: account.owner,
    currency: account.currency,
    balance: account.balance,
    version: account.version,
    openedAt: account.openedAt,
    updatedAt: account.updatedAt,
  };
  return createEnvelope({
    id: deriveEventId(Date.parse(source.time), `state-changed:${source.id}`),
    type: ACCOUNT_STATE_CHANGED_TYPE,
    source: STATE_TRANSFER_SOURCE,
    subject: account.accountId,
    time: source.time,
    data,
    partitionkey: account.accountId,
    streamversion: account.version,
    // The same trace as the event it carries the state of: one id from the API to the replica.
    ...(source.traceparent === undefined ? {} : { traceparent: source.traceparent }),
  });
}

/** The FIFO message attributes of a state-changed event: ordered per account, deduplicated per version. */
export function stateChangedMessageKeys(event: EventEnvelope<AccountStateChangedV1>): { groupId: string; deduplicationId: string } {
  return { groupId: event.data.accountId, deduplicationId: `${event.data.accountId}#${event.data.version}` };
}

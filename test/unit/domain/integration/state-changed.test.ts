import { foldAccount } from '../../../../lambdas/domain/accounts';
import { accountAtEvent, STATE_TRANSFER_SOURCE, stateChangedEvent, stateChangedMessageKeys } from '../../../../lambdas/domain/integration';
import { parseEnvelope } from '../../../../lambdas/shared/envelope';
import { sluiceCatalog } from '../../../../lambdas/domain/catalog';
import { accountEnvelope } from '../../../helpers/account-envelopes';
import { history } from '../../../helpers/account-events';
import { InMemoryEventStore, InMemorySnapshotStore } from '../../../helpers/in-memory-event-store';

const account = history().opened('Ada', 'EUR').deposit(1_000).withdraw(300).deposit(50);

function storeWith(events = account.stored()) {
  const eventStore = new InMemoryEventStore();
  eventStore.seed(events);
  return { eventStore, snapshotStore: new InMemorySnapshotStore() };
}

describe('accountAtEvent', () => {
  it('returns the account as of the event, not as of now', async () => {
    const state = await accountAtEvent(storeWith(), accountEnvelope(account.events[1]));
    expect(state).toMatchObject({ status: 'open', version: 2, balance: 1_000 });
  });

  it('refuses as untrusted an event the store does not hold at the version it claims (reads are consistent, after the outbox)', async () => {
    const deps = storeWith(account.stored().slice(0, 2));
    await expect(accountAtEvent(deps, accountEnvelope(account.events[3]))).rejects.toMatchObject({ code: 'untrusted_event' });
  });
});

describe('stateChangedEvent', () => {
  const source = accountEnvelope(account.events[2]);
  const state = foldAccount(account.events.slice(0, 3));
  if (state.status !== 'open') throw new Error('test setup: account is not open');

  it('carries the full account state as a catalogued state-changed event', () => {
    const event = stateChangedEvent(source, state);

    expect(sluiceCatalog.parse(parseEnvelope(JSON.parse(JSON.stringify(event))))).toEqual(event);
    expect(event).toMatchObject({
      type: 'sluice.account.state-changed.v1',
      source: STATE_TRANSFER_SOURCE,
      subject: 'acc-1',
      partitionkey: 'acc-1',
      streamversion: 3,
      time: source.time,
      data: { accountId: 'acc-1', owner: 'Ada', currency: 'EUR', balance: 700, version: 3, openedAt: state.openedAt, updatedAt: state.updatedAt },
    });
  });

  it('derives the same id from the same source event, and another from another', () => {
    const again = stateChangedEvent({ ...source }, state);
    const other = stateChangedEvent(accountEnvelope(account.events[1]), state);
    expect(stateChangedEvent(source, state).id).toBe(again.id);
    expect(other.id).not.toBe(again.id);
    expect(again.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('groups FIFO messages by account and deduplicates by account and version', () => {
    expect(stateChangedMessageKeys(stateChangedEvent(source, state))).toEqual({ groupId: 'acc-1', deduplicationId: 'acc-1#3' });
  });
});

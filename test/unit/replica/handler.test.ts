import { foldAccount } from '../../../lambdas/domain/accounts';
import { stateChangedEvent } from '../../../lambdas/domain/integration';
import { createReplicaHandler } from '../../../lambdas/replica/handler';
import { isNewerThanReplica, type ReplicaRow, type ReplicaStore, type ReplicaWriteOutcome } from '../../../lambdas/replica/replica-row';
import { logger } from '../../../lambdas/shared/observability';
import { accountEnvelope } from '../../helpers/account-envelopes';
import { history } from '../../helpers/account-events';
import { sqsEvent, sqsRecordOf } from '../../helpers/sqs-records';
import { FakeDeadLetterQueue } from '../../helpers/fake-dead-letter-queue';

beforeAll(() => logger.setLogLevel('SILENT'));

const NOW = new Date('2025-01-01T11:00:00.000Z');

/** The replica table in memory, applying the same newer-wins rule as the DynamoDB condition. */
class InMemoryReplicaStore implements ReplicaStore {
  public readonly rows = new Map<string, ReplicaRow>();
  public failFor?: string;
  /** Every put asked for, as `accountId@version`. */
  public readonly puts: string[] = [];

  public async putIfNewer(row: ReplicaRow): Promise<ReplicaWriteOutcome> {
    this.puts.push(`${row.accountId}@${row.version}`);
    if (row.accountId === this.failFor) throw new Error('ProvisionedThroughputExceededException');
    if (!isNewerThanReplica(this.rows.get(row.accountId)?.version, row.version)) return 'stale';
    this.rows.set(row.accountId, row);
    return 'written';
  }
}

/** The state-transfer message for version `version` of an account with the given history. */
function messageFor(events: ReturnType<typeof history>['events'], version: number) {
  const state = foldAccount(events.slice(0, version));
  if (state.status !== 'open') throw new Error('test setup: account is not open');
  const envelope = stateChangedEvent(accountEnvelope(events[version - 1]), state);
  return sqsRecordOf(envelope, { groupId: state.accountId, deduplicationId: `${state.accountId}#${version}` });
}

const a = history('acc-a').opened('Ada', 'EUR').deposit(100).deposit(50).events;
const b = history('acc-b').opened('Bob', 'USD').deposit(7).events;

function setup() {
  const store = new InMemoryReplicaStore();
  return { store, replicate: createReplicaHandler({ store, clock: () => NOW }) };
}

describe('isNewerThanReplica', () => {
  it.each([
    [undefined, 1, true],
    [1, 2, true],
    [2, 2, false],
    [3, 2, false],
  ])('replica at %s, incoming %i → %s', (replica, incoming, expected) => {
    expect(isNewerThanReplica(replica, incoming)).toBe(expected);
  });
});

describe('replica', () => {
  it('writes the transferred state with the time it was replicated', async () => {
    const { store, replicate } = setup();

    const newest = messageFor(a, 2);
    const response = await replicate(sqsEvent(messageFor(a, 1), newest));

    expect(response.batchItemFailures).toEqual([]);
    expect(store.rows.get('acc-a')).toEqual(
      expect.objectContaining({ accountId: 'acc-a', owner: 'Ada', currency: 'EUR', balance: 100, version: 2, replicatedAt: NOW.toISOString() }),
    );
    // When state-transfer sent the newest message: the queue hop `sluice trace` shows.
    expect(store.rows.get('acc-a')?.queuedAt).toBe(new Date(Number(newest.attributes.SentTimestamp)).toISOString());
  });

  it('writes each account once per batch, with its newest version only', async () => {
    const { store, replicate } = setup();

    const response = await replicate(sqsEvent(messageFor(a, 1), messageFor(b, 1), messageFor(a, 2), messageFor(b, 2), messageFor(a, 3)));

    expect(response.batchItemFailures).toEqual([]);
    expect(store.puts.sort()).toEqual(['acc-a@3', 'acc-b@2']);
    expect(store.rows.get('acc-a')).toMatchObject({ version: 3, balance: 150 });
  });

  it('keeps the newer version when an older one arrives late, and acknowledges the old one', async () => {
    const { store, replicate } = setup();

    await replicate(sqsEvent(messageFor(a, 3)));
    const response = await replicate(sqsEvent(messageFor(a, 2), messageFor(a, 3)));

    expect(response.batchItemFailures).toEqual([]);
    expect(store.rows.get('acc-a')).toMatchObject({ version: 3, balance: 150 });
  });

  // Lambda deletes every message of a FIFO batch that the function does not report, so the handler
  // must report the failed message and every later one of its group ("If you're using this feature
  // with a FIFO queue, your function should stop processing messages after the first failure and
  // return all failed and unprocessed messages in batchItemFailures" — Handling errors for an SQS
  // event source in Lambda); other groups may carry on.
  it('stops the rest of a failed account’s messages but carries on with other accounts', async () => {
    const { store, replicate } = setup();
    store.failFor = 'acc-a';
    const a1 = messageFor(a, 1);
    const a2 = messageFor(a, 2);

    const response = await replicate(sqsEvent(a1, messageFor(b, 1), a2, messageFor(b, 2)));

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: a1.messageId }, { itemIdentifier: a2.messageId }]);
    expect(store.rows.get('acc-b')).toMatchObject({ version: 2 });
  });

  it('fails a message that is not a state-changed event', async () => {
    const { replicate } = setup();
    const stray = sqsRecordOf(accountEnvelope(a[0]), { groupId: 'acc-a' });

    const response = await replicate(sqsEvent(stray, messageFor(b, 1)));

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: stray.messageId }]);
  });

  it('moves a message that is not a state-changed event to the DLQ with the reason, keeping its group, and carries on with the group', async () => {
    const store = new InMemoryReplicaStore();
    const deadLetters = new FakeDeadLetterQueue();
    const replicate = createReplicaHandler({ store, clock: () => NOW, deadLetters });
    const stray = sqsRecordOf(accountEnvelope(a[0]), { groupId: 'acc-a' });

    const response = await replicate(sqsEvent(stray, messageFor(a, 2)));

    expect(response.batchItemFailures).toEqual([]);
    expect(store.rows.get('acc-a')).toMatchObject({ version: 2 });
    expect(deadLetters.messages).toEqual([
      expect.objectContaining({
        body: stray.body,
        groupId: 'acc-a',
        deduplicationId: stray.messageId,
        attributes: expect.objectContaining({ reason: 'unexpected_event_type', consumer: 'replica', sourceMessageId: stray.messageId }),
      }),
    ]);
  });

  it('keeps failing a transient error, never moving it to the DLQ', async () => {
    const store = new InMemoryReplicaStore();
    store.failFor = 'acc-b';
    const deadLetters = new FakeDeadLetterQueue();
    const message = messageFor(b, 1);

    const response = await createReplicaHandler({ store, clock: () => NOW, deadLetters })(sqsEvent(message, messageFor(a, 1)));

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: message.messageId }]);
    expect(deadLetters.messages).toEqual([]);
  });
});

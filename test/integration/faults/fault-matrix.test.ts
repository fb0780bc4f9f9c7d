/**
 * The fault matrix, end to end on the suite's local cloud: each scenario injects one kind of
 * fault through the endpoint's chaos API (or delivers records by hand through the real Kinesis
 * and Lambda APIs) and checks that events in = events applied + events in a DLQ, with nothing
 * applied twice. Each records its row in `.sluice/fault-matrix.md`.
 */
import { DescribeStreamSummaryCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { InvokeCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { BatchGetCommand, DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { compareSequenceNumbers } from '../../../local/mappings/stream-planning';
import { accountAtEvent, composeNotification, stateChangedEvent, stateChangedMessageKeys } from '../../../lambdas/domain/integration';
import { createEnvelope, parseEnvelope, type EventEnvelope } from '../../../lambdas/shared/envelope';
import { DynamoDbEventStore } from '../../../lambdas/shared/event-store/dynamodb-event-store';
import { DynamoDbSnapshotStore } from '../../../lambdas/shared/event-store/dynamodb-snapshot-store';
import { kinesisLambdaEvent, sqsLambdaEvent, type ShardRecord } from '../../support/factories/lambda-events';
import { eventually } from '../support/eventually';
import { isExternalTarget, waitSettled } from '../support/settled';
import { clients, output } from '../support/target';
import { chaos } from './support/chaos';
import { namesAnyOf, type StreamPosition } from './support/dead-letter-ranges';
import { recordFaultMatrixRow } from './support/fault-matrix';
import { globalDeployment } from './support/global-deployment';
import {
  deadLettersAbout,
  dlqOutputs,
  positionsOf,
  queueDepth,
  readModelVersusStore,
  readWholeQueue,
  replicaRow,
  storedEvents,
  streamRecordsOf,
  total,
  uniqueId,
  unpublished,
  type Deployment,
  type StoredEvent,
} from './support/pipeline';
import { queueArn, receivedAsSqsDelivers } from './support/received-messages';
import { startSampler, type Samples } from './support/sampler';

const STREAM_CONSUMER_DLQS = ['ProjectorDlqUrl', 'NotifierDlqUrl', 'StateTransferConsumerDlqUrl', 'FraudDetectorDlqUrl'] as const;
const lambda = new LambdaClient({ region: process.env.AWS_REGION ?? 'us-east-1' });
let d: Deployment;

beforeAll(() => {
  d = globalDeployment();
});
afterEach(() => chaos.clear());
afterAll(() => lambda.destroy());

async function functionName(logicalPrefix: string): Promise<string> {
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(new ListFunctionsCommand({ Marker: marker }));
    names.push(...(page.Functions ?? []).map((f) => f.FunctionName!));
    marker = page.NextMarker;
  } while (marker);
  const found = names.find((name) => name.includes(`-${logicalPrefix}`));
  if (!found) throw new Error(`no function named like ${logicalPrefix} (have ${names.join(', ')})`);
  return found;
}

async function openAccount(accountId = uniqueId('fm'), owner = 'Ada'): Promise<string> {
  const { status, body } = await d.api('POST', '/accounts', { accountId, owner, currency: 'EUR' });
  expect(status).toBe(201);
  return body.accountId;
}

async function deposit(accountId: string, amount: number): Promise<void> {
  const { status } = await d.api('POST', `/accounts/${accountId}/deposits`, { amount });
  expect(status).toBe(201);
}

/** Waits until the pipeline has settled, then checks the read model equals the fold of the event store for every account, and returns the comparison. */
async function converged(accountIds: readonly string[], timeoutSeconds = 90) {
  return waitSettled({
    probe: () => Promise.all(accountIds.map((accountId) => readModelVersusStore(d, accountId))),
    until: (results) => results.every((r) => r.converged),
    what: `read model of ${accountIds.join(', ')} = fold of its events`,
    timeoutSeconds,
  });
}

/**
 * What became of the accounts' events besides the read model: the DLQ messages about them in
 * every DLQ (a stream record counts when any part of a message's range covers it) and the stored
 * events the relay never put on the stream. The projector fills gaps from the event store, so a
 * converged read model alone cannot show a dead-lettered or unpublished record; these can.
 */
async function lossesOf(accounts: ReadonlyArray<{ accountId: string; events: readonly StoredEvent[] }>) {
  const records = await streamRecordsOf(
    d,
    accounts.map((a) => a.accountId),
  );
  const perDlq = await deadLettersAbout(d, { positions: positionsOf(records), accountIds: accounts.map((a) => a.accountId) });
  return { perDlq, inDlq: total(perDlq), unpublished: accounts.flatMap((a) => unpublished(a.events, records)), records };
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** Every DLQ at 0: the expected value of `perDlq` when nothing was dead-lettered. */
function noDeadLetters(): Record<string, number> {
  return Object.fromEntries(dlqOutputs(d).map((dlq) => [dlq, 0]));
}

/** The envelopes the stream records carry, checked as the consumers check them. */
function envelopesOf(records: readonly ShardRecord[]): EventEnvelope[] {
  return records.map(({ record }) => parseEnvelope(JSON.parse(Buffer.from(record.Data!).toString('utf8'))));
}

async function streamArn(): Promise<string> {
  const { StreamDescriptionSummary } = await clients.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: output('EventsStreamName') }));
  return StreamDescriptionSummary!.StreamARN!;
}

async function invokeTwice(name: string, event: unknown): Promise<unknown[]> {
  return invoke(name, event, 2);
}

/** Invokes a function `times` times with the same event (RequestResponse) and returns its answers. */
async function invoke(name: string, event: unknown, times = 1): Promise<any[]> {
  const payloads = [];
  for (let i = 0; i < times; i++) {
    const response = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)) }));
    expect(response.StatusCode).toBe(200);
    expect(response.FunctionError).toBeUndefined();
    payloads.push(JSON.parse(Buffer.from(response.Payload!).toString('utf8')));
  }
  return payloads;
}

// Local only (and left out of test:aws / test:localstack): the scenarios inject faults through the
// local endpoint's chaos API, invoke consumers by hand and read whole DLQs.
const describeLocalOnly = isExternalTarget() ? describe.skip : describe;

describeLocalOnly('fault matrix', () => {
  it('a. a consumer throws mid-batch: a transient DynamoDB fault on the projector heals on retry', async () => {
    const [faulty, other] = [await openAccount(), await openAccount()];
    const writeFails = { statusCode: 500, code: 'InternalServerError', message: 'injected: projector write fails' };
    const [rule] = await chaos.add([
      { service: 'dynamodb', operation: 'PutItem', match: [output('BalancesTableName'), faulty], times: 4, error: writeFails },
      // A batch of both accounts commits their balance rows in one transaction: refused, each row is put on its own.
      { service: 'dynamodb', operation: 'TransactWriteItems', match: [output('BalancesTableName'), faulty], error: writeFails },
    ]);
    for (let i = 1; i <= 6; i++) {
      await Promise.all([deposit(faulty, 100 * i), deposit(other, 10 * i)]);
    }
    const [a, b] = await converged([faulty, other]);
    // Used up (4 hits) and removed: the projector really failed and retried.
    expect(await chaos.hits(rule.id)).toBeUndefined();
    const losses = await lossesOf([
      { accountId: faulty, events: a.events },
      { accountId: other, events: b.events },
    ]);
    expect(a.rows.map((r) => r.version)).toEqual(a.events.map((e) => e.version));
    expect(a.balance).toMatchObject({ balance: 2100, version: 7 });
    expect(b.balance).toMatchObject({ balance: 210, version: 7 });
    const row = {
      scenario: 'a. consumer throws mid-batch',
      eventsIn: a.events.length + b.events.length,
      applied: a.applied + b.applied,
      inDlq: losses.inDlq,
      duplicates: a.duplicates + b.duplicates,
      note: 'balance PutItem 500 ×4 for one account',
    };
    recordFaultMatrixRow(row);
    expect(losses.unpublished).toEqual([]);
    expect(losses.perDlq).toEqual(noDeadLetters());
    expect(row).toMatchObject({ eventsIn: 14, applied: 14, inDlq: 0, duplicates: 0 });
  });

  it('b. one poison record in a batch of 100: 99 applied, the poison exactly once in each consumer DLQ', async () => {
    const run = uniqueId('poison100');
    const now = Date.now();
    const swipes = Array.from({ length: 99 }, (_, i) => {
      const cardId = `${run}-card-${i}`;
      const envelope = createEnvelope({
        type: 'sluice.card.swiped.v1',
        source: 'test/fault-matrix',
        subject: cardId,
        time: new Date(now).toISOString(),
        data: { cardId, accountId: `${run}-acc`, amount: 100 + i, merchant: 'Corner Cafe', country: 'NL', at: new Date(now + i).toISOString() },
      });
      return { cardId, id: envelope.id, record: { PartitionKey: cardId, Data: Buffer.from(JSON.stringify(envelope)) } };
    });
    const poisonRecord = { PartitionKey: `${run}-poison`, Data: Buffer.from(JSON.stringify({ not: 'an event', run })) };
    const records = [...swipes.slice(0, 50).map((s) => s.record), poisonRecord, ...swipes.slice(50).map((s) => s.record)];
    const put = await clients.kinesis.send(new PutRecordsCommand({ StreamName: output('EventsStreamName'), Records: records }));
    expect(put.FailedRecordCount).toBe(0);
    const positions: StreamPosition[] = put.Records!.map((r) => ({ shardId: r.ShardId!, sequenceNumber: r.SequenceNumber! }));
    const poison = positions[50];
    const good = positions.filter((_, i) => i !== 50);

    const windows = await waitSettled({
      probe: async () => {
        const items: Record<string, any>[] = [];
        for (const chunk of [swipes.slice(0, 50), swipes.slice(50)]) {
          const result = await clients.dynamo.send(
            new BatchGetCommand({ RequestItems: { [output('FraudWindowsTableName')]: { Keys: chunk.map((s) => ({ cardId: s.cardId })), ConsistentRead: true } } }),
          );
          items.push(...(result.Responses?.[output('FraudWindowsTableName')] ?? []));
        }
        return items;
      },
      until: (items) => items.length === 99,
      what: '99 fraud windows',
      timeoutSeconds: 90,
    });
    const swipeIds = new Set(swipes.map((s) => s.id));
    const appliedSwipes = windows.flatMap((w) => (w.swipes as Array<{ eventId: string }>).filter((s) => swipeIds.has(s.eventId)));
    const duplicates = appliedSwipes.length - new Set(appliedSwipes.map((s) => s.eventId)).size;

    const perDlq: Record<string, number> = {};
    for (const dlq of STREAM_CONSUMER_DLQS) {
      // A full read of the queue (checked against its own message count); a message counts when any part of its range covers the record.
      const messages = await waitSettled({
        probe: () => readWholeQueue(d, output(dlq)),
        until: (list) => list.some((m) => namesAnyOf(m.body, [poison])),
        what: `poison record in ${dlq}`,
      });
      perDlq[dlq] = messages.filter((m) => namesAnyOf(m.body, [poison])).length;
      // No valid swipe was sent to the DLQ with it, alone or inside a range.
      expect(messages.filter((m) => namesAnyOf(m.body, good))).toEqual([]);
    }
    expect(perDlq).toEqual(Object.fromEntries(STREAM_CONSUMER_DLQS.map((q) => [q, 1])));
    const row = {
      scenario: 'b. one poison record in a batch of 100',
      eventsIn: 100,
      applied: new Set(appliedSwipes.map((s) => s.eventId)).size,
      inDlq: 1,
      duplicates,
      note: 'poison once in each of the 4 stream consumer DLQs',
    };
    recordFaultMatrixRow(row);
    expect(row).toMatchObject({ applied: 99, duplicates: 0 });
  });

  it('c. the same batch delivered twice: a second delivery changes nothing', async () => {
    const accountId = await openAccount(uniqueId('twice'), 'Grace');
    await deposit(accountId, 5000);
    const { status } = await d.api('POST', `/accounts/${accountId}/withdrawals`, { amount: 1200 });
    expect(status).toBe(201);
    const [before] = await converged([accountId]);
    const replicaBefore = await waitSettled({ probe: () => replicaRow(d, accountId), until: (r) => r?.version === 3, what: 'replica at version 3' });
    const deliveriesOf = async () => {
      const items = [];
      for (const event of before.events.filter((e) => !e.type.includes('.opened.'))) {
        items.push(
          (await clients.dynamo.send(new GetCommand({ TableName: output('DeliveriesTableName'), Key: { notificationId: event.eventId }, ConsistentRead: true })))
            .Item,
        );
      }
      return items;
    };
    const deliveriesBefore = await waitSettled({
      probe: deliveriesOf,
      until: (items) => items.every((i) => i?.status === 'delivered'),
      what: 'deliveries of the deposit and the withdrawal',
    });

    // The same Kinesis batch (the account's records as the stream holds them, in the event the
    // mappings build), twice, to every stream consumer that has an effect on this account.
    const records = await streamRecordsOf(d, [accountId]);
    expect(records).toHaveLength(3);
    const arn = await streamArn();
    for (const prefix of ['ProjectorFunction', 'NotifierFunction', 'StateTransferFunction']) {
      const name = await functionName(prefix);
      const payloads = await invokeTwice(name, kinesisLambdaEvent(records, { streamArn: arn, functionName: name }));
      for (const payload of payloads) expect(payload).toEqual({ batchItemFailures: [] });
    }
    // The same SQS batches, twice, to the queue consumers: the messages the state-transfer function
    // and the notifier send for these events, composed by their own code from the stream's envelopes.
    const [, deposited, withdrawn] = envelopesOf(records);
    const store = {
      eventStore: new DynamoDbEventStore(clients.dynamo, output('EventStoreTableName')),
      snapshotStore: new DynamoDbSnapshotStore(clients.dynamo, output('SnapshotTableName')),
    };
    const stateChanged = stateChangedEvent(withdrawn, await accountAtEvent(store, withdrawn));
    const stateChangedMessages = await receivedAsSqsDelivers(clients.sqs, [{ body: JSON.stringify(stateChanged), ...stateChangedMessageKeys(stateChanged) }]);
    const replicaEvent = sqsLambdaEvent(stateChangedMessages, await queueArn(clients.sqs, output('StateTransferQueueUrl')));
    for (const payload of await invokeTwice(await functionName('ReplicaFunction'), replicaEvent)) {
      expect(payload).toEqual({ batchItemFailures: [] });
    }
    const notification = composeNotification(deposited, await accountAtEvent(store, deposited));
    const notificationMessages = await receivedAsSqsDelivers(clients.sqs, [{ body: JSON.stringify(notification) }]);
    const workerEvent = sqsLambdaEvent(notificationMessages, await queueArn(clients.sqs, output('NotificationsQueueUrl')));
    for (const payload of await invokeTwice(await functionName('NotificationWorkerFunction'), workerEvent)) {
      expect(payload).toEqual({ batchItemFailures: [] });
    }

    // Let whatever the second deliveries queued run through, then compare.
    await waitSettled();
    for (const queue of ['NotificationsQueueUrl', 'StateTransferQueueUrl']) expect(await queueDepth(d, output(queue))).toBe(0);
    const after = await readModelVersusStore(d, accountId);
    expect(after.rows).toEqual(before.rows);
    expect(after.balance).toEqual(before.balance);
    expect(await replicaRow(d, accountId)).toEqual(replicaBefore);
    expect(await deliveriesOf()).toEqual(deliveriesBefore);
    const losses = await lossesOf([{ accountId, events: after.events }]);
    const row = {
      scenario: 'c. the same batch delivered twice',
      eventsIn: before.events.length,
      applied: after.applied,
      inDlq: losses.inDlq,
      duplicates: after.duplicates,
      note: 'projector, notifier, state-transfer, replica, notification-worker each invoked twice',
    };
    recordFaultMatrixRow(row);
    expect(losses.unpublished).toEqual([]);
    expect(losses.perDlq).toEqual(noDeadLetters());
    expect(row).toMatchObject({ eventsIn: 3, applied: 3, inDlq: 0, duplicates: 0 });
  });

  it("d. a function times out: the projector's write is held past its timeout, the retry applies it once", async () => {
    const accountId = await openAccount(uniqueId('timeout'));
    await converged([accountId]);
    // A batch this small is one TransactWriteItems (rows and guarded balance row together), whichever way the projector plans it.
    const [rule] = await chaos.add([
      { service: 'dynamodb', operation: 'TransactWriteItems', match: [output('BalancesTableName'), accountId], times: 1, latencyMs: 31_000 },
    ]);
    for (let i = 1; i <= 4; i++) await deposit(accountId, 25 * i);
    // Settles only after the held write timed the projector out and the retry went through.
    const [result] = await converged([accountId], 110);
    expect(await chaos.hits(rule.id)).toBeUndefined();
    expect(result.balance).toMatchObject({ balance: 250, version: 5 });
    const losses = await lossesOf([{ accountId, events: result.events }]);
    const row = {
      scenario: 'd. a function times out',
      eventsIn: result.events.length,
      applied: result.applied,
      inDlq: losses.inDlq,
      duplicates: result.duplicates,
      note: 'balance TransactWriteItems held 31 s (projector timeout 30 s), then forwarded',
    };
    recordFaultMatrixRow(row);
    expect(losses.unpublished).toEqual([]);
    expect(losses.perDlq).toEqual(noDeadLetters());
    expect(row).toMatchObject({ eventsIn: 5, applied: 5, inDlq: 0, duplicates: 0 });
  }, 180_000);

  it('f. 20 concurrent withdrawals on one account: never negative, every accepted one applied once', async () => {
    const accountId = await openAccount(uniqueId('race'));
    await deposit(accountId, 1000);
    const results = await Promise.all(Array.from({ length: 20 }, () => d.api('POST', `/accounts/${accountId}/withdrawals`, { amount: 150 })));
    const statuses = results.map((r) => r.status);
    for (const status of statuses) expect([201, 409, 422]).toContain(status);
    const accepted = statuses.filter((s) => s === 201).length;
    expect(accepted).toBeGreaterThanOrEqual(1);
    expect(accepted).toBeLessThanOrEqual(6);
    const [result] = await converged([accountId]);
    const withdrawnEvents = result.events.filter((e) => e.type.includes('.withdrawn.'));
    const withdrawalRows = result.rows.filter((r) => r.kind === 'withdrawal');
    expect(withdrawnEvents).toHaveLength(accepted);
    expect(withdrawalRows).toHaveLength(accepted);
    for (const row of result.rows) expect(Number(row.balanceAfter)).toBeGreaterThanOrEqual(0);
    expect(result.balance).toMatchObject({ balance: 1000 - 150 * accepted, version: 2 + accepted });
    const losses = await lossesOf([{ accountId, events: result.events }]);
    const row = {
      scenario: 'f. 20 concurrent withdrawals on one account',
      eventsIn: result.events.length,
      applied: result.applied,
      inDlq: losses.inDlq,
      duplicates: result.duplicates,
      note: `${accepted}×201, ${statuses.filter((s) => s === 409).length}×409, ${statuses.filter((s) => s === 422).length}×422`,
    };
    recordFaultMatrixRow(row);
    expect(losses.unpublished).toEqual([]);
    expect(losses.perDlq).toEqual(noDeadLetters());
    expect(row).toMatchObject({ eventsIn: 2 + accepted, applied: 2 + accepted, inDlq: 0, duplicates: 0 });
  });

  it('g. a FIFO message that fails blocks only its own group, then converges', async () => {
    const [blocked, b, c] = [await openAccount(uniqueId('fifo-blocked')), await openAccount(uniqueId('fifo-b')), await openAccount(uniqueId('fifo-c'))];
    await waitSettled({
      probe: () => Promise.all([blocked, b, c].map((accountId) => replicaRow(d, accountId))),
      until: (rows) => rows.every((r) => r?.version === 1),
      what: 'replicas at version 1',
    });
    const [rule] = await chaos.add([{ service: 'dynamodb', operation: 'PutItem', match: [output('ReplicaTableName'), blocked] }]);

    const accounts = [blocked, b, c];
    // Samples the replica versions while the scenario runs (to see none go backwards): a measurement, not a wait.
    const sampler = startSampler(accounts, async (accountId) => {
      const row = await replicaRow(d, accountId);
      return row === undefined ? undefined : Number(row.version);
    });
    let samples: Samples<number | undefined>;
    try {
      for (let i = 1; i <= 3; i++) for (const accountId of accounts) await deposit(accountId, 10 * i);
      // The one polling wait left: while the fault blocks one group the local cloud cannot settle
      // (its messages keep coming back), so the condition itself is what there is to wait for.
      for (const accountId of [b, c])
        await eventually(
          () => replicaRow(d, accountId),
          (r) => r?.version === 4,
          { what: `replica of ${accountId} at version 4`, timeoutMs: 60_000 },
        );
      await eventually(
        () => chaos.hits(rule.id),
        (hits) => (hits ?? 0) >= 1,
        { what: "the blocked account's replica write to be attempted", timeoutMs: 30_000 },
      );
      expect((await replicaRow(d, blocked))?.version).toBe(1);
      // The block holds now (checked just above); a timed round may fall outside it on a busy machine.
      await sampler.sampleNow();

      await chaos.clear();
      // The failed message comes back after the queue's visibility timeout (6 × the replica's timeout).
      const replica = await waitSettled({
        probe: () => replicaRow(d, blocked),
        until: (r) => r?.version === 4,
        what: 'the blocked replica to converge',
        timeoutSeconds: 110,
      });
      expect(replica).toMatchObject({ balance: 60, version: 4 });
    } finally {
      samples = await sampler.stop();
    }
    // The sampler measured what its name says, while the scenario ran: every round read a replica
    // version (1 to 4: opened + 3 deposits) of each account, and it caught the block itself, the
    // blocked replica at 1 while the other two were at 4. Then none went backwards.
    expect(samples.during.length).toBeGreaterThan(0);
    const series = accounts.map((accountId) => [...samples.during, samples.closing].map((round) => round[accountId]));
    for (const versions of series) expect(versions.filter((v) => !(Number.isInteger(v) && v! >= 1 && v! <= 4))).toEqual([]);
    expect(samples.during.filter((round) => round[blocked] === 1 && round[b] === 4 && round[c] === 4).length).toBeGreaterThan(0);
    expect(samples.closing).toEqual({ [blocked]: 4, [b]: 4, [c]: 4 });
    for (const versions of series) expect(versions).toEqual([...versions].sort((x, y) => x! - y!));
    const losses = await lossesOf(await Promise.all(accounts.map(async (accountId) => ({ accountId, events: await storedEvents(d, accountId) }))));
    let applied = 0;
    for (const accountId of accounts) if ((await replicaRow(d, accountId))?.version === (await storedEvents(d, accountId)).length) applied += 4;
    const backwards = series.filter((versions) => versions.some((v, i) => i > 0 && v! < versions[i - 1]!)).length;
    const row = {
      scenario: 'g. a failing FIFO message blocks only its group',
      eventsIn: 12,
      applied,
      inDlq: losses.inDlq,
      duplicates: backwards,
      note: `replica PutItem 500 for one account until cleared; other groups converged first (${samples.during.length} sampling rounds)`,
    };
    recordFaultMatrixRow(row);
    expect(losses.unpublished).toEqual([]);
    expect(losses.perDlq).toEqual(noDeadLetters());
    expect(row).toMatchObject({ applied: 12, inDlq: 0, duplicates: 0 });
  }, 200_000);
  it('h. one account of a batch fails its write: the others apply once, the failed one is reported and converges on redelivery', async () => {
    const accounts = [await openAccount(), await openAccount(), await openAccount()];
    const faulty = accounts[1]!;
    for (let i = 1; i <= 3; i++) await Promise.all(accounts.map((accountId) => deposit(accountId, 10 * i)));
    const before = await converged(accounts);
    // A read model restored from an older backup (here: emptied) for these accounts, so that one
    // hand-delivered batch carries every account's events to a projector that must apply them.
    for (const { rows } of before) {
      for (const row of rows)
        await clients.dynamo.send(new DeleteCommand({ TableName: output('TransactionsTableName'), Key: { accountId: row.accountId, version: row.version } }));
    }
    for (const accountId of accounts) await clients.dynamo.send(new DeleteCommand({ TableName: output('BalancesTableName'), Key: { accountId } }));
    // One batch: the accounts' records interleaved in stream order, as one shard would carry them.
    const records = (await streamRecordsOf(d, accounts)).sort((x, y) => compareSequenceNumbers(x.record.SequenceNumber!, y.record.SequenceNumber!));
    expect(records).toHaveLength(12);
    const name = await functionName('ProjectorFunction');
    const event = kinesisLambdaEvent(records, { streamArn: await streamArn(), functionName: name });
    const firstOfFaulty = event.Records.findIndex((record) => record.kinesis.partitionKey === faulty);
    // The batch's balance rows go in one TransactWriteItems, refused as a whole; then each row is put
    // on its own condition, and only the faulty account's put fails.
    const oneFails = { statusCode: 500, code: 'InternalServerError', message: 'injected: one account of the batch fails' };
    const [transactionRule, putRule] = await chaos.add([
      { service: 'dynamodb', operation: 'TransactWriteItems', match: [output('BalancesTableName'), faulty], error: oneFails },
      { service: 'dynamodb', operation: 'PutItem', match: [output('BalancesTableName'), faulty], error: oneFails },
    ]);

    const [first] = await invoke(name, event);
    // Both were tried (each hit counts one of the SDK's own attempts at a 500).
    expect(await chaos.hits(transactionRule.id)).toBeGreaterThan(0);
    expect(await chaos.hits(putRule.id)).toBeGreaterThan(0);
    await chaos.clear();

    // Only the failing account's first record is reported, nothing after it of that account.
    expect(first).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[firstOfFaulty]!.kinesis.sequenceNumber }] });
    const afterFirst = await Promise.all(accounts.map((accountId) => readModelVersusStore(d, accountId)));
    expect(afterFirst.map((r) => r.converged)).toEqual([true, false, true]);
    // The batch wrote every account's transaction rows before the guarded balance writes: the failing
    // account's rows are in the table, but no reader sees them while its balance row is absent.
    expect(afterFirst[1]!.balance).toBeUndefined();
    expect(afterFirst[1]!.rows.map((r) => r.version)).toEqual([1, 2, 3, 4]);
    expect((await d.api('GET', `/accounts/${faulty}/transactions`)).status).toBe(404);
    // Lambda resumes from the lowest reported record: everything from it on comes again,
    // the records of the accounts already applied among them.
    const [second] = await invoke(name, { Records: event.Records.slice(firstOfFaulty) });
    expect(second).toEqual({ batchItemFailures: [] });

    const after = await Promise.all(accounts.map((accountId) => readModelVersusStore(d, accountId)));
    // Rows projected again carry a new projectedAt (when the row was written, for sluice trace).
    const state = <Row extends object>(rows: readonly Row[]) => rows.map((row) => ({ ...row, projectedAt: undefined }));
    for (const [i, result] of after.entries()) {
      expect(state(result.rows)).toEqual(state(before[i]!.rows));
      expect(result.balance).toMatchObject({ version: 4, balance: 60 });
      // Applied once: the redelivery did not write the other accounts' rows again.
      if (i !== 1) expect(result.rows).toEqual(afterFirst[i]!.rows);
    }
    const losses = await lossesOf(after.map((result, i) => ({ accountId: accounts[i]!, events: result.events })));
    const row = {
      scenario: 'h. one account of a batch fails its write',
      eventsIn: 12,
      applied: sum(after.map((r) => r.applied)),
      inDlq: losses.inDlq,
      duplicates: sum(after.map((r) => r.duplicates)),
      note: `projector balance write 500 for 1 of 3 accounts in one batch (the batch's transaction refused, then that account's own put; its rows written, invisible); reported ${first.batchItemFailures.length} record, redelivered ${event.Records.length - firstOfFaulty}`,
    };
    recordFaultMatrixRow(row);
    expect(losses.unpublished).toEqual([]);
    expect(losses.perDlq).toEqual(noDeadLetters());
    expect(row).toMatchObject({ eventsIn: 12, applied: 12, inDlq: 0, duplicates: 0 });
  });
});

/**
 * The fault matrix, end to end on the suite's local cloud: each scenario injects one kind of
 * fault through the endpoint's chaos API (or delivers records by hand through the real Kinesis
 * and Lambda APIs) and checks that events in = events applied + events in a DLQ, with nothing
 * applied twice. Each records its row in `.sluice/fault-matrix.md`.
 */
import { createHash } from 'node:crypto';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { InvokeCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { BatchGetCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { eventually } from '../support/eventually';
import { isExternalTarget, waitSettled } from '../support/settled';
import { readWholeStream } from '../support/stream';
import { clients, output } from '../support/target';
import { chaos } from './support/chaos';
import { recordFaultMatrixRow } from './support/fault-matrix';
import { globalDeployment } from './support/global-deployment';
import { dlqSequenceNumbers, drainPeek, queueDepth, readModelVersusStore, replicaRow, storedEvents, uniqueId, type Deployment } from './support/pipeline';

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

/** Messages in the stream consumers' DLQs naming any of the sequence numbers. */
async function dlqHits(sequenceNumbers: ReadonlySet<string>, dlqs: readonly string[] = STREAM_CONSUMER_DLQS): Promise<number> {
  let hits = 0;
  for (const dlq of dlqs) {
    for (const message of await drainPeek(d, output(dlq))) {
      if ([...dlqSequenceNumbers(message.body)].some((s) => sequenceNumbers.has(s))) hits += 1;
    }
  }
  return hits;
}

/** The stream records (Lambda Kinesis event shape) with this partition key. */
async function kinesisRecordsOf(partitionKey: string) {
  const streamName = output('EventsStreamName');
  const records = (await readWholeStream(streamName)).filter((r) => r.partitionKey === partitionKey);
  return records.map((r) => ({
    kinesis: {
      kinesisSchemaVersion: '1.0', partitionKey: r.partitionKey, sequenceNumber: r.sequenceNumber,
      data: Buffer.from(r.data).toString('base64'), approximateArrivalTimestamp: Date.now() / 1000,
    },
    eventSource: 'aws:kinesis', eventVersion: '1.0', eventID: `${r.shardId}:${r.sequenceNumber}`, eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::000000000000:role/fault-matrix', awsRegion: 'us-east-1',
    eventSourceARN: `arn:aws:kinesis:us-east-1:000000000000:stream/${streamName}`,
  }));
}

async function invokeTwice(name: string, event: unknown): Promise<unknown[]> {
  const payloads = [];
  for (let i = 0; i < 2; i++) {
    const response = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)) }));
    expect(response.StatusCode).toBe(200);
    expect(response.FunctionError).toBeUndefined();
    payloads.push(JSON.parse(Buffer.from(response.Payload!).toString('utf8')));
  }
  return payloads;
}

function sqsRecord(body: unknown, queueArn: string, group?: string) {
  const text = JSON.stringify(body);
  return {
    messageId: ulid(), receiptHandle: `fault-matrix-${ulid()}`, body: text,
    attributes: {
      ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()), SenderId: 'fault-matrix', ApproximateFirstReceiveTimestamp: String(Date.now()),
      ...(group ? { MessageGroupId: group, MessageDeduplicationId: createHash('sha256').update(text).digest('hex'), SequenceNumber: '1' } : {}),
    },
    messageAttributes: {}, md5OfBody: createHash('md5').update(text).digest('hex'),
    eventSource: 'aws:sqs', eventSourceARN: queueArn, awsRegion: 'us-east-1',
  };
}

// Local only (and left out of test:aws / test:localstack): the scenarios inject faults through the
// local endpoint's chaos API, invoke consumers by hand and read whole DLQs.
const describeLocalOnly = isExternalTarget() ? describe.skip : describe;

describeLocalOnly('fault matrix', () => {
  it('a. a consumer throws mid-batch: a transient DynamoDB fault on the projector heals on retry', async () => {
    const [faulty, other] = [await openAccount(), await openAccount()];
    const [rule] = await chaos.add([{
      service: 'dynamodb', operation: 'TransactWriteItems', match: [output('BalancesTableName'), faulty], times: 4,
      error: { statusCode: 500, code: 'InternalServerError', message: 'injected: projector write fails' },
    }]);
    for (let i = 1; i <= 6; i++) {
      await Promise.all([deposit(faulty, 100 * i), deposit(other, 10 * i)]);
    }
    const [a, b] = await converged([faulty, other]);
    // Used up (4 hits) and removed: the projector really failed and retried.
    expect(await chaos.hits(rule.id)).toBeUndefined();
    const sequences = new Set((await kinesisRecordsOf(faulty)).map((r) => r.kinesis.sequenceNumber));
    const inDlq = await dlqHits(sequences, ['ProjectorDlqUrl']);
    expect(a.rows.map((r) => r.version)).toEqual(a.events.map((e) => e.version));
    expect(a.balance).toMatchObject({ balance: 2100, version: 7 });
    expect(b.balance).toMatchObject({ balance: 210, version: 7 });
    const row = { scenario: 'a. consumer throws mid-batch', eventsIn: a.events.length + b.events.length, applied: a.applied + b.applied, inDlq, duplicates: a.duplicates + b.duplicates, note: 'TransactWriteItems 500 ×4 for one account' };
    recordFaultMatrixRow(row);
    expect(row).toMatchObject({ eventsIn: 14, applied: 14, inDlq: 0, duplicates: 0 });
  });

  it('b. one poison record in a batch of 100: 99 applied, the poison exactly once in each consumer DLQ', async () => {
    const run = uniqueId('poison100');
    const now = Date.now();
    const swipes = Array.from({ length: 99 }, (_, i) => {
      const cardId = `${run}-card-${i}`;
      const id = ulid();
      const envelope = {
        specversion: '1.0', id, source: 'test/fault-matrix', type: 'sluice.card.swiped.v1', time: new Date(now).toISOString(), subject: cardId,
        datacontenttype: 'application/json', partitionkey: cardId,
        data: { cardId, accountId: `${run}-acc`, amount: 100 + i, merchant: 'Corner Cafe', country: 'NL', at: new Date(now + i).toISOString() },
      };
      return { cardId, id, record: { PartitionKey: cardId, Data: Buffer.from(JSON.stringify(envelope)) } };
    });
    const poison = { PartitionKey: `${run}-poison`, Data: Buffer.from(JSON.stringify({ not: 'an event', run })) };
    const records = [...swipes.slice(0, 50).map((s) => s.record), poison, ...swipes.slice(50).map((s) => s.record)];
    const put = await clients.kinesis.send(new PutRecordsCommand({ StreamName: output('EventsStreamName'), Records: records }));
    expect(put.FailedRecordCount).toBe(0);
    const poisonSequence = put.Records![50]!.SequenceNumber!;
    const goodSequences = new Set(put.Records!.filter((_, i) => i !== 50).map((r) => r.SequenceNumber!));

    const windows = await waitSettled({ probe: async () => {
      const items: Record<string, any>[] = [];
      for (const chunk of [swipes.slice(0, 50), swipes.slice(50)]) {
        const result = await clients.dynamo.send(new BatchGetCommand({ RequestItems: { [output('FraudWindowsTableName')]: { Keys: chunk.map((s) => ({ cardId: s.cardId })), ConsistentRead: true } } }));
        items.push(...(result.Responses?.[output('FraudWindowsTableName')] ?? []));
      }
      return items;
    }, until: (items) => items.length === 99, what: '99 fraud windows', timeoutSeconds: 90 });
    const swipeIds = new Set(swipes.map((s) => s.id));
    const appliedSwipes = windows.flatMap((w) => (w.swipes as Array<{ eventId: string }>).filter((s) => swipeIds.has(s.eventId)));
    const duplicates = appliedSwipes.length - new Set(appliedSwipes.map((s) => s.eventId)).size;

    const perDlq: Record<string, number> = {};
    for (const dlq of STREAM_CONSUMER_DLQS) {
      const messages = await waitSettled({ probe: () => drainPeek(d, output(dlq)), until: (list) => list.some((m) => dlqSequenceNumbers(m.body).has(poisonSequence)), what: `poison record in ${dlq}` });
      perDlq[dlq] = messages.filter((m) => dlqSequenceNumbers(m.body).has(poisonSequence)).length;
      // No valid swipe was sent to the DLQ with it.
      expect(messages.filter((m) => [...dlqSequenceNumbers(m.body)].some((s) => goodSequences.has(s)))).toEqual([]);
    }
    expect(perDlq).toEqual(Object.fromEntries(STREAM_CONSUMER_DLQS.map((q) => [q, 1])));
    const row = { scenario: 'b. one poison record in a batch of 100', eventsIn: 100, applied: new Set(appliedSwipes.map((s) => s.eventId)).size, inDlq: 1, duplicates, note: 'poison once in each of the 4 stream consumer DLQs' };
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
        items.push((await clients.dynamo.send(new GetCommand({ TableName: output('DeliveriesTableName'), Key: { notificationId: event.eventId }, ConsistentRead: true }))).Item);
      }
      return items;
    };
    const deliveriesBefore = await waitSettled({ probe: deliveriesOf, until: (items) => items.every((i) => i?.status === 'delivered'), what: 'deliveries of the deposit and the withdrawal' });

    // The same Kinesis batch, twice, to every stream consumer that has an effect on this account.
    const batch = { Records: await kinesisRecordsOf(accountId) };
    expect(batch.Records).toHaveLength(3);
    for (const prefix of ['ProjectorFunction', 'NotifierFunction', 'StateTransferFunction']) {
      const payloads = await invokeTwice(await functionName(prefix), batch);
      for (const payload of payloads) expect(payload).toEqual({ batchItemFailures: [] });
    }
    // The same SQS batches, twice, to the queue consumers.
    const stateChanged = {
      specversion: '1.0', id: ulid(), source: 'sluice/state-transfer', type: 'sluice.account.state-changed.v1', time: new Date().toISOString(),
      subject: accountId, datacontenttype: 'application/json', partitionkey: accountId,
      data: { accountId, owner: replicaBefore!.owner, currency: replicaBefore!.currency, balance: replicaBefore!.balance, version: replicaBefore!.version, openedAt: replicaBefore!.openedAt, updatedAt: replicaBefore!.updatedAt },
    };
    const fifoArn = `arn:aws:sqs:us-east-1:000000000000:${output('StateTransferQueueUrl').split('/').pop()}`;
    for (const payload of await invokeTwice(await functionName('ReplicaFunction'), { Records: [sqsRecord(stateChanged, fifoArn, accountId)] })) {
      expect(payload).toEqual({ batchItemFailures: [] });
    }
    const deposit2 = before.events[1];
    const notification = {
      notificationId: deposit2.eventId, eventId: deposit2.eventId, eventType: deposit2.type, accountId, owner: 'Grace', subject: accountId,
      text: 'Grace, 50.00 EUR was deposited', occurredAt: new Date().toISOString(),
    };
    const notificationsArn = `arn:aws:sqs:us-east-1:000000000000:${output('NotificationsQueueUrl').split('/').pop()}`;
    for (const payload of await invokeTwice(await functionName('NotificationWorkerFunction'), { Records: [sqsRecord(notification, notificationsArn)] })) {
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
    const row = { scenario: 'c. the same batch delivered twice', eventsIn: before.events.length, applied: after.applied, inDlq: 0, duplicates: after.duplicates, note: 'projector, notifier, state-transfer, replica, notification-worker each invoked twice' };
    recordFaultMatrixRow(row);
    expect(row).toMatchObject({ eventsIn: 3, applied: 3, duplicates: 0 });
  });

  it('d. a function times out: the projector\'s write is held past its timeout, the retry applies it once', async () => {
    const accountId = await openAccount(uniqueId('timeout'));
    await converged([accountId]);
    const [rule] = await chaos.add([{ service: 'dynamodb', operation: 'TransactWriteItems', match: [output('BalancesTableName'), accountId], times: 1, latencyMs: 31_000 }]);
    for (let i = 1; i <= 4; i++) await deposit(accountId, 25 * i);
    // Settles only after the held write timed the projector out and the retry went through.
    const [result] = await converged([accountId], 110);
    expect(await chaos.hits(rule.id)).toBeUndefined();
    expect(result.balance).toMatchObject({ balance: 250, version: 5 });
    const inDlq = await dlqHits(new Set((await kinesisRecordsOf(accountId)).map((r) => r.kinesis.sequenceNumber)), ['ProjectorDlqUrl']);
    const row = { scenario: 'd. a function times out', eventsIn: result.events.length, applied: result.applied, inDlq, duplicates: result.duplicates, note: 'TransactWriteItems held 31 s (projector timeout 30 s), then forwarded' };
    recordFaultMatrixRow(row);
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
    const row = { scenario: 'f. 20 concurrent withdrawals on one account', eventsIn: result.events.length, applied: result.applied, inDlq: 0, duplicates: result.duplicates, note: `${accepted}×201, ${statuses.filter((s) => s === 409).length}×409, ${statuses.filter((s) => s === 422).length}×422` };
    recordFaultMatrixRow(row);
    expect(row).toMatchObject({ eventsIn: 2 + accepted, applied: 2 + accepted, duplicates: 0 });
  });

  it('g. a FIFO message that fails blocks only its own group, then converges', async () => {
    const [blocked, b, c] = [await openAccount(uniqueId('fifo-blocked')), await openAccount(uniqueId('fifo-b')), await openAccount(uniqueId('fifo-c'))];
    await waitSettled({ probe: () => Promise.all([blocked, b, c].map((accountId) => replicaRow(d, accountId))), until: (rows) => rows.every((r) => r?.version === 1), what: 'replicas at version 1' });
    const [rule] = await chaos.add([{ service: 'dynamodb', operation: 'PutItem', match: [output('ReplicaTableName'), blocked] }]);

    const seen: Record<string, number[]> = { [blocked]: [], [b]: [], [c]: [] };
    let sampling = true;
    // Samples the replica versions while the scenario runs (to see none go backwards): a measurement, not a wait.
    const sampler = (async () => {
      while (sampling) {
        for (const accountId of Object.keys(seen)) {
          const v = (await replicaRow(d, accountId))?.version;
          if (v !== undefined) seen[accountId].push(Number(v));
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    try {
      for (let i = 1; i <= 3; i++) for (const accountId of [blocked, b, c]) await deposit(accountId, 10 * i);
      // The one polling wait left: while the fault blocks one group the local cloud cannot settle
      // (its messages keep coming back), so the condition itself is what there is to wait for.
      for (const accountId of [b, c]) await eventually(() => replicaRow(d, accountId), (r) => r?.version === 4, { what: `replica of ${accountId} at version 4`, timeoutMs: 60_000 });
      await eventually(() => chaos.hits(rule.id), (hits) => (hits ?? 0) >= 1, { what: 'the blocked account\'s replica write to be attempted', timeoutMs: 30_000 });
      expect((await replicaRow(d, blocked))?.version).toBe(1);

      await chaos.clear();
      // The failed message comes back after the queue's visibility timeout (6 × the replica's timeout).
      const replica = await waitSettled({ probe: () => replicaRow(d, blocked), until: (r) => r?.version === 4, what: 'the blocked replica to converge', timeoutSeconds: 110 });
      expect(replica).toMatchObject({ balance: 60, version: 4 });
    } finally {
      sampling = false;
      await sampler;
    }
    for (const versions of Object.values(seen)) expect(versions).toEqual([...versions].sort((x, y) => x - y));
    const inDlq = (await drainPeek(d, output('StateTransferDlqUrl'))).filter((m) => [blocked, b, c].includes(m.body?.subject)).length;
    let applied = 0;
    for (const accountId of [blocked, b, c]) if ((await replicaRow(d, accountId))?.version === (await storedEvents(d, accountId)).length) applied += 4;
    const backwards = Object.values(seen).filter((versions) => versions.some((v, i) => i > 0 && v < versions[i - 1])).length;
    const row = { scenario: 'g. a failing FIFO message blocks only its group', eventsIn: 12, applied, inDlq, duplicates: backwards, note: 'replica PutItem 500 for one account until cleared; other groups converged first' };
    recordFaultMatrixRow(row);
    expect(row).toMatchObject({ applied: 12, inDlq: 0, duplicates: 0 });
  }, 200_000);
});


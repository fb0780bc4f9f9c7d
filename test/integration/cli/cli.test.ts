import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { TEST_ID_PREFIX } from '../support/accounts';
import { api } from '../support/http';
import { depositNotification } from '../../support/factories/deposit-notification';
import { kinesisFailureRecord } from '../../support/factories/kinesis-failure-record';
import { emptyQueue, peekAll, queueDepth } from '../support/queues';
import { isExternalTarget, waitSettled } from '../support/settled';
import { readWholeStream } from '../support/stream';
import { clients, output } from '../support/target';
import { ndjson, sluice } from './run-cli';

const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
const accounts: Array<{ accountId: string; version: number }> = [];

function swipe(cardId: string, amount: number) {
  return {
    type: 'sluice.card.swiped.v1',
    subject: cardId,
    data: { cardId, accountId: `acct-${run}`, amount, merchant: 'Café', country: 'FR', at: new Date().toISOString() },
  };
}

/** Opens an account with deposits through the API and remembers its final version. */
async function account(name: string, deposits: number[]): Promise<string> {
  const accountId = `${TEST_ID_PREFIX}cli-${name}-${run}`;
  expect((await api('POST', '/accounts', { accountId, owner: 'Ada', currency: 'EUR' })).status).toBe(201);
  for (const amount of deposits) expect((await api('POST', `/accounts/${accountId}/deposits`, { amount })).status).toBe(201);
  accounts.push({ accountId, version: 1 + deposits.length });
  return accountId;
}

/** The stage's functions, as the Lambda API lists them. */
async function listFunctions() {
  const lambda = new LambdaClient({});
  try {
    return (await lambda.send(new ListFunctionsCommand({}))).Functions ?? [];
  } finally {
    lambda.destroy();
  }
}

/** The stage's snapshot interval, as the command function is configured (`SNAPSHOT_EVERY`, from `-c snapshotEvery`). */
async function snapshotEvery(): Promise<number> {
  const command = (await listFunctions()).find((fn) => fn.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === 'sluice-command');
  const every = Number(command?.Environment?.Variables?.SNAPSHOT_EVERY);
  if (!Number.isInteger(every) || every < 1) throw new Error(`the command function has no SNAPSHOT_EVERY (got ${JSON.stringify(command?.Environment?.Variables)})`);
  return every;
}

/** Waits until the projector has caught up with every account this file created. */
async function readModelSettled(): Promise<void> {
  await waitSettled({
    probe: () => Promise.all(accounts.map(({ accountId }) => api('GET', `/accounts/${accountId}`))),
    until: (responses) => responses.every((r, i) => r.status === 200 && r.body.version === accounts[i].version),
    what: `read model of ${accounts.map((a) => a.accountId).join(', ')}`,
  });
}

/**
 * Tests that change data the suite did not create run on the local cloud only: `replay
 * read-model` rewrites (or copies) the whole live read model, `replay stream` re-invokes a
 * consumer with everyone's records, `redrive` moves every message of a DLQ. Against a deployed
 * stage or LocalStack (`npm run test:aws`, `test:localstack`) they are skipped.
 */
const describeLocalOnly = isExternalTarget() ? describe.skip : describe;

/** `--verify` differences in rows of this file's accounts (other suites' rows are not this file's to judge). */
function myDifferences(body: { differences: Array<{ key: string }> }) {
  return body.differences.filter((d) => accounts.some(({ accountId }) => d.key === accountId || d.key.startsWith(`${accountId}#`)));
}

/** A `--verify` run: the exit code and `verified` follow the whole comparison; this file's rows must show exactly `expected`. */
function expectVerified(result: { code: number; json(): any }, expected: unknown[] = []): any {
  const body = result.json();
  expect(body.verified).toBe(body.differences.length === 0);
  expect(result.code).toBe(body.differences.length === 0 ? 0 : 1);
  expect(myDifferences(body)).toEqual(expected);
  return body;
}

describe('sluice CLI', () => {
  describe('usage', () => {
    it.each([
      [['send', '--bogus']],
      [['store']],
      [['replay', 'read-model', '--target', 'nowhere']],
      [['replay', 'stream', '--consumer', 'projector', '--from', 'yesterday']],
      [['tail', '--queue', 'NoSuchQueue', '--no-follow']],
      [['redrive', 'no-such-dlq']],
      [['send', '--type', 'sluice.card.swiped.v1', '--subject', 'c', '--data', '{not json']],
    ])('rejects %j with one line on stderr, no stack trace, exit 2', async (args) => {
      const result = await sluice(args);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });

    it.each(['send', 'tail', 'store', 'replay', 'replay read-model', 'replay stream', 'redrive', 'settle'])('prints help for %s', async (command) => {
      const result = await sluice([...command.split(' '), '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Usage: sluice /);
    });
  });

  describe('send and tail', () => {
    it('sends events from arguments, a file and stdin, and tail --json finds them on the stream', async () => {
      const fromArgs = swipe(`card-args-${run}`, 100);
      const one = await sluice(['send', '--json', '--type', fromArgs.type, '--subject', fromArgs.subject, '--data', JSON.stringify(fromArgs.data)]);
      expect(one.code).toBe(0);
      expect(one.json()).toMatchObject({ accepted: 1, failed: 0 });

      const file = path.join(os.tmpdir(), `sluice-cli-${run}.ndjson`);
      fs.writeFileSync(file, [swipe(`card-file-${run}`, 1), swipe(`card-file-${run}`, 2)].map((e) => JSON.stringify(e)).join('\n'));
      const fromFile = await sluice(['send', '--json', '--file', file]);
      expect(fromFile.json()).toMatchObject({ accepted: 2, failed: 0 });

      const fromStdin = await sluice(['send', '--json'], { input: JSON.stringify([swipe(`card-stdin-${run}`, 3)]) });
      expect(fromStdin.json()).toMatchObject({ accepted: 1, failed: 0 });

      const ids = [...one.json().ids, ...fromFile.json().ids, ...fromStdin.json().ids];
      expect(ids).toHaveLength(4);
      const tail = await waitSettled({
        probe: () => sluice(['tail', '--trim-horizon', '--no-follow', '--json']),
        until: (r) => ids.every((id) => ndjson(r.stdout).some((row) => row.event?.id === id)),
        what: 'the sent events on the stream',
      });
      const mine = ndjson(tail.stdout).filter((row) => ids.includes(row.event?.id));
      expect(mine.map((row) => row.event.subject).sort()).toEqual([`card-args-${run}`, `card-file-${run}`, `card-file-${run}`, `card-stdin-${run}`].sort());
      expect(mine[0]).toEqual(expect.objectContaining({ shardId: expect.any(String), sequenceNumber: expect.any(String) }));
    });

    it('reports events the API refuses and exits 1', async () => {
      const result = await sluice(['send', '--type', 'sluice.card.swiped.v1', '--subject', 'c', '--data', '{"cardId":"c"}']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/400 validation_failed/);
    });

    it('stops tail after --limit events', async () => {
      // Two events of its own, so the stream has at least two records whatever ran before.
      const sent = await sluice(['send', '--json'], { input: JSON.stringify([swipe(`card-limit-${run}`, 4), swipe(`card-limit-${run}`, 5)]) });
      expect(sent.json()).toMatchObject({ accepted: 2, failed: 0 });
      const result = await sluice(['tail', '--trim-horizon', '--limit', '2', '--json']);
      expect(result.code).toBe(0);
      expect(ndjson(result.stdout)).toHaveLength(2);
    });
  });

  describe('store', () => {
    it("shows an account's events, their fold, and the snapshot the command function took at snapshotEvery", async () => {
      // Past the stage's snapshot interval, so a snapshot exists and lies behind the latest version.
      const every = await snapshotEvery();
      const deposits = Array.from({ length: every - 1 }, (_, i) => 100 + i);
      const accountId = await account('store', deposits);
      expect((await api('POST', `/accounts/${accountId}/withdrawals`, { amount: 500 })).status).toBe(201);
      accounts[accounts.length - 1].version = every + 1;
      const atSnapshot = deposits.reduce((sum, amount) => sum + amount, 0);

      const result = await sluice(['store', accountId, '--json']);
      expect(result.code).toBe(0);
      const body = result.json();
      expect(body.events.map((e: { version: number }) => e.version)).toEqual(Array.from({ length: every + 1 }, (_, i) => i + 1));
      expect(body.state).toMatchObject({ status: 'open', accountId, balance: atSnapshot - 500, version: every + 1, currency: 'EUR' });
      expect(body.snapshot).toMatchObject({
        version: every,
        parses: true,
        matchesHistory: true,
        state: { status: 'open', accountId, owner: 'Ada', currency: 'EUR', balance: atSnapshot, version: every },
      });
      // What sluice reports is what the table holds.
      const stored = await clients.dynamo.send(new GetCommand({ TableName: output('SnapshotTableName'), Key: { streamId: `account#${accountId}` } }));
      expect(stored.Item).toMatchObject({ version: every, state: body.snapshot.state });

      const pretty = await sluice(['store', accountId]);
      expect(pretty.stdout).toMatch(new RegExp(`balance ${atSnapshot - 500} EUR`));
      expect(pretty.stdout).toMatch(new RegExp(`snapshot version ${every}, balance ${atSnapshot}, .*parses, matches the history`));
    });

    it('fails with exit 1 for an account without events', async () => {
      const result = await sluice(['store', `nobody-${run}`]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/has no events/);
    });
  });

  describeLocalOnly('replay read-model', () => {
    let replayA: string;
    let replayB: string;
    beforeAll(async () => {
      replayA = await account('replay-a', [100, 200]);
      replayB = await account('replay-b', [300]);
      await readModelSettled();
    });

    it('rebuilds into fresh tables equal to the live model field for field (--verify)', async () => {
      const result = await sluice(['replay', 'read-model', '--target', 'fresh', '--verify', '--json']);
      const body = expectVerified(result);
      expect(body).toMatchObject({ target: 'fresh', finished: true });
      expect(body.tables.balances).toMatch(/-rebuild-/);
      expect(body.streams).toBeGreaterThanOrEqual(accounts.length);
      for (const accountId of [replayA, replayB]) {
        const [rebuilt, live] = await Promise.all(
          [body.tables.balances, output('BalancesTableName')].map((TableName) => clients.dynamo.send(new GetCommand({ TableName, Key: { accountId } }))),
        );
        expect(rebuilt.Item).toMatchObject({ accountId, version: accounts.find((a) => a.accountId === accountId)!.version });
        expect(rebuilt.Item).toEqual(live.Item);
      }
    });

    it('reports a corrupted live row (exit 1) and repairs it in place', async () => {
      const accountId = replayB;
      await clients.dynamo.send(
        new UpdateCommand({
          TableName: output('BalancesTableName'),
          Key: { accountId },
          UpdateExpression: 'SET balance = :b',
          ExpressionAttributeValues: { ':b': 999_999 },
        }),
      );
      const detected = await sluice(['replay', 'read-model', '--target', 'fresh', '--verify', '--json']);
      expect(detected.code).toBe(1);
      expectVerified(detected, [
        expect.objectContaining({ table: 'balances', key: accountId, field: 'balance', live: 999_999, rebuilt: 300, issue: 'field differs' }),
      ]);

      // Without --yes and without a terminal to ask on (stdin is a pipe here), nothing is overwritten.
      const refused = await sluice(['replay', 'read-model', '--target', 'in-place', '--verify', '--json']);
      expect(refused).toMatchObject({ code: 2, stdout: '' });
      expect(refused.stderr).toMatch(
        /^sluice: replay read-model --target in-place overwrites rows of the live read-model tables \([^)]*\); pass --yes to do it \(there is no terminal to ask on\)\n$/,
      );
      expect((await api('GET', `/accounts/${accountId}`)).body.balance).toBe(999_999);

      const repaired = await sluice(['replay', 'read-model', '--target', 'in-place', '--verify', '--json', '--yes']);
      expect(expectVerified(repaired)).toMatchObject({ target: 'in-place' });
      expect((await api('GET', `/accounts/${accountId}`)).body.balance).toBe(300);
    });

    it('resumes an interrupted job from its checkpoint', async () => {
      const stopped = await sluice(['replay', 'read-model', '--segments', '4', '--stop-after-segments', '2', '--json']);
      expect(stopped.code).toBe(1);
      expect(stopped.stderr).toMatch(/--resume read-model-/);
      const { job } = stopped.json();
      const checkpoint = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', '.sluice', 'replay', `${job}.json`), 'utf8'));
      expect(checkpoint.done).toEqual([0, 1]);

      const resumed = await sluice(['replay', 'read-model', '--resume', job, '--verify', '--json']);
      expect(expectVerified(resumed)).toMatchObject({ job, finished: true, segments: { total: 4, done: 4 } });
    });

    it('rebuilds the replica too', async () => {
      await waitSettled({
        probe: () =>
          Promise.all(accounts.map(({ accountId }) => clients.dynamo.send(new GetCommand({ TableName: output('ReplicaTableName'), Key: { accountId } })))),
        until: (rows) => rows.every((r, i) => r.Item?.version === accounts[i].version),
        what: 'replicas of the accounts',
      });
      const result = await sluice(['replay', 'replica', '--target', 'fresh', '--verify', '--json']);
      expect(expectVerified(result)).toMatchObject({ kind: 'replica' });
    });
  });

  describeLocalOnly('replay stream', () => {
    it("backfills one consumer from a time, leaving the other consumers' DLQs alone", async () => {
      const from = new Date(Date.now() - 1000).toISOString();
      const accountId = await account('backfill', [4200]);
      await readModelSettled();
      const otherDlqs = ['NotifierDlqUrl', 'StateTransferConsumerDlqUrl', 'FraudDetectorDlqUrl'].map(output);
      const before = await Promise.all(otherDlqs.map((url) => peekAll(url)));
      await clients.dynamo.send(new DeleteCommand({ TableName: output('BalancesTableName'), Key: { accountId } }));
      expect((await api('GET', `/accounts/${accountId}`)).status).toBe(404);

      const result = await sluice(['replay', 'stream', '--consumer', 'projector', '--from', from, '--json']);
      expect(result.code).toBe(0);
      expect(result.json()).toMatchObject({ consumer: 'projector', failed: [], functionName: expect.stringContaining('Projector') });
      expect(result.json().records).toBeGreaterThanOrEqual(2);

      expect((await api('GET', `/accounts/${accountId}`)).body).toMatchObject({ balance: 4200, version: 2 });
      await waitSettled();
      const after = await Promise.all(otherDlqs.map((url) => peekAll(url)));
      expect(after.map((messages) => messages.length)).toEqual(before.map((messages) => messages.length));
    });
  });

  // Local only: redrive moves every message of a DLQ, and these tests start from an empty one.
  describeLocalOnly('redrive', () => {
    it('lists a queue DLQ with --dry-run and changes nothing, then moves the message back and it is delivered', async () => {
      const id = `01CLIREDRIVE${run.toUpperCase()}`.slice(0, 26);
      const notification = depositNotification({ eventId: id, accountId: `acct-${run}` });
      const dlq = output('NotificationsDlqUrl');
      await waitSettled(); // nothing else reaches the DLQ from now on
      await emptyQueue(dlq); // earlier suites may leave invalid messages here
      await clients.sqs.send(new SendMessageCommand({ QueueUrl: dlq, MessageBody: JSON.stringify(notification) }));

      const dry = await sluice(['redrive', 'notifications', '--dry-run', '--json']);
      expect(dry.code).toBe(0);
      expect(dry.json()).toMatchObject({ dryRun: true, count: 1, messages: [expect.objectContaining({ summary: expect.stringContaining(id) })] });
      expect((await peekAll(dlq)).map((m) => m.body.notificationId)).toEqual([id]);
      expect(await queueDepth(dlq)).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
      const delivered = await clients.dynamo.send(new GetCommand({ TableName: output('DeliveriesTableName'), Key: { notificationId: id } }));
      expect(delivered.Item).toBeUndefined();

      // Without --yes and without a terminal to ask on (stdin is a pipe here), nothing moves.
      const refused = await sluice(['redrive', 'NotificationsDlqUrl', '--json']);
      expect(refused).toMatchObject({ code: 2, stdout: '' });
      expect(refused.stderr).toMatch(
        /^sluice: redrive re-sends the messages of \S+ to \S+ and deletes them from the DLQ; pass --yes to do it \(there is no terminal to ask on\)\n$/,
      );
      expect(await queueDepth(dlq)).toEqual({ visible: 1, inFlight: 0, delayed: 0 });

      const moved = await sluice(['redrive', 'NotificationsDlqUrl', '--json', '--yes']);
      expect(moved.code).toBe(0);
      expect(moved.json()).toMatchObject({ kind: 'queue', moved: 1 });
      await waitSettled({
        probe: () => clients.dynamo.send(new GetCommand({ TableName: output('DeliveriesTableName'), Key: { notificationId: id } })),
        until: (r) => r.Item?.status === 'delivered',
        what: 'delivery of the redriven notification',
      });
      expect(await queueDepth(dlq)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    });

    it("re-reads a stream consumer's failure record from the stream and invokes the consumer", async () => {
      const accountId = await account('redrive', [700]);
      await readModelSettled();
      const stream = await clients.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: output('EventsStreamName') }));
      const mine = (await readWholeStream(output('EventsStreamName'))).filter((r) => r.partitionKey === accountId);
      expect(mine).toHaveLength(2);
      const projector = (await listFunctions()).find((fn) => fn.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === 'sluice-projector')!;
      // The mapping's own failure record (metadata only: the records must be read again from the stream).
      const failureRecord = kinesisFailureRecord({
        functionArn: projector.FunctionArn!,
        streamArn: stream.StreamDescriptionSummary!.StreamARN!,
        shardId: mine[0].shardId,
        records: mine.map((record) => ({ sequenceNumber: record.sequenceNumber })),
      });
      await clients.dynamo.send(new DeleteCommand({ TableName: output('BalancesTableName'), Key: { accountId } }));
      const dlq = output('ProjectorDlqUrl');
      await waitSettled(); // nothing else reaches the DLQ from now on
      await emptyQueue(dlq); // earlier suites leave their poison records here
      await clients.sqs.send(new SendMessageCommand({ QueueUrl: dlq, MessageBody: JSON.stringify(failureRecord) }));

      const dry = await sluice(['redrive', 'projector', '--dry-run', '--json']);
      expect(dry.json()).toMatchObject({ count: 1, messages: [expect.objectContaining({ summary: expect.stringContaining(mine[0].sequenceNumber) })] });
      expect((await api('GET', `/accounts/${accountId}`)).status).toBe(404);

      const moved = await sluice(['redrive', 'projector', '--json', '--yes']);
      expect(moved.code).toBe(0);
      expect(moved.json()).toMatchObject({ kind: 'consumer', moved: 1, failed: 0 });
      expect((await api('GET', `/accounts/${accountId}`)).body).toMatchObject({ balance: 700, version: 2 });
      expect(await queueDepth(dlq)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    });
  });
});

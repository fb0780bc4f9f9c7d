/**
 * Fault matrix, scenario e: the local cloud is stopped mid-stream and started again with
 * `persist`. Runs its own local cloud (other ports, its own data folder) beside the suite's, so
 * every DLQ of it must end as the test left it: a message there is a message this test lost.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startLocalCloud, type LocalCloud } from '../../../local';
import { isExternalTarget, waitSettled } from '../support/settled';
import { recordFaultMatrixRow } from './support/fault-matrix';
import {
  dlqOutputs,
  queueDepth,
  readModelVersusStore,
  readWholeQueue,
  replicaRow,
  streamRecordsOf,
  uniqueId,
  unpublished,
  type Deployment,
} from './support/pipeline';

const AWS_PORT = Number(process.env.SLUICE_TEST_RESTART_AWS_PORT ?? 4615);
const API_PORT = Number(process.env.SLUICE_TEST_RESTART_API_PORT ?? 3115);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-restart-'));
const logFile = path.resolve(__dirname, '..', '..', '..', '.sluice', `test-restart-${API_PORT}.log`);
let cloud: LocalCloud | undefined;
let d: Deployment & { destroy(): void };

async function start(): Promise<void> {
  const log = fs.createWriteStream(logFile, { flags: 'a' });
  cloud = await startLocalCloud({
    awsPort: AWS_PORT,
    apiPort: API_PORT,
    persist: true,
    dataDir,
    outputsFile: false,
    synth: 'never',
    log: (source, line) => log.write(`[${source}] ${line}\n`),
  });
  const config = { endpoint: cloud.awsEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient(config));
  const sqs = new SQSClient(config);
  const kinesis = new KinesisClient(config);
  const { apiUrl, apiKey } = cloud;
  d = {
    outputs: Object.assign({}, ...Object.values(cloud.outputs)),
    dynamo,
    sqs,
    kinesis,
    async api(method, route, body) {
      const response = await fetch(`${apiUrl.replace(/\/$/, '')}${route}`, {
        method,
        headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
    destroy() {
      dynamo.destroy();
      sqs.destroy();
      kinesis.destroy();
    },
  };
}

async function stop(): Promise<void> {
  d?.destroy();
  await cloud?.stop();
  cloud = undefined;
}

/** The name of a queue (the key of the persisted snapshot and of `restoredMessages`) from its URL. */
function queueName(queueUrl: string): string {
  return queueUrl.slice(queueUrl.lastIndexOf('/') + 1);
}

afterAll(async () => {
  await stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

// Local only by nature: it stops and restarts a local cloud of its own.
const describeLocalOnly = isExternalTarget() ? describe.skip : describe;

describeLocalOnly('fault matrix (restart)', () => {
  it('e. the local cloud restarts with persist mid-stream: every command applied exactly once', async () => {
    await start();
    const accounts = [uniqueId('restart-a'), uniqueId('restart-b'), uniqueId('restart-c')];
    const expected = new Map(accounts.map((id) => [id, 0]));
    for (const accountId of accounts) expect((await d.api('POST', '/accounts', { accountId, owner: 'Ada', currency: 'EUR' })).status).toBe(201);
    const depositAll = async (round: number) => {
      for (const accountId of accounts) {
        const { status } = await d.api('POST', `/accounts/${accountId}/deposits`, { amount: round });
        expect(status).toBe(201);
        expected.set(accountId, expected.get(accountId)! + round);
      }
    };
    for (let round = 1; round <= 5; round++) await depositAll(round);
    // Messages in a queue no mapping reads (the notifications DLQ, as an operator leaves it before a
    // redrive): exactly these are there at the stop, so exactly these must come back.
    const parkedQueue = 'NotificationsDlqUrl';
    const parked = Array.from({ length: 7 }, (_, i) => JSON.stringify({ parkedBy: 'restart test', run: accounts[0], i }));
    const sent = await d.sqs.send(
      new SendMessageBatchCommand({ QueueUrl: d.outputs[parkedQueue], Entries: parked.map((body, i) => ({ Id: String(i), MessageBody: body })) }),
    );
    expect(sent.Failed ?? []).toEqual([]);
    // Stop while the outbox, the stream and the queues are still busy with these commands.
    await stop();
    const checkpoints = JSON.parse(fs.readFileSync(path.join(dataDir, 'checkpoints.json'), 'utf8'));
    expect(Object.keys(checkpoints.mappings).some((key) => key.includes('Projector'))).toBe(true);
    const saved: { queues: Record<string, unknown[]> } = JSON.parse(fs.readFileSync(path.join(dataDir, 'sqs.json'), 'utf8'));
    const savedCounts = Object.fromEntries(Object.entries(saved.queues).map(([name, messages]) => [name, messages.length]));
    expect(savedCounts[queueName(d.outputs[parkedQueue])]).toBe(parked.length);

    await start();
    // Every message saved at the stop was sent back, queue by queue, the parked ones among them.
    expect(cloud!.restoredMessages).toEqual(savedCounts);
    for (let round = 6; round <= 10; round++) await depositAll(round);

    const results = await waitSettled({
      endpoint: cloud!.awsEndpoint,
      probe: () => Promise.all(accounts.map((accountId) => readModelVersusStore(d, accountId))),
      until: (all) => all.every((r) => r.converged),
      what: 'read models of the accounts',
      timeoutSeconds: 90,
    });
    for (const accountId of accounts) expect((await replicaRow(d, accountId))?.version).toBe(11);
    for (const [i, accountId] of accounts.entries()) {
      expect(results[i].events).toHaveLength(11);
      expect(results[i].rows.map((r) => r.eventId)).toEqual(results[i].events.map((e) => e.eventId));
      expect(results[i].balance).toMatchObject({ balance: expected.get(accountId), version: 11 });
    }
    const records = await streamRecordsOf(d, accounts);
    const notPublished = results.flatMap((r) => unpublished(r.events, records));
    // Every DLQ of this cloud, by its own attributes: the parked messages and nothing else.
    const depths: Record<string, number> = {};
    for (const dlq of dlqOutputs(d)) depths[dlq] = await queueDepth(d, d.outputs[dlq]);
    const inDlq = Object.values(depths).reduce((n, depth) => n + depth, 0) - parked.length;
    const restored = Object.values(cloud!.restoredMessages).reduce((n, m) => n + m, 0);
    const row = {
      scenario: 'e. stop and restart with --persist mid-stream',
      eventsIn: results.reduce((n, r) => n + r.events.length, 0),
      applied: results.reduce((n, r) => n + r.applied, 0),
      inDlq,
      duplicates: results.reduce((n, r) => n + r.duplicates, 0),
      note: `checkpoints resumed; ${restored} SQS message(s) restored (${parked.length} parked in a DLQ)`,
    };
    recordFaultMatrixRow(row);
    expect(notPublished).toEqual([]);
    expect(depths).toEqual({ ...Object.fromEntries(dlqOutputs(d).map((dlq) => [dlq, 0])), [parkedQueue]: parked.length });
    expect((await readWholeQueue(d, d.outputs[parkedQueue])).map((m) => JSON.stringify(m.body)).sort()).toEqual([...parked].sort());
    expect(row).toMatchObject({ eventsIn: 33, applied: 33, inDlq: 0, duplicates: 0 });
  }, 240_000);
});

/**
 * The stream pollers read the emulators directly (`PollerReads`), not through the local AWS
 * endpoint, and the endpoint's fault rules still reach their reads.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateStreamCommand, KinesisClient, PutRecordCommand, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import { localClientConfig, startMappings, type RunningMappings } from '../../local/mappings';
import { LambdaRunner } from '../../local/runtime';
import { useEmulatedEndpoint } from './support/emulated-endpoint';
import { eventually } from './support/eventually';
import { localFunction } from '../support/factories/local-function';
import { localApp, localStreamMapping } from '../support/factories/local-app';

const root = mkdtempSync(path.join(tmpdir(), 'sluice-poller-reads-'));
const lines: string[] = [];
const log = (source: string, line: string) => {
  lines.push(`${source}: ${line}`);
};

const local = useEmulatedEndpoint();
let kinesis: KinesisClient;
let runner: LambdaRunner;
let mappings: RunningMappings;

beforeAll(async () => {
  const { emulators, endpoint } = local;
  kinesis = new KinesisClient(localClientConfig(endpoint.url));
  await kinesis.send(new CreateStreamCommand({ StreamName: 'reads', ShardCount: 1 }));
  await waitUntilStreamExists({ client: kinesis, maxWaitTime: 30 }, { StreamName: 'reads' });
  const dir = path.join(root, 'consumer');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'index.js'),
    `exports.handler = async (event) => {
      for (const record of event.Records) console.log('got ' + Buffer.from(record.kinesis.data, 'base64').toString());
      return { batchItemFailures: [] };
    };`,
  );
  const app = localApp({
    cloudAssemblyDir: root,
    tables: [],
    queues: [],
    functions: [localFunction('consumer', dir)],
    mappings: [
      localStreamMapping('ReadsMapping', {
        functionName: 'test-consumer',
        sourceName: 'reads',
        sourceArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/reads',
        batchSize: 10,
        maximumRetryAttempts: 1,
        maximumRecordAgeSeconds: -1,
        bisectBatchOnFunctionError: false,
      }),
    ],
  });
  runner = new LambdaRunner(app.functions, { awsEndpoint: endpoint.url, log });
  mappings = await startMappings(app, {
    awsEndpoint: endpoint.url,
    runner,
    log,
    idlePollMs: 50,
    retryDelayMs: 10,
    pollerReads: { kinesis: emulators.urls.kinesis, dynamodb: emulators.urls.dynamodb, faults: endpoint.chaos },
  });
}, 60_000);

afterAll(async () => {
  await mappings?.stop(5000);
  await runner?.stop();
  kinesis?.destroy();
  rmSync(root, { recursive: true, force: true });
});

async function putAndSee(data: string): Promise<void> {
  await kinesis.send(new PutRecordCommand({ StreamName: 'reads', PartitionKey: 'k', Data: Buffer.from(data) }));
  await eventually(
    async () => lines.some((line) => line.includes(`got ${data}`)),
    (seen) => seen,
    { what: `the consumer got ${data}` },
  );
}

describe('stream pollers reading the emulators directly', () => {
  it('deliver a record while their reads add no request to the endpoint', async () => {
    await putAndSee('first'); // the mapping is reading by now
    const before = local.endpoint.requestCounts.kinesis;
    await putAndSee('second');
    // The PutRecord alone: every GetRecords of the poller (it polls every 50 ms) went to kinesalite.
    expect(local.endpoint.requestCounts.kinesis - before).toBe(1);
  });

  it("meet the endpoint's fault rules on their reads", async () => {
    // Not a throttle: the SDK does not retry it, so the poller itself sees the failure and reads again.
    const [rule] = local.endpoint.chaos.add([{ service: 'kinesis', operation: 'GetRecords', times: 1, error: { statusCode: 400, code: 'AccessDeniedException' } }]);
    await putAndSee('third');
    expect(local.endpoint.chaos.list().some((active) => active.id === rule.id)).toBe(false); // its one hit used
    expect(lines.some((line) => line.includes('GetRecords on shardId-000000000000 failed: AccessDeniedException'))).toBe(true);
  });
});

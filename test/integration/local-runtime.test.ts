/**
 * The local runtime on its own: tiny hand-written handler assets in a temp dir run through the
 * Lambda runner, the API emulator over HTTP, and a Kinesis mapping on the real emulators.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { CreateStreamCommand, KinesisClient, PutRecordsCommand, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { startApiServer, type RunningApi } from '../../local/api';
import { startEmulators, type Emulators } from '../../local/emulators';
import { startAwsEndpoint, type AwsEndpoint } from '../../local/endpoint';
import { localClientConfig, startMappings } from '../../local/mappings';
import type { LocalApi, LocalApp, LocalStreamMapping } from '../../local/model';
import { LambdaRunner } from '../../local/runtime';
import { eventually } from './support/eventually';
import { localFunction } from '../support/factories/local-function';

const root = mkdtempSync(path.join(tmpdir(), 'sluice-runtime-'));
const lines: Array<{ source: string; line: string }> = [];
const log = (source: string, line: string) => {
  lines.push({ source, line });
};

function asset(name: string, code: string): string {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'index.js'), code);
  return dir;
}

const fn = localFunction;

// The SDK is loaded in the init phase (bounded by the 10 s init limit), not inside the 1 s timeout
// of test-hello: on a busy machine a cold require alone can take longer than that.
const echo = asset(
  'echo',
  `
  const sdk = typeof require('@aws-sdk/client-sqs').SQSClient;
  exports.handler = async (event, context) => {
    console.log('echo', context.awsRequestId);
    if (event.marker) console.log('first ' + event.marker + '\\nsecond ' + event.marker);
    if (event.sleepMs) await new Promise((resolve) => setTimeout(resolve, event.sleepMs));
    if (event.fail) throw new RangeError('asked to fail');
    return {
      pid: process.pid,
      greeting: process.env.GREETING,
      leaked: process.env.SLUICE_PARENT_ONLY,
      region: process.env.AWS_REGION,
      endpoint: process.env.AWS_ENDPOINT_URL,
      functionName: context.functionName,
      remainingMs: context.getRemainingTimeInMillis(),
      requestId: context.awsRequestId,
      sdk,
    };
  };
`,
);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('LambdaRunner', () => {
  let runner: LambdaRunner;

  beforeAll(() => {
    process.env.SLUICE_PARENT_ONLY = 'secret';
    runner = new LambdaRunner(
      [fn('hello', echo, { environment: { GREETING: 'hello' }, timeoutSeconds: 1 }), fn('bonjour', echo, { environment: { GREETING: 'bonjour' } })],
      { awsEndpoint: 'http://localhost:4566', log },
    );
  });

  afterAll(async () => {
    delete process.env.SLUICE_PARENT_ONLY;
    await runner.stop();
  });

  it('runs the handler with the Lambda environment and context', async () => {
    const outcome = await runner.invoke('test-hello', {});
    expect(outcome).toMatchObject({
      ok: true,
      result: { greeting: 'hello', region: 'us-east-1', endpoint: 'http://localhost:4566', functionName: 'test-hello', sdk: 'function' },
    });
  });

  it('keeps functions apart: each sees its own environment and nothing of the parent', async () => {
    const [hello, bonjour] = await Promise.all([runner.invoke('test-hello', {}), runner.invoke('test-bonjour', {})]);
    expect(hello).toMatchObject({ ok: true, result: { greeting: 'hello' } });
    expect(bonjour).toMatchObject({ ok: true, result: { greeting: 'bonjour' } });
    expect((hello as { result: object }).result).not.toHaveProperty('leaked');
    expect((hello as { result: { pid: number } }).result.pid).not.toBe((bonjour as { result: { pid: number } }).result.pid);
  });

  it('reuses a warm instance', async () => {
    const first = await runner.invoke('test-bonjour', {});
    const second = await runner.invoke('test-bonjour', {});
    expect((first as { result: { pid: number } }).result.pid).toBe((second as { result: { pid: number } }).result.pid);
  });

  it('hands work of one affinity (a mapping shard) back to the idle sandbox that ran it last', async () => {
    const pid = (outcome: unknown) => (outcome as { result: { pid: number } }).result.pid;
    const keys = ['shard-a', 'shard-b', 'shard-c'];
    // Three at once: three sandboxes, one per key.
    const first = await Promise.all(keys.map((affinity) => runner.invoke('test-bonjour', { sleepMs: 300 }, { affinity })));
    expect(new Set(first.map(pid)).size).toBe(3);

    // One at a time, every sandbox idle: each key goes back to its own, not to the first idle one.
    const again: number[] = [];
    for (const affinity of [...keys].reverse()) again.push(pid(await runner.invoke('test-bonjour', {}, { affinity })));
    expect(again).toEqual(first.map(pid).reverse());
  });

  it('never gives one instance two concurrent invocations, cold or warm', async () => {
    for (let round = 0; round < 2; round++) {
      const outcomes = await Promise.all(Array.from({ length: 6 }, () => runner.invoke('test-bonjour', { sleepMs: 300 })));
      expect(outcomes.every((o) => o.ok)).toBe(true);
      const pids = outcomes.map((o) => (o as { result: { pid: number } }).result.pid);
      expect(new Set(pids).size).toBe(6);
    }
  });

  it('reports a thrown error with its type and message', async () => {
    expect(await runner.invoke('test-bonjour', { fail: true })).toMatchObject({ ok: false, error: { errorType: 'RangeError', errorMessage: 'asked to fail' } });
  });

  it('kills an instance that times out and starts a fresh one next time', async () => {
    const before = await runner.invoke('test-hello', {});
    const timedOut = await runner.invoke('test-hello', { sleepMs: 5000 });
    expect(timedOut).toMatchObject({ ok: false, error: { errorType: 'Sandbox.Timedout' } });
    expect((timedOut as { error: { errorMessage: string } }).error.errorMessage).toMatch(/Task timed out after 1\.00 seconds/);
    const after = await runner.invoke('test-hello', {});
    expect(after).toMatchObject({ ok: true });
    expect((after as { result: { pid: number } }).result.pid).not.toBe((before as { result: { pid: number } }).result.pid);
    expect(() => process.kill((before as { result: { pid: number } }).result.pid, 0)).toThrow();
  });

  it('streams the function output line by line to the log', async () => {
    const marker = `marker-${randomUUID()}`;
    const from = lines.length;

    const outcome = await runner.invoke('test-bonjour', { marker });

    expect(outcome).toMatchObject({ ok: true });
    const { requestId } = (outcome as { result: { requestId: string } }).result;
    // Output goes through the instance's stdout pipe, beside the result: a line may reach the log
    // just after the invocation returned. Waiting for it is log I/O, not pipeline work.
    const thisCall = await eventually(
      async () =>
        lines
          .slice(from)
          .filter(({ source, line }) => source === 'bonjour' && (line.includes(marker) || line.includes(requestId)))
          .map(({ line }) => line),
      (found) => found.length >= 3,
      { what: `the output of invocation ${requestId} in the log`, timeoutMs: 10_000 },
    );
    expect(thisCall).toEqual([`echo ${requestId}`, `first ${marker}`, `second ${marker}`]);
  });
});

describe('API emulator', () => {
  const api: LocalApi = {
    logicalId: 'Api',
    stageName: 'dev',
    routes: [
      {
        method: 'POST',
        resourcePath: '/accounts',
        functionName: 'test-api',
        apiKeyRequired: true,
        validateBody: true,
        validateParameters: false,
        requestParameters: {},
        bodySchema: { type: 'object', required: ['owner', 'currency'], properties: { owner: { type: 'string' }, currency: { type: 'string' } } },
      },
      {
        method: 'GET',
        resourcePath: '/accounts/{id}',
        functionName: 'test-api',
        apiKeyRequired: true,
        validateBody: false,
        validateParameters: true,
        requestParameters: { 'method.request.path.id': true },
      },
      {
        method: 'GET',
        resourcePath: '/broken',
        functionName: 'test-api',
        apiKeyRequired: false,
        validateBody: false,
        validateParameters: false,
        requestParameters: {},
      },
    ],
    gatewayResponses: [
      {
        type: 'BAD_REQUEST_BODY',
        statusCode: '400',
        headers: { 'Content-Type': 'application/json' },
        templates: { 'application/json': '{"error":"validation_failed","message":"$context.error.validationErrorString"}' },
      },
      { type: 'MISSING_AUTHENTICATION_TOKEN', statusCode: '404', headers: {}, templates: { 'application/json': '{"error":"not_found","message":"no such route"}' } },
      { type: 'DEFAULT_4XX', headers: {}, templates: { 'application/json': '{"error":"request_rejected","message":$context.error.messageString}' } },
      { type: 'DEFAULT_5XX', headers: {}, templates: { 'application/json': '{"error":"internal_error","message":$context.error.messageString}' } },
    ],
  };
  const handler = asset(
    'api',
    `
    exports.handler = async (event) => {
      if (event.resource === '/broken') throw new Error('broken on purpose');
      return { statusCode: 201, headers: { 'X-Echo': 'yes' }, body: JSON.stringify(event) };
    };
  `,
  );
  let runner: LambdaRunner;
  let server: RunningApi;
  const call = (pathname: string, init: RequestInit = {}) => fetch(`${server.url}${pathname}`, init);

  beforeAll(async () => {
    runner = new LambdaRunner([fn('api', handler)], { awsEndpoint: 'http://localhost:4566', log });
    server = await startApiServer(api, { port: 0, apiKey: 'k', invoke: (name, event) => runner.invoke(name, event), log });
  });

  afterAll(async () => {
    await server.close();
    await runner.stop();
  });

  it('invokes the function with a REST proxy event and returns its response', async () => {
    const response = await call('/accounts/acc-1?x=1', { headers: { 'x-api-key': 'k' } });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-echo')).toBe('yes');
    const event = await response.json();
    expect(event).toMatchObject({
      resource: '/accounts/{id}',
      path: '/accounts/acc-1',
      httpMethod: 'GET',
      pathParameters: { id: 'acc-1' },
      queryStringParameters: { x: '1' },
      requestContext: { stage: 'dev', resourcePath: '/accounts/{id}', identity: { apiKey: 'k' } },
    });
  });

  it('also serves the API under the stage prefix', async () => {
    expect((await call('/dev/accounts/acc-1', { headers: { 'x-api-key': 'k' } })).status).toBe(201);
  });

  it.each([
    ['no x-api-key header', {}],
    ['a wrong key', { 'x-api-key': 'wrong' }],
    ['an empty key', { 'x-api-key': '' }],
  ])('refuses %s with INVALID_API_KEY', async (_, headers: Record<string, string>) => {
    const response = await call('/accounts/acc-1', { headers });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: 'request_rejected', message: 'Forbidden' });
  });

  it('answers an unknown route with MISSING_AUTHENTICATION_TOKEN', async () => {
    const response = await call('/nowhere', { headers: { 'x-api-key': 'k' } });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'not_found', message: 'no such route' });
  });

  it('validates the body against the model before invoking', async () => {
    const response = await call('/accounts', { method: 'POST', headers: { 'x-api-key': 'k', 'content-type': 'application/json' }, body: '{"currency":"EUR"}' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'validation_failed', message: '[object has missing required properties (["owner"])]' });
  });

  it('answers a function error with 502 in the DEFAULT_5XX shape', async () => {
    const response = await call('/broken');
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ error: 'internal_error', message: 'Internal server error' });
  });

  it('refuses a body over 10 MB with REQUEST_TOO_LARGE', async () => {
    const response = await call('/accounts', { method: 'POST', headers: { 'x-api-key': 'k' }, body: 'x'.repeat(10 * 1024 * 1024 + 1) });
    expect(response.status).toBe(413);
  });
});

describe('Kinesis mapping on the emulators', () => {
  let emulators: Emulators;
  let endpoint: AwsEndpoint;
  let kinesis: KinesisClient;
  let sqs: SQSClient;

  beforeAll(async () => {
    emulators = await startEmulators();
    endpoint = await startAwsEndpoint({ targets: emulators.urls, port: 0 });
    kinesis = new KinesisClient(localClientConfig(endpoint.url));
    sqs = new SQSClient(localClientConfig(endpoint.url));
  }, 60_000);

  afterAll(async () => {
    kinesis?.destroy();
    sqs?.destroy();
    await endpoint?.stop();
    await emulators?.stop();
  });

  async function drain(queueUrl: string, expected: number, timeoutMs = 30_000): Promise<Message[]> {
    const messages: Message[] = [];
    const deadline = Date.now() + timeoutMs;
    while (messages.length < expected && Date.now() < deadline) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      for (const message of Messages) {
        messages.push(message);
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle! }));
      }
    }
    return messages;
  }

  it('processes the good records and sends a poison record alone to the on-failure queue', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'events', ShardCount: 1 }));
    await waitUntilStreamExists({ client: kinesis, maxWaitTime: 20 }, { StreamName: 'events' });
    const { QueueUrl: processedUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'processed' }));
    const { QueueUrl: dlqUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'consumer-dlq' }));
    const consumer = asset(
      'consumer',
      `
      const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
      const sqs = new SQSClient({});
      exports.handler = async (event) => {
        const bodies = event.Records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString());
        if (bodies.includes('poison')) throw new Error('poison in batch');
        for (const body of bodies) await sqs.send(new SendMessageCommand({ QueueUrl: process.env.PROCESSED_QUEUE_URL, MessageBody: body }));
        return { batchItemFailures: [] };
      };
    `,
    );
    const mapping: LocalStreamMapping = {
      kind: 'kinesis',
      logicalId: 'ConsumerMapping',
      functionName: 'test-consumer',
      sourceName: 'events',
      sourceArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/events',
      batchSize: 10,
      maxBatchingWindowSeconds: 0,
      startingPosition: 'TRIM_HORIZON',
      maximumRetryAttempts: 1,
      maximumRecordAgeSeconds: -1,
      bisectBatchOnFunctionError: true,
      parallelizationFactor: 1,
      reportBatchItemFailures: true,
      onFailureQueueUrl: dlqUrl,
      filterPatterns: [],
    };
    const app: LocalApp = {
      cloudAssemblyDir: root,
      tables: [],
      streams: [],
      queues: [],
      outputs: {},
      functions: [fn('consumer', consumer, { environment: { PROCESSED_QUEUE_URL: processedUrl! }, timeoutSeconds: 10 })],
      mappings: [mapping],
    };
    const runner = new LambdaRunner(app.functions, { awsEndpoint: endpoint.url, log });
    const mappings = await startMappings(app, { awsEndpoint: endpoint.url, runner, log, idlePollMs: 50, retryDelayMs: 10 });
    try {
      const bodies = ['r0', 'r1', 'r2', 'poison', 'r4', 'r5'];
      const put = await kinesis.send(
        new PutRecordsCommand({ StreamName: 'events', Records: bodies.map((body, i) => ({ PartitionKey: `k${i}`, Data: Buffer.from(body) })) }),
      );
      const poisonSequence = put.Records![3].SequenceNumber!;

      const failures = await drain(dlqUrl!, 1);
      expect(failures).toHaveLength(1);
      const failure = JSON.parse(failures[0].Body!);
      expect(failure).toMatchObject({
        requestContext: { condition: 'RetryAttemptsExhausted', functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:test-consumer' },
        responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
        version: '1.0',
        KinesisBatchInfo: {
          shardId: 'shardId-000000000000',
          startSequenceNumber: poisonSequence,
          endSequenceNumber: poisonSequence,
          batchSize: 1,
          streamArn: mapping.sourceArn,
        },
      });

      const processed = await drain(processedUrl!, 5);
      expect(processed.map((m) => m.Body).sort()).toEqual(['r0', 'r1', 'r2', 'r4', 'r5']);
    } finally {
      await mappings.stop(5000);
      await runner.stop();
    }
  });
});

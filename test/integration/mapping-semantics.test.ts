/**
 * The event source mappings' documented failure semantics, end to end: tiny hand-written functions
 * run by the real Lambda runner, mappings started by `startMappings`, queues and streams on the
 * local cloud the integration global setup started, driven and inspected with the real SDK v3
 * clients. Each test quotes the AWS Lambda developer guide page it checks.
 *
 * The runner is instrumented (a subclass that records each invocation and its outcome), so the
 * tests wait on explicit invocation signals, never on fixed sleeps.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateStreamCommand, DeleteStreamCommand, KinesisClient, PutRecordsCommand, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { localClientConfig, startMappings, type RunningMappings } from '../../local/mappings';
import type { LocalApp, LocalFunction, LocalMapping, LocalQueueMapping, LocalStreamMapping } from '../../local/model';
import { LambdaRunner, type InvokeOutcome } from '../../local/runtime/lambda-runner';
import { localFunction } from '../support/factories/local-function';

const endpoint = process.env.AWS_ENDPOINT_URL;
// The mappings and the runner are the local cloud's own: nothing to run against LocalStack or AWS.
const describeLocal = process.env.SLUICE_TEST_TARGET === 'external' || !endpoint ? describe.skip : describe;

const root = mkdtempSync(path.join(tmpdir(), 'sluice-mapping-semantics-'));
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

interface Invocation {
  readonly functionName: string;
  readonly records: ReadonlyArray<Record<string, any>>;
  readonly outcome: InvokeOutcome;
}

/** The real runner, recording every invocation (event and outcome) as it ends. */
class RecordingRunner extends LambdaRunner {
  readonly invocations: Invocation[] = [];
  private readonly ended = new EventEmitter();

  override async invoke(functionName: string, event: unknown): Promise<InvokeOutcome> {
    const outcome = await super.invoke(functionName, event);
    const invocation = { functionName, records: (event as { Records: Array<Record<string, any>> }).Records, outcome };
    if (invocation.records.length === 0) return outcome; // a warm-up, not a mapping's batch
    this.invocations.push(invocation);
    this.ended.emit('invocation', invocation);
    return outcome;
  }

  /** Resolves with the first invocation (already ended or still to come) that matches. */
  invocation(matches: (invocation: Invocation) => boolean): Promise<Invocation> {
    const done = this.invocations.find(matches);
    if (done) return Promise.resolve(done);
    return new Promise((resolve) => {
      const listener = (invocation: Invocation) => {
        if (!matches(invocation)) return;
        this.ended.off('invocation', listener);
        resolve(invocation);
      };
      this.ended.on('invocation', listener);
    });
  }
}

function fn(name: string, code: string, overrides: Partial<LocalFunction> = {}): LocalFunction {
  const assetDir = path.join(root, name);
  mkdirSync(assetDir, { recursive: true });
  writeFileSync(path.join(assetDir, 'index.js'), code);
  return localFunction(name, assetDir, { stackName: 'mapping-semantics', functionName: unique(name), ...overrides });
}

const bodiesOf = (invocation: Invocation) => invocation.records.map((record) => record.body ?? Buffer.from(record.kinesis.data, 'base64').toString());

describeLocal('event source mapping semantics on the local cloud', () => {
  const config = localClientConfig(endpoint ?? 'http://localhost:4566');
  const sqs = new SQSClient(config);
  const kinesis = new KinesisClient(config);
  const queues: string[] = [];
  const streams: string[] = [];
  const log = () => undefined;

  afterAll(async () => {
    for (const queueUrl of queues) await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })).catch(() => undefined);
    for (const streamName of streams) await kinesis.send(new DeleteStreamCommand({ StreamName: streamName })).catch(() => undefined);
    sqs.destroy();
    kinesis.destroy();
    rmSync(root, { recursive: true, force: true });
  });

  async function queue(name: string, attributes: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    queues.push(QueueUrl!);
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    return { url: QueueUrl!, arn: Attributes!.QueueArn! };
  }

  async function stream(name: string): Promise<string> {
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    streams.push(name);
    await waitUntilStreamExists({ client: kinesis, maxWaitTime: 30, minDelay: 1 }, { StreamName: name });
    return `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`;
  }

  const queueMapping = (functionName: string, target: { url: string; arn: string }, fifo: boolean): LocalQueueMapping => ({
    kind: 'sqs',
    logicalId: 'QueueMapping',
    functionName,
    queueUrl: target.url,
    queueArn: target.arn,
    fifo,
    batchSize: 10,
    maxBatchingWindowSeconds: 0,
    reportBatchItemFailures: true,
    filterPatterns: [],
  });

  const streamMapping = (functionName: string, streamName: string, streamArn: string, overrides: Partial<LocalStreamMapping>): LocalStreamMapping => ({
    kind: 'kinesis',
    logicalId: 'StreamMapping',
    functionName,
    sourceName: streamName,
    sourceArn: streamArn,
    batchSize: 10,
    maxBatchingWindowSeconds: 0,
    startingPosition: 'TRIM_HORIZON',
    maximumRetryAttempts: 3,
    maximumRecordAgeSeconds: -1,
    bisectBatchOnFunctionError: true,
    parallelizationFactor: 1,
    reportBatchItemFailures: true,
    filterPatterns: [],
    ...overrides,
  });

  /**
   * Runs `body` with the function and mapping started; always stops both. Each function is warmed
   * up first (an empty batch), so no cold start eats into a short visibility timeout.
   */
  async function withMapping(fns: LocalFunction[], mapping: LocalMapping, body: (runner: RecordingRunner) => Promise<void>): Promise<void> {
    const app: LocalApp = { cloudAssemblyDir: root, tables: [], streams: [], queues: [], outputs: {}, functions: fns, mappings: [mapping] };
    const runner = new RecordingRunner(fns, { awsEndpoint: endpoint!, log });
    let running: RunningMappings | undefined;
    try {
      for (const warm of fns.filter((candidate) => candidate.reservedConcurrency !== 0)) await runner.invoke(warm.functionName, { Records: [] });
      running = await startMappings(app, { awsEndpoint: endpoint!, runner, log, idlePollMs: 50, retryDelayMs: 5, sqsWaitTimeSeconds: 1 });
      await body(runner);
    } finally {
      await running?.stop(5000);
      await runner.stop();
    }
  }

  async function sendFifo(queueUrl: string, group: string, bodies: string[]): Promise<void> {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: bodies.map((body, i) => ({ Id: String(i), MessageBody: body, MessageGroupId: group, MessageDeduplicationId: `${body}-${i}` })),
      }),
    );
  }

  /** Bodies in the order the function received them, over every invocation. */
  const deliveries = (runner: RecordingRunner) =>
    runner.invocations.flatMap((invocation) =>
      invocation.records.map((record) => ({
        body: record.body as string,
        receiveCount: Number(record.attributes.ApproximateReceiveCount),
        ok: invocation.outcome.ok,
      })),
    );

  // "If you're using this feature with a FIFO queue, your function should stop processing messages
  // after the first failure and return all failed and unprocessed messages in batchItemFailures."
  // (Handling errors for an SQS event source in Lambda) — Lambda deletes whatever was not reported,
  // and SQS puts several messages of one group in a batch, so reporting only the failure loses the rest.
  it('SQS FIFO: a handler that stops at a failure but reports only it loses the later messages of its group', async () => {
    const fifo = await queue(unique('semantics-partial') + '.fifo', { FifoQueue: 'true', VisibilityTimeout: '3' });
    await sendFifo(fifo.url, 'account-1', ['a1', 'a2', 'a3']);
    const reportsOnlyTheFailure = fn(
      'reports-only-the-failure',
      `
      exports.handler = async (event) => {
        const failed = event.Records.findIndex((record) => record.body === 'a1' && record.attributes.ApproximateReceiveCount === '1');
        // Stops at the failure (the later records stay unprocessed) but reports only the failed one: the bug.
        return { batchItemFailures: failed < 0 ? [] : [{ itemIdentifier: event.Records[failed].messageId }] };
      };
    `,
    );

    await withMapping([reportsOnlyTheFailure], queueMapping(reportsOnlyTheFailure.functionName, fifo, true), async (runner) => {
      await runner.invocation(() => deliveries(runner).some((delivery) => delivery.body === 'a1' && delivery.receiveCount === 2 && delivery.ok));
      const [first, ...later] = runner.invocations;
      expect(bodiesOf(first)).toEqual(['a1', 'a2', 'a3']); // one batch, as SQS returns a group
      // a2 and a3 were deleted unprocessed: only a1 ever came back.
      expect(later.flatMap(bodiesOf)).toEqual(['a1']);
    });
    expect(await messagesLeft(fifo.url)).toBe(0);
  }, 60_000);

  it('SQS FIFO: a handler that reports the failure and every later message of its group gets them all back, in order', async () => {
    const fifo = await queue(unique('semantics-fifo-tail') + '.fifo', { FifoQueue: 'true', VisibilityTimeout: '3' });
    await sendFifo(fifo.url, 'account-3', ['c1', 'c2', 'c3']);
    const reportsTheTail = fn(
      'reports-the-tail',
      `
      exports.handler = async (event) => {
        const failed = event.Records.findIndex((record) => record.body === 'c1' && record.attributes.ApproximateReceiveCount === '1');
        return { batchItemFailures: failed < 0 ? [] : event.Records.slice(failed).map((record) => ({ itemIdentifier: record.messageId })) };
      };
    `,
    );

    await withMapping([reportsTheTail], queueMapping(reportsTheTail.functionName, fifo, true), async (runner) => {
      await runner.invocation(() => deliveries(runner).some((delivery) => delivery.body === 'c3' && delivery.receiveCount === 2 && delivery.ok));
      expect(deliveries(runner).map((delivery) => `${delivery.body}#${delivery.receiveCount}`)).toEqual(['c1#1', 'c2#1', 'c3#1', 'c1#2', 'c2#2', 'c3#2']);
    });
    expect(await messagesLeft(fifo.url)).toBe(0);
  }, 60_000);

  // "If your function code caused the error, Lambda will stop processing and retrying the
  // invocation. [...] After your queue's visibility timeout runs out, the message will again
  // reappear in the queue." (Handling errors for an SQS event source in Lambda)
  it('SQS FIFO: deletes nothing when the function fails, and the group is processed in order', async () => {
    const fifo = await queue(unique('semantics-error') + '.fifo', { FifoQueue: 'true', VisibilityTimeout: '3' });
    await sendFifo(fifo.url, 'account-2', ['b1', 'b2', 'b3']);
    const failsFirstDeliveries = fn(
      'fails-first-deliveries',
      `
      exports.handler = async (event) => {
        if (event.Records.some((record) => record.attributes.ApproximateReceiveCount === '1')) throw new Error('a first delivery fails');
        return { batchItemFailures: [] };
      };
    `,
    );

    await withMapping([failsFirstDeliveries], queueMapping(failsFirstDeliveries.functionName, fifo, true), async (runner) => {
      await runner.invocation((invocation) => invocation.outcome.ok && invocation.records.some((record) => record.body === 'b3'));
      const seen = deliveries(runner);
      // Every message of a failed invocation came back (nothing was deleted), then succeeded, in group order.
      expect(
        seen
          .filter((delivery) => !delivery.ok)
          .every((failed) => seen.some((later) => later.body === failed.body && later.ok && later.receiveCount > failed.receiveCount)),
      ).toBe(true);
      expect(seen.filter((delivery) => delivery.ok).map((delivery) => delivery.body)).toEqual(['b1', 'b2', 'b3']);
      // One batch of the whole group failed; it came back after the visibility timeout in its original order.
      expect(runner.invocations.map(bodiesOf)).toEqual([
        ['b1', 'b2', 'b3'],
        ['b1', 'b2', 'b3'],
      ]);
    });
    expect(await messagesLeft(fifo.url)).toBe(0);
  }, 60_000);

  // "When a partial batch success response is received and both BisectBatchOnFunctionError and
  // ReportBatchItemFailures are turned on, the batch is bisected at the returned sequence number and
  // Lambda retries only the remaining records." (Configuring partial batch response with Kinesis)
  it('Kinesis, both flags on: retries everything from the reported record, without halving it', async () => {
    const streamName = unique('semantics-bisect');
    const streamArn = await stream(streamName);
    const bodies = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7'];
    await kinesis.send(new PutRecordsCommand({ StreamName: streamName, Records: bodies.map((body) => ({ PartitionKey: 'one-key', Data: Buffer.from(body) })) }));
    const reportsR2Once = fn(
      'reports-r2-once',
      `
      exports.handler = async (event) => {
        const bodies = event.Records.map((record) => Buffer.from(record.kinesis.data, 'base64').toString());
        // Only the first delivery (the one that starts at r0) reports r2.
        const failed = bodies[0] === 'r0' ? event.Records.filter((record, i) => bodies[i] === 'r2') : [];
        return { batchItemFailures: failed.map((record) => ({ itemIdentifier: record.kinesis.sequenceNumber })) };
      };
    `,
    );

    await withMapping([reportsR2Once], streamMapping(reportsR2Once.functionName, streamName, streamArn, {}), async (runner) => {
      const retry = await runner.invocation((invocation) => bodiesOf(invocation)[0] !== 'r0');
      expect(bodiesOf(runner.invocations[0])).toEqual(bodies);
      expect(bodiesOf(retry)).toEqual(bodies.slice(2));
    });
  }, 60_000);

  // "Retry attempts – The maximum number of times that Lambda retries when the function returns an
  // error. This doesn't apply to service errors or throttles where the batch didn't reach the
  // function." (Using Lambda with Kinesis)
  it('Kinesis: a paused consumer (reserved concurrency 0) keeps its records, whatever MaximumRetryAttempts says', async () => {
    const streamName = unique('semantics-throttle');
    const streamArn = await stream(streamName);
    const onFailure = await queue(unique('semantics-throttle-dlq'));
    await kinesis.send(
      new PutRecordsCommand({ StreamName: streamName, Records: ['t0', 't1', 't2'].map((body) => ({ PartitionKey: body, Data: Buffer.from(body) })) }),
    );
    const paused = fn('paused', 'exports.handler = async () => ({ batchItemFailures: [] });', { reservedConcurrency: 0 });
    const mapping = streamMapping(paused.functionName, streamName, streamArn, { maximumRetryAttempts: 0, onFailureQueueUrl: onFailure.url });

    await withMapping([paused], mapping, async (runner) => {
      // Without the throttle rule the first attempts would bisect down to t0 and discard it.
      await runner.invocation(() => runner.invocations.length >= 4);
      for (const invocation of runner.invocations.slice(0, 4)) {
        expect(invocation.outcome).toMatchObject({ ok: false, error: { errorType: 'TooManyRequestsException' } });
        expect(bodiesOf(invocation)).toEqual(['t0', 't1', 't2']);
      }
    });
    expect(await messagesLeft(onFailure.url)).toBe(0);
  }, 60_000);

  // "If the invocation fails due to throttling, Lambda gradually backs off retries [...] Lambda
  // continues to retry the message until the message's timestamp exceeds your queue's visibility
  // timeout, at which point Lambda drops the message." (Handling errors for an SQS event source)
  it('SQS: a throttled batch is not deleted; it comes back after the visibility timeout as another receive', async () => {
    const standard = await queue(unique('semantics-sqs-throttle'), { VisibilityTimeout: '1' });
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: standard.url, Entries: [{ Id: '0', MessageBody: 'paused' }] }));
    // It never runs; its timeout only has to fit the 1 s visibility timeout, as Lambda requires.
    const paused = fn('paused-worker', 'exports.handler = async () => ({ batchItemFailures: [] });', { reservedConcurrency: 0, timeoutSeconds: 1 });

    await withMapping([paused], queueMapping(paused.functionName, standard, false), async (runner) => {
      const second = await runner.invocation((invocation) => invocation.records[0].attributes.ApproximateReceiveCount === '2');
      expect(second.outcome).toMatchObject({ ok: false, error: { errorType: 'TooManyRequestsException' } });
      // Within the first visibility timeout the batch was retried more than once.
      expect(runner.invocations.filter((invocation) => invocation.records[0].attributes.ApproximateReceiveCount === '1').length).toBeGreaterThan(1);
    });
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: standard.url, WaitTimeSeconds: 5, AttributeNames: ['All'], MessageSystemAttributeNames: ['ApproximateReceiveCount'] }),
    );
    expect(Messages.map((message) => message.Body)).toEqual(['paused']);
    expect(Number(Messages[0].Attributes?.ApproximateReceiveCount)).toBeGreaterThanOrEqual(3);
  }, 60_000);

  async function messagesLeft(queueUrl: string): Promise<number> {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    return Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
  }
});

/**
 * Starts every event source mapping of the app (Kinesis, DynamoDB Streams, SQS) against the
 * local AWS endpoint, through the real SDK clients (the stream readers straight from the emulators
 * when given `pollerReads`).
 */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type LocalApp, type LocalQueueMapping, type LocalStreamMapping, type SourceWrite, type WrittenPlace } from '../model';
import type { LambdaRunner } from '../runtime/lambda-runner';
import { startDynamoDbStreamMapping } from './dynamodb-stream-poller';
import { startKinesisMapping } from './kinesis-poller';
import type { CheckpointStore } from './checkpoints';
import type { ConsumerDeps, StreamMappingConsumer, StreamMappingStatus } from './shard-consumer';
import { localClientConfig, pollerStreamClients, type PollerReads } from './poller-clients';
import { queueMappingProblems } from './sqs-mapping-rules';
import { startSqsMapping } from './sqs-poller';
import { withoutCallLog } from '../../lambdas/shared/sdk-call-log';

export { StreamMappingConsumer, type StreamMappingStatus } from './shard-consumer';
export { SqsMappingConsumer } from './sqs-poller';
export { FileCheckpointStore, type CheckpointStore } from './checkpoints';
export { localClientConfig, pollerKinesisClient, FaultingHttpHandler, type PollerReads } from './poller-clients';

/**
 * How long an idle stream reader waits before it polls again when the endpoint wakes it on every
 * write to its source: the wait is only a safety net then, so an idle shard is polled about once
 * a second (as Lambda polls an idle Kinesis shard) instead of five times, which leaves the CPU to
 * the work. Without wake-ups (a bare `startMappings`), 200 ms, the consumer's own default.
 */
export const WOKEN_IDLE_POLL_MS = 1000;

/** The idle wait the stream readers get: the caller's, else {@link WOKEN_IDLE_POLL_MS} when writes wake them, else the default. */
export function streamIdlePollMs(options: Pick<MappingsOptions, 'idlePollMs' | 'onSourceWrite'>): number | undefined {
  return options.idlePollMs ?? (options.onSourceWrite ? WOKEN_IDLE_POLL_MS : undefined);
}

export interface MappingsOptions {
  readonly awsEndpoint: string;
  readonly runner: LambdaRunner;
  readonly log: (source: string, line: string) => void;
  /** Faster polling for tests. */
  readonly idlePollMs?: number;
  readonly retryDelayMs?: number;
  readonly sqsWaitTimeSeconds?: number;
  /** Stream checkpoints that survive restarts (`--persist`); in memory when absent. */
  readonly checkpoints?: CheckpointStore;
  /** Subscribes to writes seen by the AWS endpoint, to wake idle stream pollers at once. */
  readonly onSourceWrite?: SourceWriteSubscription;
  /** The stream pollers read the emulators directly, with the endpoint's fault rules ({@link PollerReads}: why); through `awsEndpoint` when absent. */
  readonly pollerReads?: PollerReads;
}

export type { SourceWrite, WrittenPlace } from '../model';
/** Registers a listener for source writes (and where they landed, when known); returns the function that removes it. */
export type SourceWriteSubscription = (listener: (write: SourceWrite, place?: WrittenPlace) => void) => () => void;

export interface RunningMappings {
  /** Each stream mapping's progress per shard (what `GET /_sluice/settled` checks). */
  streamStatus(): StreamMappingStatus[];
  /**
   * Disables or enables every stream mapping of `functionName` (`UpdateEventSourceMapping`
   * `Enabled`); answers how many there were. See `StreamMappingConsumer.setEnabled`.
   */
  setStreamMappingsEnabled(functionName: string, enabled: boolean): number;
  /** Stops polling and waits for batches in flight (each bounded by `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Reads each SQS mapping's queue visibility timeout and checks the mapping against what Lambda
 * accepts at deploy.
 *
 * @throws Error listing every mapping Lambda would refuse, and why.
 */
async function checkQueueMappings(sqs: SQSClient, mappings: readonly LocalQueueMapping[]): Promise<Map<LocalQueueMapping, number>> {
  const visibility = new Map<LocalQueueMapping, number>();
  const problems: string[] = [];
  for (const mapping of mappings) {
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: mapping.queueUrl, AttributeNames: ['VisibilityTimeout'] }));
    const visibilityTimeoutSeconds = Number(Attributes?.VisibilityTimeout ?? 30);
    visibility.set(mapping, visibilityTimeoutSeconds);
    for (const problem of queueMappingProblems(mapping)) problems.push(`${mapping.logicalId} (${mapping.functionName} ← ${mapping.queueUrl}): ${problem}`);
  }
  if (problems.length > 0) {
    throw new Error(
      `AWS Lambda would refuse ${problems.length === 1 ? 'this event source mapping' : 'these event source mappings'} at deploy, so the local cloud does too:\n  ${problems.join('\n  ')}`,
    );
  }
  return visibility;
}

/**
 * Starts all mappings of the app.
 *
 * @throws Error when a DynamoDB mapping's table has no stream, or when Lambda would refuse an SQS mapping.
 */
export async function startMappings(app: LocalApp, options: MappingsOptions): Promise<RunningMappings> {
  const config = localClientConfig(options.awsEndpoint);
  const { kinesis, streams } = pollerStreamClients(options.awsEndpoint, options.pollerReads);
  const dynamodb = withoutCallLog(new DynamoDBClient(config));
  const sqs = withoutCallLog(new SQSClient(config));
  let visibility: Map<LocalQueueMapping, number>;
  try {
    visibility = await checkQueueMappings(
      sqs,
      app.mappings.filter((mapping): mapping is LocalQueueMapping => mapping.kind === 'sqs'),
    );
  } catch (error) {
    for (const client of [kinesis, dynamodb, streams, sqs]) client.destroy();
    throw error;
  }
  const consumers: Array<{ stop(graceMs?: number): Promise<void> }> = [];
  const streamConsumers: Record<SourceWrite, StreamMappingConsumer[]> = { kinesis: [], dynamodb: [] };

  const source = (mapping: { functionName: string; logicalId: string }) => {
    const fn = app.functions.find((candidate) => candidate.functionName === mapping.functionName);
    return `${fn?.displayName ?? mapping.functionName} ESM`;
  };
  const streamDeps = (mapping: LocalStreamMapping): ConsumerDeps => ({
    invoke: (functionName, event, invokeOptions) => options.runner.invoke(functionName, event, invokeOptions),
    sendToDestination: async (queueUrl, body) => {
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    },
    log: (line) => options.log(source(mapping), line),
    idlePollMs: streamIdlePollMs(options),
    retryDelayMs: options.retryDelayMs,
    checkpoints: options.checkpoints,
  });

  for (const mapping of app.mappings) {
    if (mapping.kind === 'sqs') {
      consumers.push(
        startSqsMapping(sqs, mapping, {
          invoke: (functionName, event) => options.runner.invoke(functionName, event),
          log: (line) => options.log(source(mapping), line),
          functionConcurrency: options.runner.concurrencyOf(mapping.functionName),
          visibilityTimeoutSeconds: visibility.get(mapping) ?? 30,
          waitTimeSeconds: options.sqsWaitTimeSeconds,
          retryDelayMs: options.retryDelayMs,
        }),
      );
    } else if (mapping.kind === 'kinesis') {
      const consumer = startKinesisMapping(kinesis, mapping, streamDeps(mapping));
      consumers.push(consumer);
      streamConsumers.kinesis.push(consumer);
    } else {
      const table = app.tables.find((candidate) => candidate.tableName === mapping.sourceName);
      const streamArn = table?.streamArn ?? (await dynamodb.send(new DescribeTableCommand({ TableName: mapping.sourceName }))).Table?.LatestStreamArn;
      if (!streamArn) throw new Error(`table "${mapping.sourceName}" has no stream for mapping ${mapping.logicalId}: enable a stream on it (StreamSpecification)`);
      const hashKey = table?.keySchema.find((key) => key.KeyType === 'HASH')?.AttributeName;
      const consumer = startDynamoDbStreamMapping(streams, mapping, streamArn, hashKey, streamDeps(mapping));
      consumers.push(consumer);
      streamConsumers.dynamodb.push(consumer);
    }
  }

  const unsubscribe = options.onSourceWrite?.((write, place) => {
    for (const consumer of streamConsumers[write]) consumer.wakeFor(place);
  });

  return {
    streamStatus: () => [...streamConsumers.kinesis, ...streamConsumers.dynamodb].map((consumer) => consumer.status()),
    setStreamMappingsEnabled(functionName, enabled) {
      const matching = [...streamConsumers.kinesis, ...streamConsumers.dynamodb].filter((consumer) => consumer.mapping.functionName === functionName);
      for (const consumer of matching) consumer.setEnabled(enabled);
      return matching.length;
    },
    async stop(graceMs = 10_000) {
      unsubscribe?.();
      await Promise.all(consumers.map((consumer) => consumer.stop(graceMs)));
      for (const client of [kinesis, dynamodb, streams, sqs]) client.destroy();
    },
  };
}

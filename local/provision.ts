import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
  type KeySchemaElement,
  type Projection,
} from '@aws-sdk/client-dynamodb';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  IncreaseStreamRetentionPeriodCommand,
  KinesisClient,
  ResourceInUseException as StreamInUseException,
} from '@aws-sdk/client-kinesis';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_REGION, type LocalApp, type LocalQueue, type LocalTable } from './model';
import { withStreamArns } from './template';
import { tableSchemaDifferences, TableSchemaDriftError } from './table-schema';

/** Credentials the emulators accept; never real ones. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export interface ProvisionResult {
  /** The app with each table's real stream ARN filled in (env vars and mappings included). */
  readonly app: LocalApp;
  readonly created: readonly string[];
  readonly existing: readonly string[];
}

/**
 * Creates every stream, table and queue of the app through the local endpoint.
 *
 * Idempotent: resources that already exist (a `--persist` restart) are kept as they are, but a
 * saved table whose schema is no longer the template's stops the start ({@link TableSchemaDriftError}).
 * Tables are on-demand; TTL is enabled with UpdateTimeToLive; queues get their FIFO, redrive,
 * visibility and retention attributes (dead-letter queues first).
 */
export async function provision(app: LocalApp, awsEndpoint: string): Promise<ProvisionResult> {
  const config = { region: LOCAL_REGION, endpoint: awsEndpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 5 };
  const kinesis = new KinesisClient(config);
  const dynamodb = new DynamoDBClient(config);
  const sqs = new SQSClient(config);
  const created: string[] = [];
  const existing: string[] = [];
  const note = (isNew: boolean, name: string) => (isNew ? created : existing).push(name);
  try {
    // Tables, streams and queues are independent: created at the same time, the streams and queues
    // cost no time beside DynamoDB Local's nine cold CreateTables. Every call is awaited before
    // the clients are destroyed, even when one fails (a half-sent call would be cut off).
    const [tables, ...others] = await Promise.allSettled([
      Promise.all(
        app.tables.map(async (table): Promise<LocalTable> => {
          const { isNew, streamArn } = await createTable(dynamodb, table);
          note(isNew, table.tableName);
          return streamArn ? { ...table, streamArn } : table;
        }),
      ),
      ...app.streams.map(async (stream) => {
        note(await createStream(kinesis, stream.streamName, stream.shardCount, stream.retentionHours), stream.streamName);
      }),
      createQueues(sqs, app.queues, note),
    ]);
    const failed = [tables, ...others].find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    return { app: withStreamArns({ ...app, tables: (tables as PromiseFulfilledResult<LocalTable[]>).value }), created, existing };
  } finally {
    kinesis.destroy();
    dynamodb.destroy();
    sqs.destroy();
  }
}

async function createTable(client: DynamoDBClient, table: LocalTable): Promise<{ isNew: boolean; streamArn?: string }> {
  const input: CreateTableCommandInput = {
    TableName: table.tableName,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [...table.keySchema],
    AttributeDefinitions: [...table.attributeDefinitions],
    ...(table.globalSecondaryIndexes ? { GlobalSecondaryIndexes: table.globalSecondaryIndexes.map(toIndex) } : {}),
    ...(table.localSecondaryIndexes ? { LocalSecondaryIndexes: table.localSecondaryIndexes.map(toIndex) } : {}),
    ...(table.streamViewType ? { StreamSpecification: { StreamEnabled: true, StreamViewType: table.streamViewType } } : {}),
  };
  let isNew = true;
  let streamArn: string | undefined;
  try {
    const out = await client.send(new CreateTableCommand(input));
    streamArn = out.TableDescription?.LatestStreamArn;
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    isNew = false;
    const out = await client.send(new DescribeTableCommand({ TableName: table.tableName }));
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: table.tableName }));
    const differences = tableSchemaDifferences(table, out.Table ?? {}, ttl.TimeToLiveDescription);
    if (differences.length > 0) throw new TableSchemaDriftError(table.tableName, differences);
    streamArn = out.Table?.LatestStreamArn;
  }
  // A table this call created has TTL off: no DescribeTimeToLive round trip before turning it on.
  if (isNew && table.timeToLiveAttribute) {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: table.tableName,
        TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true },
      }),
    );
  }
  return { isNew, streamArn };
}

/** A CloudFormation index definition as CreateTable takes it (CloudFormation uses the same field names). */
function toIndex(index: Record<string, unknown>): { IndexName: string; KeySchema: KeySchemaElement[]; Projection: Projection } {
  return {
    IndexName: String(index.IndexName),
    KeySchema: index.KeySchema as KeySchemaElement[],
    Projection: (index.Projection ?? { ProjectionType: 'ALL' }) as Projection,
  };
}

async function createStream(client: KinesisClient, name: string, shards: number, retentionHours: number): Promise<boolean> {
  let isNew = true;
  try {
    await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  } catch (error) {
    if (!(error instanceof StreamInUseException)) throw error;
    isNew = false;
  }
  for (let attempt = 0; ; attempt++) {
    const out = await client.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    const summary = out.StreamDescriptionSummary;
    if (summary?.StreamStatus === 'ACTIVE') {
      if (isNew && retentionHours > (summary.RetentionPeriodHours ?? 24)) {
        await client.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: name, RetentionPeriodHours: retentionHours }));
      }
      return isNew;
    }
    if (attempt > 200) throw new Error(`stream ${name} did not become ACTIVE`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function createQueues(client: SQSClient, queues: readonly LocalQueue[], note: (isNew: boolean, name: string) => void): Promise<void> {
  // Dead-letter queues first, so a redrive policy never names a queue that does not exist yet.
  const targets = new Set(queues.flatMap((q) => (q.redrive ? [q.redrive.deadLetterTargetArn] : [])));
  const order = [...queues.filter((q) => targets.has(q.arn)), ...queues.filter((q) => !targets.has(q.arn))];
  for (const group of [order.filter((q) => targets.has(q.arn)), order.filter((q) => !targets.has(q.arn))]) {
    await Promise.all(
      group.map(async (queue) => {
        const attributes: Record<string, string> = {
          VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
          MessageRetentionPeriod: String(queue.messageRetentionSeconds),
        };
        if (queue.fifo) {
          attributes.FifoQueue = 'true';
          attributes.ContentBasedDeduplication = String(queue.contentBasedDeduplication);
        }
        if (queue.redrive) {
          attributes.RedrivePolicy = JSON.stringify({
            deadLetterTargetArn: queue.redrive.deadLetterTargetArn,
            maxReceiveCount: queue.redrive.maxReceiveCount,
          });
        }
        const out = await client.send(new CreateQueueCommand({ QueueName: queue.queueName, Attributes: attributes }));
        if (out.QueueUrl !== queue.url) {
          throw new Error(`queue ${queue.queueName} got URL ${out.QueueUrl}, expected ${queue.url}: is another process on the AWS port?`);
        }
        note(true, queue.queueName);
      }),
    );
  }
}

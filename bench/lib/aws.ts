/** SDK clients and HTTP calls against the bench's own local cloud. */
import {
  type AttributeDefinition,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, DeleteStreamCommand, DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { pollerKinesisClient } from '../../local/mappings/poller-clients';
import { withoutCallLog } from '../../lambdas/shared/sdk-call-log';
import { sleep, waitUntil } from './util';

export interface BenchTarget {
  readonly awsEndpoint: string;
  readonly apiUrl: string;
  readonly apiKey: string;
  /** Stack outputs merged across stacks (EventStoreTableName, BalancesTableName, EventsStreamName, …). */
  readonly outputs: Readonly<Record<string, string>>;
}

export interface BenchClients {
  readonly dynamo: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
  readonly kinesis: KinesisClient;
  destroy(): void;
}

export function createClients(awsEndpoint: string): BenchClients {
  const config = { endpoint: awsEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  // As the functions' and the pollers' clients: the raw baselines must not pay a call log the pipeline no longer pays.
  const dynamo = withoutCallLog(new DynamoDBClient(config));
  const doc = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  // HTTP/1.1 keep-alive, as the functions call Kinesis (`newKinesisClient`): the raw baselines (ingest's PutRecords, the
  // latency floor's) must not pay the SDK's default HTTP/2, which the endpoint serves through a JS stream at about 2× per call.
  const kinesis = pollerKinesisClient(awsEndpoint);
  return {
    dynamo,
    doc,
    kinesis,
    destroy() {
      kinesis.destroy();
      dynamo.destroy();
    },
  };
}

export function output(target: BenchTarget, name: string): string {
  const value = target.outputs[name];
  if (!value) throw new Error(`stack output ${name} is missing; known: ${Object.keys(target.outputs).join(', ')}`);
  return value;
}

export interface ApiResult<T> {
  readonly status: number;
  readonly body: T;
}

/** One API call with the key, as a client would make it; JSON in and out; `headers` are sent as well. */
export async function api<T = any>(target: BenchTarget, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResult<T>> {
  const response = await fetch(`${target.apiUrl.replace(/\/$/, '')}${path}`, {
    method,
    headers: { 'x-api-key': target.apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // keep the text
  }
  return { status: response.status, body: parsed as T };
}

/** Creates an on-demand table for the bench and waits until it is ACTIVE. */
export async function createBenchTable(
  dynamo: DynamoDBClient,
  tableName: string,
  keys: ReadonlyArray<{ name: string; type: 'S' | 'N'; key: 'HASH' | 'RANGE' }>,
): Promise<void> {
  await dynamo.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: keys.map((k): KeySchemaElement => ({ AttributeName: k.name, KeyType: k.key })),
      AttributeDefinitions: keys.map((k): AttributeDefinition => ({ AttributeName: k.name, AttributeType: k.type })),
    }),
  );
  await waitUntil(async () => (await dynamo.send(new DescribeTableCommand({ TableName: tableName }))).Table?.TableStatus === 'ACTIVE', `table ${tableName} ACTIVE`, {
    timeoutMs: 30_000,
    intervalMs: 50,
  });
}

export async function deleteBenchTable(dynamo: DynamoDBClient, tableName: string): Promise<void> {
  await dynamo.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
}

export async function createBenchStream(kinesis: KinesisClient, streamName: string, shardCount: number): Promise<void> {
  await kinesis.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shardCount }));
  await waitUntil(
    async () => (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }))).StreamDescriptionSummary?.StreamStatus === 'ACTIVE',
    `stream ${streamName} ACTIVE`,
    { timeoutMs: 30_000, intervalMs: 20 },
  );
}

export async function deleteBenchStream(kinesis: KinesisClient, streamName: string): Promise<void> {
  await kinesis.send(new DeleteStreamCommand({ StreamName: streamName })).catch(() => undefined);
}

/**
 * Writes `items` with BatchWriteItem (25 per call, `concurrency` calls in flight), retrying
 * unprocessed items a bounded number of times.
 *
 * @throws Error when items are still unprocessed after the retries
 */
export async function batchWriteAll(
  doc: DynamoDBDocumentClient,
  tableName: string,
  items: ReadonlyArray<Record<string, unknown>>,
  concurrency: number,
): Promise<void> {
  const batches: Array<Array<Record<string, unknown>>> = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25) as Array<Record<string, unknown>>);
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let pending = batches[next++].map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt >= 8) throw new Error(`${pending.length} items still unprocessed in ${tableName} after ${attempt} attempts`);
        if (attempt > 0) await sleep(20 * 2 ** attempt);
        const result = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
        pending = (result.UnprocessedItems?.[tableName] ?? []) as typeof pending;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
}

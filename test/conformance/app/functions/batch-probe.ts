/**
 * The batch probe: consumes Kinesis, DynamoDB stream and SQS batches, records every invocation
 * in the observations table, and fails, reports or answers as each record's ProbeSpec says.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DELIVERY_PREFIX, INVOCATION_PREFIX, OBSERVATIONS_TABLE_ENV, type Observation, type ProbeResponse, type ProbeSpec } from './probe-spec';

const table = process.env[OBSERVATIONS_TABLE_ENV] ?? '';
const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}));

interface ProbeRecord {
  readonly spec: ProbeSpec;
  readonly id: string;
  readonly itemIdentifier: string;
  readonly raw: unknown;
}

interface StreamOrQueueRecord {
  readonly kinesis?: { data: string; sequenceNumber: string };
  readonly dynamodb?: { SequenceNumber: string; NewImage?: { probe?: { S?: string } }; OldImage?: { probe?: { S?: string } } };
  readonly eventName?: string;
  readonly messageId?: string;
  readonly body?: string;
}

function parse(text: string | undefined): ProbeSpec | undefined {
  try {
    const spec = (JSON.parse(text ?? '') as { probe?: ProbeSpec }).probe;
    return spec && typeof spec.run === 'string' && typeof spec.id === 'string' ? spec : undefined;
  } catch {
    return undefined;
  }
}

function toProbeRecord(record: StreamOrQueueRecord): ProbeRecord | undefined {
  if (record.kinesis) {
    const spec = parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8'));
    return spec && { spec, id: spec.id, itemIdentifier: record.kinesis.sequenceNumber, raw: record };
  }
  if (record.dynamodb) {
    const spec = parse(record.dynamodb.NewImage?.probe?.S ?? record.dynamodb.OldImage?.probe?.S);
    return spec && { spec, id: `${spec.id}:${record.eventName}`, itemIdentifier: record.dynamodb.SequenceNumber, raw: record };
  }
  if (record.messageId !== undefined) {
    const spec = parse(record.body);
    return spec && { spec, id: spec.id, itemIdentifier: record.messageId, raw: record };
  }
  return undefined;
}

async function countDelivery(record: ProbeRecord): Promise<number> {
  const result = await dynamo.send(
    new UpdateCommand({
      TableName: table,
      Key: { run: record.spec.run, sk: `${DELIVERY_PREFIX}${record.id}` },
      UpdateExpression: 'ADD deliveries :one',
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(result.Attributes?.deliveries ?? 1);
}

function override(response: ProbeResponse): unknown {
  switch (response) {
    case 'null':
      return null;
    case 'empty-list':
      return { batchItemFailures: [] };
    case 'null-list':
      return { batchItemFailures: null };
    case 'empty-id':
      return { batchItemFailures: [{ itemIdentifier: '' }] };
    case 'unknown-id':
      return { batchItemFailures: [{ itemIdentifier: 'no-such-item-in-this-batch' }] };
  }
}

export const handler = async (event: { Records?: StreamOrQueueRecord[] }, context: { awsRequestId: string; functionName: string }): Promise<unknown> => {
  const all = event.Records ?? [];
  const records = all.map(toProbeRecord).filter((record): record is ProbeRecord => record !== undefined);
  const deliveries = new Map<ProbeRecord, number>();
  for (const record of records) deliveries.set(record, await countDelivery(record));

  const runs = new Set(records.map((record) => record.spec.run));
  const at = Date.now();
  for (const run of runs) {
    const mine = records.filter((record) => record.spec.run === run);
    const observation: Observation = {
      run,
      sk: `${INVOCATION_PREFIX}${String(at).padStart(15, '0')}#${randomUUID()}`,
      functionName: context.functionName,
      requestId: context.awsRequestId,
      at,
      ids: mine.map((record) => record.id),
      itemIdentifiers: mine.map((record) => record.itemIdentifier),
      deliveries: Object.fromEntries(mine.map((record) => [record.id, deliveries.get(record)!])),
      batchSize: all.length,
      records: mine.map((record) => record.raw),
    };
    await dynamo.send(new PutCommand({ TableName: table, Item: observation }));
  }

  const sleepMs = Math.max(0, ...records.map((record) => record.spec.sleepMs ?? 0));
  if (sleepMs > 0) await new Promise((resolve) => setTimeout(resolve, sleepMs));

  const responding = records.find((record) => record.spec.respond && deliveries.get(record)! <= (record.spec.respondTimes ?? 1));
  if (responding?.spec.respond) return override(responding.spec.respond);
  const failing = records.filter((record) => {
    const times = record.spec.failTimes ?? 0;
    return times === -1 || deliveries.get(record)! <= times;
  });
  if (failing.some((record) => record.spec.how === 'throw')) {
    throw new Error(`probe failure of ${failing.map((record) => record.id).join(', ')}`);
  }
  return { batchItemFailures: failing.map((record) => ({ itemIdentifier: record.itemIdentifier })) };
};

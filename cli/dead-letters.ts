import {
  DynamoDBStreamsClient,
  GetRecordsCommand as GetStreamRecordsCommand,
  GetShardIteratorCommand as GetStreamShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { CliContext } from './context';
import { CliError } from './errors';
import { compareSequence, kinesisEventRecord, ShardReader } from './stream';

/** Where a stream consumer's failed records are, as told by one DLQ message. */
export type StreamFailure =
  | {
      /** The event source mapping's own failure record (metadata only): the records must be read again. */
      readonly shape: 'aws-failure-record';
      readonly source: 'kinesis' | 'dynamodb';
      readonly shardId: string;
      readonly startSequenceNumber: string;
      readonly endSequenceNumber: string;
      readonly batchSize: number;
      readonly streamArn: string;
      readonly functionArn?: string;
      readonly condition?: string;
    }
  | {
      /** A consumer's own dead letter `{reason, message, consumer, record}`: the record travels with it. */
      readonly shape: 'dead-letter';
      readonly source: 'kinesis' | 'dynamodb';
      readonly reason: string;
      readonly message?: string;
      readonly consumer?: string;
      readonly record: Record<string, any>;
    };

/** Parses a stream-consumer DLQ body, or `undefined` for anything else. */
export function parseStreamFailure(body: unknown): StreamFailure | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, any>;
  const info = b.KinesisBatchInfo ?? b.DDBStreamBatchInfo;
  if (info && typeof info.shardId === 'string' && typeof info.startSequenceNumber === 'string') {
    return {
      shape: 'aws-failure-record',
      source: b.KinesisBatchInfo ? 'kinesis' : 'dynamodb',
      shardId: info.shardId,
      startSequenceNumber: info.startSequenceNumber,
      endSequenceNumber: info.endSequenceNumber ?? info.startSequenceNumber,
      batchSize: Number(info.batchSize ?? 0),
      streamArn: info.streamArn,
      ...(b.requestContext?.functionArn ? { functionArn: b.requestContext.functionArn } : {}),
      ...(b.requestContext?.condition ? { condition: b.requestContext.condition } : {}),
    };
  }
  if (b.record && typeof b.record === 'object' && typeof b.reason === 'string') {
    const record = b.record as Record<string, any>;
    const dynamodb = record.keys !== undefined || record.newImage !== undefined || record.dynamodb !== undefined;
    return { shape: 'dead-letter', source: dynamodb ? 'dynamodb' : 'kinesis', reason: b.reason, message: b.message ?? b.error, consumer: b.consumer, record };
  }
  return undefined;
}

/** A short description of where the failed records are. */
export function describeFailure(failure: StreamFailure): string {
  if (failure.shape === 'aws-failure-record') {
    return `${failure.source} ${failure.shardId} ${failure.startSequenceNumber}..${failure.endSequenceNumber} (${failure.batchSize} record(s)${failure.condition ? `, ${failure.condition}` : ''})`;
  }
  const seq = failure.record.sequenceNumber ?? failure.record.kinesis?.sequenceNumber ?? failure.record.dynamodb?.SequenceNumber ?? '?';
  return `${failure.source} record ${failure.record.shardId ? `${failure.record.shardId} ` : ''}${seq}: ${failure.reason}${failure.message ? ` (${failure.message})` : ''}`;
}

/** The Lambda event records a failure stands for, read again from the stream when needed. */
export async function recordsOf(ctx: CliContext, failure: StreamFailure): Promise<Array<Record<string, any>>> {
  const region = (await ctx.kinesis.config.region()) ?? 'us-east-1';
  if (failure.shape === 'dead-letter') {
    const r = failure.record;
    if (failure.source === 'kinesis') {
      if (r.kinesis) return [r];
      return [
        {
          kinesis: {
            kinesisSchemaVersion: '1.0',
            partitionKey: r.partitionKey,
            sequenceNumber: r.sequenceNumber,
            data: r.data,
            approximateArrivalTimestamp: r.approximateArrivalTimestamp,
          },
          eventSource: 'aws:kinesis',
          eventVersion: '1.0',
          eventID: `${r.shardId ?? 'shardId-000000000000'}:${r.sequenceNumber}`,
          eventName: 'aws:kinesis:record',
          invokeIdentityArn: 'arn:aws:iam::000000000000:role/sluice-cli',
          awsRegion: region,
          eventSourceARN: r.eventSourceARN,
        },
      ];
    }
    if (r.dynamodb) return [r];
    // The relay's letter for an event too big for SQS names the event store item instead of carrying it.
    const image = r.newImage ?? (r.imageIn === 'event-store' ? await storedImage(ctx, r.keys) : undefined);
    return [
      dynamoEventRecord(
        { Keys: r.keys, NewImage: image, SequenceNumber: r.sequenceNumber, ApproximateCreationDateTime: r.approximateCreationDateTime },
        r.eventSourceARN,
        region,
      ),
    ];
  }
  if (failure.source === 'kinesis') {
    const streamName = failure.streamArn.split(':stream/')[1] ?? failure.streamArn;
    const reader = await ShardReader.open(ctx.kinesis, streamName, failure.shardId, { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: failure.startSequenceNumber });
    const records = [];
    while (!reader.closed) {
      const page = await reader.next(1000);
      for (const record of page) {
        if (compareSequence(record.SequenceNumber!, failure.endSequenceNumber) > 0) return records;
        records.push(kinesisEventRecord(record, failure.shardId, failure.streamArn, region));
      }
      if (reader.caughtUp) break;
    }
    return records;
  }
  const streams = new DynamoDBStreamsClient(ctx.sdk);
  try {
    let { ShardIterator: iterator } = await streams.send(
      new GetStreamShardIteratorCommand({
        StreamArn: failure.streamArn,
        ShardId: failure.shardId,
        ShardIteratorType: 'AT_SEQUENCE_NUMBER',
        SequenceNumber: failure.startSequenceNumber,
      }),
    );
    const records = [];
    for (let pages = 0; iterator && pages < 100; pages++) {
      const page = await streams.send(new GetStreamRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      for (const record of page.Records ?? []) {
        if (compareSequence(record.dynamodb!.SequenceNumber!, failure.endSequenceNumber) > 0) return records;
        records.push(dynamoEventRecord(record.dynamodb as Record<string, any>, failure.streamArn, region, record.eventName));
      }
      if (!page.Records?.length) break;
      iterator = page.NextShardIterator;
    }
    return records;
  } finally {
    streams.destroy();
  }
}

/** An event store item (DynamoDB JSON, as a NEW_IMAGE), read by its keys; the store is append-only, so it is still there. */
async function storedImage(ctx: CliContext, keys: Record<string, any>): Promise<Record<string, any>> {
  const { Item } = await ctx.ddb.send(new GetItemCommand({ TableName: ctx.output('EventStoreTableName'), Key: keys, ConsistentRead: true }));
  if (!Item) throw new CliError(`the event store holds no item ${JSON.stringify(keys)}; the dead letter names an event that was never stored`);
  return Item;
}

function dynamoEventRecord(dynamodb: Record<string, any>, streamArn: string, region: string, eventName = 'INSERT') {
  const created = dynamodb.ApproximateCreationDateTime;
  return {
    eventID: String(dynamodb.SequenceNumber),
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb: {
      ...dynamodb,
      ApproximateCreationDateTime: created instanceof Date ? created.getTime() / 1000 : created,
      StreamViewType: dynamodb.StreamViewType ?? 'NEW_IMAGE',
    },
    eventSourceARN: streamArn,
  };
}

/** The id a partial batch response names a record by (its sequence number). */
export function recordId(record: Record<string, any>): string {
  return String(record.kinesis?.sequenceNumber ?? record.dynamodb?.SequenceNumber ?? '');
}

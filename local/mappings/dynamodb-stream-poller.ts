/**
 * DynamoDB Streams event source mapping: reads the table's stream (DescribeStream on the stream
 * ARN, shards and their children) and hands records to the shared shard consumer in the Lambda
 * DynamoDB event shape.
 */
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type AttributeValue,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { LOCAL_REGION, type LocalStreamMapping } from '../model';
import { StreamMappingConsumer, type ConsumerDeps, type IteratorPosition, type ShardDescriptor, type SourceRecord, type StreamSource } from './shard-consumer';

type WireAttribute = Record<string, unknown>;

/** An attribute value as it appears in the Lambda event: binary as base64, everything else unchanged. */
export function toWireAttribute(value: AttributeValue): WireAttribute {
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((item) => Buffer.from(item).toString('base64')) };
  if (value.M !== undefined) return { M: toWireImage(value.M) };
  if (value.L !== undefined) return { L: value.L.map(toWireAttribute) };
  const entry = Object.entries(value).find(([key, item]) => item !== undefined && key !== '$unknown');
  return entry ? { [entry[0]]: entry[1] } : {};
}

export function toWireImage(image: Record<string, AttributeValue>): Record<string, WireAttribute> {
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toWireAttribute(value)]));
}

/** The Lambda event record for one DynamoDB stream record. */
export function dynamodbEventRecord(record: _Record, streamArn: string) {
  const change = record.dynamodb ?? {};
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: LOCAL_REGION,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor((change.ApproximateCreationDateTime?.getTime() ?? Date.now()) / 1000),
      Keys: toWireImage(change.Keys ?? {}),
      ...(change.NewImage ? { NewImage: toWireImage(change.NewImage) } : {}),
      ...(change.OldImage ? { OldImage: toWireImage(change.OldImage) } : {}),
      SequenceNumber: change.SequenceNumber,
      SizeBytes: change.SizeBytes,
      StreamViewType: change.StreamViewType,
    },
    eventSourceARN: streamArn,
  };
}

export class DynamoDbStreamSource implements StreamSource {
  readonly kind = 'dynamodb' as const;

  /**
   * @param streamArn the table's real stream ARN (LocalTable.streamArn, set by the provisioner)
   * @param hashKeyName the table's partition key: ParallelizationFactor keeps one key's records in order
   */
  constructor(
    private readonly client: DynamoDBStreamsClient,
    readonly streamArn: string,
    private readonly hashKeyName?: string,
  ) {}

  async listShards(): Promise<ShardDescriptor[]> {
    const shards: ShardDescriptor[] = [];
    let exclusiveStart: string | undefined;
    do {
      const { StreamDescription } = await this.client.send(
        new DescribeStreamCommand({ StreamArn: this.streamArn, ...(exclusiveStart ? { ExclusiveStartShardId: exclusiveStart } : {}) }),
      );
      for (const shard of StreamDescription?.Shards ?? []) {
        shards.push({ shardId: shard.ShardId!, parentShardIds: shard.ParentShardId ? [shard.ParentShardId] : [] });
      }
      exclusiveStart = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStart);
    return shards;
  }

  async getIterator(shardId: string, position: IteratorPosition): Promise<string | undefined> {
    if (position.type === 'AT_TIMESTAMP') throw new Error('DynamoDB Streams mappings support TRIM_HORIZON and LATEST only (got AT_TIMESTAMP)');
    try {
      const response = await this.client.send(
        new GetShardIteratorCommand({
          StreamArn: this.streamArn,
          ShardId: shardId,
          ShardIteratorType: position.type,
          ...(position.type === 'AFTER_SEQUENCE_NUMBER' ? { SequenceNumber: position.sequenceNumber } : {}),
        }),
      );
      return response.ShardIterator;
    } catch (error) {
      // A shard past the stream's 24 h retention is gone: nothing more to read there.
      if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
      throw error;
    }
  }

  async getRecords(iterator: string, limit: number): Promise<{ records: SourceRecord[]; nextIterator?: string }> {
    const response = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: Math.min(limit, 1000) }));
    const records = (response.Records ?? []).map((record): SourceRecord => {
      const eventRecord = dynamodbEventRecord(record, this.streamArn);
      const keys = eventRecord.dynamodb.Keys;
      const partitionKey = this.hashKeyName && keys[this.hashKeyName] ? JSON.stringify(keys[this.hashKeyName]) : JSON.stringify(keys);
      return {
        sequenceNumber: record.dynamodb?.SequenceNumber ?? '0',
        arrivalMs: record.dynamodb?.ApproximateCreationDateTime?.getTime() ?? Date.now(),
        partitionKey,
        eventRecord,
        filterView: eventRecord,
      };
    });
    return { records, nextIterator: response.NextShardIterator ?? undefined };
  }

  isExpiredIterator(error: unknown): boolean {
    return error instanceof Error && (error.name === 'ExpiredIteratorException' || error.name === 'TrimmedDataAccessException');
  }
}

/** Starts polling one DynamoDB stream mapping. */
export function startDynamoDbStreamMapping(
  client: DynamoDBStreamsClient,
  mapping: LocalStreamMapping,
  streamArn: string,
  hashKeyName: string | undefined,
  deps: ConsumerDeps,
): StreamMappingConsumer {
  const consumer = new StreamMappingConsumer(mapping, new DynamoDbStreamSource(client, streamArn, hashKeyName), deps);
  consumer.start();
  return consumer;
}

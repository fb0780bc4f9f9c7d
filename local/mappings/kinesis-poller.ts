/**
 * Kinesis event source mapping: reads every shard of the stream through the real SDK client and
 * hands records to the shared shard consumer in the Lambda Kinesis event shape.
 */
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand, type _Record, type ShardIteratorType } from '@aws-sdk/client-kinesis';
import { LOCAL_ACCOUNT, LOCAL_REGION, type LocalStreamMapping } from '../model';
import { filterableData } from './filter';
import { StreamMappingConsumer, type ConsumerDeps, type IteratorPosition, type ShardDescriptor, type SourceRecord, type StreamSource } from './shard-consumer';

/** The Lambda event record for one Kinesis record. */
export function kinesisEventRecord(record: _Record, shardId: string, streamArn: string, functionName: string) {
  const data = Buffer.from(record.Data ?? new Uint8Array()).toString('base64');
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: record.PartitionKey ?? '',
      sequenceNumber: record.SequenceNumber ?? '',
      data,
      approximateArrivalTimestamp: (record.ApproximateArrivalTimestamp?.getTime() ?? Date.now()) / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${shardId}:${record.SequenceNumber}`,
    eventName: 'aws:kinesis:record',
    // The execution role is not modelled locally; this names a role in the local account.
    invokeIdentityArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/${functionName}-role`,
    awsRegion: LOCAL_REGION,
    eventSourceARN: streamArn,
  };
}

export class KinesisSource implements StreamSource {
  readonly kind = 'kinesis' as const;
  readonly streamArn: string;

  constructor(
    private readonly client: KinesisClient,
    private readonly mapping: LocalStreamMapping,
  ) {
    this.streamArn = mapping.sourceArn;
  }

  async listShards(): Promise<ShardDescriptor[]> {
    const shards: ShardDescriptor[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: this.mapping.sourceName }));
      for (const shard of page.Shards ?? []) {
        shards.push({
          shardId: shard.ShardId!,
          parentShardIds: [shard.ParentShardId, shard.AdjacentParentShardId].filter((id): id is string => Boolean(id)),
        });
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return shards;
  }

  async getIterator(shardId: string, position: IteratorPosition): Promise<string | undefined> {
    const response = await this.client.send(
      new GetShardIteratorCommand({
        StreamName: this.mapping.sourceName,
        ShardId: shardId,
        ShardIteratorType: position.type as ShardIteratorType,
        ...(position.type === 'AFTER_SEQUENCE_NUMBER' ? { StartingSequenceNumber: position.sequenceNumber } : {}),
        ...(position.type === 'AT_TIMESTAMP' ? { Timestamp: position.timestamp } : {}),
      }),
    );
    return response.ShardIterator;
  }

  async getRecords(iterator: string, limit: number, shardId: string): Promise<{ records: SourceRecord[]; nextIterator?: string; atTip?: boolean }> {
    const response = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: limit }));
    const records = (response.Records ?? []).map((record): SourceRecord => {
      const eventRecord = kinesisEventRecord(record, shardId, this.streamArn, this.mapping.functionName);
      return {
        sequenceNumber: record.SequenceNumber!,
        arrivalMs: record.ApproximateArrivalTimestamp?.getTime() ?? Date.now(),
        partitionKey: record.PartitionKey ?? '',
        eventRecord,
        // Lambda matches Kinesis filters against the record's fields with `data` decoded when it is JSON.
        // Built only when a mapping has filters to match: decoding every record of every mapping costs the poller's CPU for nothing otherwise.
        get filterView() {
          return { ...eventRecord.kinesis, data: filterableData(Buffer.from(record.Data ?? new Uint8Array()).toString('utf8')) };
        },
      };
    });
    return { records, nextIterator: response.NextShardIterator ?? undefined, atTip: response.MillisBehindLatest === 0 };
  }

  isExpiredIterator(error: unknown): boolean {
    return error instanceof Error && error.name === 'ExpiredIteratorException';
  }
}

/** Starts polling one Kinesis mapping. */
export function startKinesisMapping(client: KinesisClient, mapping: LocalStreamMapping, deps: ConsumerDeps): StreamMappingConsumer {
  const consumer = new StreamMappingConsumer(mapping, new KinesisSource(client, mapping), deps);
  consumer.start();
  return consumer;
}

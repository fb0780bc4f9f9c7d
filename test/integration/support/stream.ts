import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type _Record, type KinesisClient } from '@aws-sdk/client-kinesis';
import { clients } from './target';

export interface StreamRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly data: string;
}

/** Every record currently in the stream as GetRecords returns it, with its shard, oldest first per shard (a fresh reader from TRIM_HORIZON). */
export async function readWholeStreamRaw(streamName: string, kinesis: KinesisClient = clients.kinesis): Promise<Array<{ shardId: string; record: _Record }>> {
  const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: streamName }));
  const records: Array<{ shardId: string; record: _Record }> = [];
  for (const shard of Shards) {
    let { ShardIterator: iterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: shard.ShardId!,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    for (let page = 0; iterator && page < 1000; page++) {
      const result = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      for (const record of result.Records ?? []) records.push({ shardId: shard.ShardId!, record });
      if (!result.Records?.length || result.MillisBehindLatest === 0) break;
      iterator = result.NextShardIterator;
    }
  }
  return records;
}

/** Every record currently in the stream, oldest first per shard (a fresh reader from TRIM_HORIZON). */
export async function readWholeStream(streamName: string): Promise<StreamRecord[]> {
  return (await readWholeStreamRaw(streamName)).map(({ shardId, record }) => ({
    shardId,
    sequenceNumber: record.SequenceNumber!,
    partitionKey: record.PartitionKey!,
    data: Buffer.from(record.Data!).toString('utf8'),
  }));
}

/** The stream's records parsed as event envelopes (records that are not JSON are left out). */
export async function streamEvents(streamName: string): Promise<Array<Record<string, any> & { sequenceNumber: string }>> {
  const events = [];
  for (const record of await readWholeStream(streamName)) {
    try {
      events.push({ ...JSON.parse(record.data), sequenceNumber: record.sequenceNumber });
    } catch {
      // A deliberately broken record from a poison test.
    }
  }
  return events;
}

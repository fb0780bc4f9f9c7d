import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
  type _Record,
  type Shard,
  type ShardIteratorType,
} from '@aws-sdk/client-kinesis';

/** Every shard of a stream (all ListShards pages). */
export async function listShards(kinesis: KinesisClient, streamName: string): Promise<Shard[]> {
  const shards: Shard[] = [];
  let nextToken: string | undefined;
  do {
    const page = await kinesis.send(new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: streamName }));
    shards.push(...(page.Shards ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return shards;
}

/** Where a shard reader starts. */
export type StartAt =
  | { readonly type: 'LATEST' | 'TRIM_HORIZON' }
  | { readonly type: 'AT_TIMESTAMP'; readonly timestamp: Date }
  | { readonly type: 'AT_SEQUENCE_NUMBER'; readonly sequenceNumber: string };

const AT_TIMESTAMP_TIMEOUT_MS = 3000;

export async function shardIterator(
  kinesis: KinesisClient,
  streamName: string,
  shardId: string,
  start: StartAt,
  abortSignal?: AbortSignal,
): Promise<string | undefined> {
  const { ShardIterator } = await kinesis.send(
    new GetShardIteratorCommand({
      StreamName: streamName,
      ShardId: shardId,
      ShardIteratorType: start.type as ShardIteratorType,
      ...(start.type === 'AT_TIMESTAMP' ? { Timestamp: start.timestamp } : {}),
      ...(start.type === 'AT_SEQUENCE_NUMBER' ? { StartingSequenceNumber: start.sequenceNumber } : {}),
    }),
    abortSignal ? { abortSignal } : {},
  );
  return ShardIterator;
}

/** A reader over one shard: `next()` returns the next page, `caughtUp` once it reached the tip. */
export class ShardReader {
  private iterator: string | undefined;
  public caughtUp = false;
  public closed = false;

  private constructor(
    private readonly kinesis: KinesisClient,
    public readonly shardId: string,
  ) {}

  /** Records that arrived before this time are dropped (the AT_TIMESTAMP fallback). */
  private notBefore?: number;

  public static async open(kinesis: KinesisClient, streamName: string, shardId: string, start: StartAt): Promise<ShardReader> {
    const reader = new ShardReader(kinesis, shardId);
    if (start.type === 'AT_TIMESTAMP') {
      try {
        reader.iterator = await shardIterator(kinesis, streamName, shardId, start, AbortSignal.timeout(AT_TIMESTAMP_TIMEOUT_MS));
      } catch (error) {
        if ((error as Error).name !== 'AbortError' && (error as Error).name !== 'TimeoutError') throw error;
        // kinesalite (the local cloud) never answers AT_TIMESTAMP for a shard with no record at or
        // after the time; read from the start and drop the older records instead.
        reader.iterator = await shardIterator(kinesis, streamName, shardId, { type: 'TRIM_HORIZON' });
        reader.notBefore = start.timestamp.getTime();
      }
    } else {
      reader.iterator = await shardIterator(kinesis, streamName, shardId, start);
    }
    reader.closed = reader.iterator === undefined;
    return reader;
  }

  /** The next page of records (possibly empty). */
  public async next(limit = 1000): Promise<_Record[]> {
    if (!this.iterator) {
      this.closed = true;
      return [];
    }
    const page = await this.kinesis.send(new GetRecordsCommand({ ShardIterator: this.iterator, Limit: limit }));
    this.iterator = page.NextShardIterator;
    if (!this.iterator) this.closed = true;
    const all = page.Records ?? [];
    const notBefore = this.notBefore;
    const records = notBefore === undefined ? all : all.filter((record) => (record.ApproximateArrivalTimestamp?.getTime() ?? 0) >= notBefore);
    this.caughtUp = this.closed || (all.length === 0 && (page.MillisBehindLatest ?? 0) === 0);
    return records;
  }
}

/** A Kinesis record's data as text. */
export function recordText(record: _Record): string {
  return Buffer.from(record.Data ?? new Uint8Array()).toString('utf8');
}

/** The record's data parsed as JSON, or `undefined` when it is not JSON. */
export function recordJson(record: _Record): Record<string, any> | undefined {
  try {
    const value = JSON.parse(recordText(record));
    return value && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Compares two Kinesis sequence numbers (decimal strings of any length). */
export function compareSequence(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The Lambda event record a Kinesis event source mapping would send for `record`. */
export function kinesisEventRecord(record: _Record, shardId: string, streamArn: string, region: string) {
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: record.PartitionKey ?? '',
      sequenceNumber: record.SequenceNumber ?? '',
      data: Buffer.from(record.Data ?? new Uint8Array()).toString('base64'),
      approximateArrivalTimestamp: (record.ApproximateArrivalTimestamp?.getTime() ?? Date.now()) / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${shardId}:${record.SequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::000000000000:role/sluice-cli',
    awsRegion: region,
    eventSourceARN: streamArn,
  };
}

export type KinesisEventRecord = ReturnType<typeof kinesisEventRecord>;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

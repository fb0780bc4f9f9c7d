import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { PutRecordsEntry } from './batch-planner';
import { StreamPublishError } from './errors';
import type { PutRecordsEntryResult, PutRecordsPort } from './put-records-port';

/**
 * {@link PutRecordsPort} over the AWS SDK: one `PutRecordsCommand` per call, bound to one stream.
 *
 * @example
 * new KinesisPublisher(new SdkPutRecordsAdapter(kinesisClient, requireEnv('EVENTS_STREAM_NAME')))
 */
export class SdkPutRecordsAdapter implements PutRecordsPort {
  public constructor(
    private readonly client: Pick<KinesisClient, 'send'>,
    private readonly streamName: string,
  ) {}

  public async putRecords(entries: readonly PutRecordsEntry[]): Promise<PutRecordsEntryResult[]> {
    const output = await this.client.send(
      new PutRecordsCommand({
        StreamName: this.streamName,
        Records: entries.map((entry) => ({ Data: entry.data, PartitionKey: entry.partitionKey })),
      }),
    );
    return (output.Records ?? []).map((record) => {
      if (record.SequenceNumber && record.ShardId) {
        return { sequenceNumber: record.SequenceNumber, shardId: record.ShardId };
      }
      if (record.ErrorCode) {
        return { errorCode: record.ErrorCode, errorMessage: record.ErrorMessage ?? record.ErrorCode };
      }
      throw new StreamPublishError('unexpected_put_records_response', 'a PutRecords result has neither a sequence number nor an error code');
    });
  }
}

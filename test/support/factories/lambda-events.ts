/**
 * Lambda events for tests that invoke a consumer by hand, built by the code the local cloud's
 * event source mappings use to build them (`local/mappings`), so a test's event cannot drift from
 * what the mappings deliver.
 */
import type { _Record } from '@aws-sdk/client-kinesis';
import type { Message } from '@aws-sdk/client-sqs';
import { kinesisEventRecord } from '../../../local/mappings/kinesis-poller';
import { sqsEventRecord } from '../../../local/mappings/sqs-poller';

/** The Kinesis event the local mappings invoke a function with (its records typed as the mapping code builds them). */
export interface KinesisLambdaEvent {
  readonly Records: Array<ReturnType<typeof kinesisEventRecord>>;
}

/** The SQS event the local mappings invoke a function with. */
export interface SqsLambdaEvent {
  readonly Records: Array<ReturnType<typeof sqsEventRecord>>;
}

/** A Kinesis record as GetRecords returns it, with the shard it was read from. */
export interface ShardRecord {
  readonly shardId: string;
  readonly record: _Record;
}

/** Where the records come from and which function they are for (it names the invoke identity). */
export interface KinesisEventSource {
  readonly streamArn: string;
  readonly functionName: string;
}

/**
 * The Kinesis event an event source mapping would invoke `functionName` with for these records.
 *
 * @example
 * const event = kinesisLambdaEvent(records, { streamArn, functionName: 'sluice-dev-stateless-ProjectorFunction…' });
 */
export function kinesisLambdaEvent(records: readonly ShardRecord[], source: KinesisEventSource): KinesisLambdaEvent {
  if (!source.streamArn.startsWith('arn:')) throw new Error(`streamArn must be the stream's ARN (arn:aws:kinesis:…), got "${source.streamArn}"`);
  return { Records: records.map(({ shardId, record }) => kinesisEventRecord(record, shardId, source.streamArn, source.functionName)) };
}

/**
 * The SQS event an event source mapping would invoke its function with for these messages, as
 * ReceiveMessage returned them (ask for `AttributeNames: ['All']` to get the attributes Lambda passes on).
 *
 * @example
 * const event = sqsLambdaEvent(received.Messages, queueArn);
 */
export function sqsLambdaEvent(messages: readonly Message[], queueArn: string): SqsLambdaEvent {
  if (!queueArn.startsWith('arn:')) throw new Error(`queueArn must be the queue's ARN (GetQueueAttributes QueueArn), got "${queueArn}"`);
  return { Records: messages.map((message) => sqsEventRecord(message, queueArn)) };
}

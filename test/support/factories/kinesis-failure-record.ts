/**
 * A Kinesis event source mapping's on-failure record, built by the same code the local cloud's
 * mappings send to their DLQ (`local/mappings/failure-destination.ts`), so a test that needs one
 * cannot drift from the shape the pipeline really produces.
 */
import { type FailedBatch, failureDestinationMessage, type FailureDestinationMessage } from '../../../local/mappings/failure-destination';

/** The discarded records and where they came from; the rest defaults to a batch whose retries ran out. */
export interface KinesisFailureRecordInput {
  readonly functionArn: string;
  readonly streamArn: string;
  readonly shardId: string;
  /** The discarded records in sequence order (first and last give the range). */
  readonly records: ReadonlyArray<{ readonly sequenceNumber: string; readonly arrivalMs?: number }>;
  readonly condition?: FailedBatch['condition'];
  readonly approximateInvokeCount?: number;
  readonly now?: Date;
}

/**
 * The `{requestContext, responseContext, KinesisBatchInfo, …}` message a mapping sends when it gives up on a batch.
 *
 * @example
 * kinesisFailureRecord({ functionArn, streamArn, shardId: 'shardId-000000000000', records: [{ sequenceNumber: '4959…' }] })
 */
export function kinesisFailureRecord(input: KinesisFailureRecordInput): FailureDestinationMessage {
  const now = input.now ?? new Date();
  return failureDestinationMessage({
    kind: 'kinesis',
    requestId: `test-${now.getTime().toString(36)}`,
    functionArn: input.functionArn,
    condition: input.condition ?? 'RetryAttemptsExhausted',
    approximateInvokeCount: input.approximateInvokeCount ?? 3,
    lastResponse: { statusCode: 200, functionError: 'Unhandled' },
    shardId: input.shardId,
    streamArn: input.streamArn,
    records: input.records.map((record) => ({ sequenceNumber: record.sequenceNumber, arrivalMs: record.arrivalMs ?? now.getTime() })),
    now,
  });
}

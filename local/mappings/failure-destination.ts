/**
 * The record an event source mapping sends to its on-failure destination when it gives up on a
 * batch of stream records: metadata only (shard and sequence range), in AWS's own JSON shape.
 */

export type FailureCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

export interface FailedBatch {
  readonly kind: 'kinesis' | 'dynamodb';
  readonly requestId: string;
  readonly functionArn: string;
  readonly condition: FailureCondition;
  readonly approximateInvokeCount: number;
  /** The last invocation's response; absent when the records expired before any invocation. */
  readonly lastResponse?: { readonly statusCode: number; readonly functionError?: 'Unhandled' | 'Handled' };
  readonly shardId: string;
  readonly streamArn: string;
  /** Records in sequence order: first and last give the range and arrival times. */
  readonly records: ReadonlyArray<{ readonly sequenceNumber: string; readonly arrivalMs: number }>;
  readonly now: Date;
}

export interface StreamBatchInfo {
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  readonly approximateArrivalOfFirstRecord: string;
  readonly approximateArrivalOfLastRecord: string;
  readonly batchSize: number;
  readonly streamArn: string;
}

export interface FailureDestinationMessage {
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: FailureCondition;
    readonly approximateInvokeCount: number;
  };
  readonly responseContext: { readonly statusCode: number; readonly executedVersion: string; readonly functionError?: string };
  readonly version: '1.0';
  readonly timestamp: string;
  readonly KinesisBatchInfo?: StreamBatchInfo;
  readonly DDBStreamBatchInfo?: StreamBatchInfo;
}

/**
 * Builds the on-failure message for a discarded batch.
 *
 * @throws Error for an empty batch (nothing was discarded).
 */
export function failureDestinationMessage(batch: FailedBatch): FailureDestinationMessage {
  if (batch.records.length === 0) throw new Error('a discarded batch has at least one record (got 0)');
  const first = batch.records[0];
  const last = batch.records[batch.records.length - 1];
  const info: StreamBatchInfo = {
    shardId: batch.shardId,
    startSequenceNumber: first.sequenceNumber,
    endSequenceNumber: last.sequenceNumber,
    approximateArrivalOfFirstRecord: new Date(first.arrivalMs).toISOString(),
    approximateArrivalOfLastRecord: new Date(last.arrivalMs).toISOString(),
    batchSize: batch.records.length,
    streamArn: batch.streamArn,
  };
  const response = batch.lastResponse ?? { statusCode: 200 };
  return {
    requestContext: {
      requestId: batch.requestId,
      functionArn: batch.functionArn,
      condition: batch.condition,
      approximateInvokeCount: batch.approximateInvokeCount,
    },
    responseContext: {
      statusCode: response.statusCode,
      executedVersion: '$LATEST',
      ...(response.functionError ? { functionError: response.functionError } : {}),
    },
    version: '1.0',
    timestamp: batch.now.toISOString(),
    ...(batch.kind === 'kinesis' ? { KinesisBatchInfo: info } : { DDBStreamBatchInfo: info }),
  };
}

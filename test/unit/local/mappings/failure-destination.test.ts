import { failureDestinationMessage, type FailedBatch } from '../../../../local/mappings/failure-destination';

const batch: FailedBatch = {
  kind: 'kinesis',
  requestId: 'req-1',
  functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:projector',
  condition: 'RetryAttemptsExhausted',
  approximateInvokeCount: 4,
  lastResponse: { statusCode: 200, functionError: 'Unhandled' },
  shardId: 'shardId-000000000001',
  streamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/events',
  records: [
    { sequenceNumber: '100', arrivalMs: Date.UTC(2025, 0, 1, 12, 0, 0) },
    { sequenceNumber: '105', arrivalMs: Date.UTC(2025, 0, 1, 12, 0, 5) },
  ],
  now: new Date(Date.UTC(2025, 0, 1, 12, 1, 0)),
};

describe('failureDestinationMessage', () => {
  it('builds the Kinesis on-failure record in AWS shape', () => {
    expect(failureDestinationMessage(batch)).toEqual({
      requestContext: { requestId: 'req-1', functionArn: batch.functionArn, condition: 'RetryAttemptsExhausted', approximateInvokeCount: 4 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: '2025-01-01T12:01:00.000Z',
      KinesisBatchInfo: {
        shardId: 'shardId-000000000001',
        startSequenceNumber: '100',
        endSequenceNumber: '105',
        approximateArrivalOfFirstRecord: '2025-01-01T12:00:00.000Z',
        approximateArrivalOfLastRecord: '2025-01-01T12:00:05.000Z',
        batchSize: 2,
        streamArn: batch.streamArn,
      },
    });
  });

  it('uses DDBStreamBatchInfo for DynamoDB streams', () => {
    const message = failureDestinationMessage({ ...batch, kind: 'dynamodb' });
    expect(message.DDBStreamBatchInfo?.batchSize).toBe(2);
    expect(message.KinesisBatchInfo).toBeUndefined();
  });

  it('omits functionError for records that expired before any invocation', () => {
    const message = failureDestinationMessage({ ...batch, condition: 'RecordAgeExceeded', approximateInvokeCount: 0, lastResponse: undefined });
    expect(message.requestContext.condition).toBe('RecordAgeExceeded');
    expect(message.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST' });
  });

  it('refuses an empty batch', () => {
    expect(() => failureDestinationMessage({ ...batch, records: [] })).toThrow(/at least one record/);
  });
});

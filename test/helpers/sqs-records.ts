import type { SQSEvent, SQSRecord } from 'aws-lambda';

let counter = 0;

/** An SQS message as the event source mapping delivers it; FIFO when `groupId` is given. */
export function sqsRecordOf(body: string | object, fifo: { groupId: string; deduplicationId?: string } | undefined = undefined): SQSRecord {
  counter += 1;
  return {
    messageId: `msg-${counter}`,
    receiptHandle: `receipt-${counter}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1735732800000',
      SenderId: 'AIDATEST',
      ApproximateFirstReceiveTimestamp: '1735732800000',
      ...(fifo && {
        MessageGroupId: fifo.groupId,
        MessageDeduplicationId: fifo.deduplicationId ?? `dedup-${counter}`,
        SequenceNumber: String(counter),
      }),
    },
    messageAttributes: {},
    md5OfBody: 'not-checked',
    eventSource: 'aws:sqs',
    eventSourceARN: fifo ? 'arn:aws:sqs:eu-west-1:000000000000:queue.fifo' : 'arn:aws:sqs:eu-west-1:000000000000:queue',
    awsRegion: 'eu-west-1',
  };
}

export function sqsEvent(...records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

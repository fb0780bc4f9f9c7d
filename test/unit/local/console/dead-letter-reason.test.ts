import type { Message } from '@aws-sdk/client-sqs';
import { listMessage } from '../../../../cli/redrive-dlq';
import { attributesOf, deadLetterReason } from '../../../../local/console/api/dead-letter-reason';
import { kinesisFailureRecord } from '../../../support/factories/kinesis-failure-record';

const message = (body: unknown, extra: Partial<Message> = {}): Message => ({ MessageId: 'm-1', Body: JSON.stringify(body), ...extra });
const reasonOf = (msg: Message, kind: 'queue' | 'consumer') => deadLetterReason(listMessage(msg, kind), attributesOf(msg));

describe('deadLetterReason', () => {
  it("gives a mapping's failure record's condition and the records' range", () => {
    const record = kinesisFailureRecord({
      functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:projector',
      streamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/events',
      shardId: 'shardId-000000000001',
      records: [{ sequenceNumber: '100' }, { sequenceNumber: '105' }],
    });
    const reason = reasonOf(message(record), 'consumer');
    expect(reason).toMatch(/^RetryAttemptsExhausted: kinesis shardId-000000000001 100\.\.105/);
  });

  it("gives a consumer's dead letter's reason, message and consumer", () => {
    const letter = { reason: 'validation_failed', message: 'data.amount: must be positive', consumer: 'projector', record: { sequenceNumber: '7', data: 'e30=' } };
    expect(reasonOf(message(letter), 'consumer')).toBe('validation_failed: data.amount: must be positive (projector)');
  });

  it("gives the reason and message attributes a worker's SQS dead letter carries", () => {
    const msg = message(
      { notificationId: 'n-1' },
      { MessageAttributes: { reason: { DataType: 'String', StringValue: 'delivery_failed' }, message: { DataType: 'String', StringValue: 'HTTP 503' } } },
    );
    expect(reasonOf(msg, 'queue')).toBe('delivery_failed: HTTP 503');
  });

  it("says a queue's redrive policy moved a message that records no reason", () => {
    expect(reasonOf(message({ notificationId: 'n-1' }), 'queue')).toMatch(/redrive policy \(maxReceiveCount reached\)/);
  });

  it('says when a consumer DLQ holds something that is no failure record', () => {
    expect(reasonOf(message({ hello: 'world' }), 'consumer')).toMatch(/^no reason recorded: not a failure record/);
  });
});

describe('attributesOf', () => {
  it('merges the system attributes and the string message attributes', () => {
    expect(
      attributesOf({
        Attributes: { ApproximateReceiveCount: '3' },
        MessageAttributes: { reason: { DataType: 'String', StringValue: 'x' }, blob: { DataType: 'Binary' } },
      }),
    ).toEqual({ ApproximateReceiveCount: '3', reason: 'x' });
  });
});

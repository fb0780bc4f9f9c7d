import type { Message } from '@aws-sdk/client-sqs';
import { resendRequest } from '../../../cli/commands/redrive';

const message: Message = {
  MessageId: 'm-1',
  ReceiptHandle: 'r-1',
  Body: '{"accountId":"a1","version":3}',
  Attributes: { MessageGroupId: 'a1', MessageDeduplicationId: 'a1#3', ApproximateReceiveCount: '5' },
  MessageAttributes: { traceparent: { DataType: 'String', StringValue: '00-abc-def-01' } },
};

describe('resendRequest', () => {
  it('puts a FIFO message back with its group, body and attributes, and a redrive deduplication id from its DLQ message id', () => {
    expect(resendRequest(message, 'http://q/source.fifo', true)).toEqual({
      QueueUrl: 'http://q/source.fifo',
      MessageBody: message.Body,
      MessageAttributes: { traceparent: { DataType: 'String', StringValue: '00-abc-def-01' } },
      MessageGroupId: 'a1',
      MessageDeduplicationId: 'redrive:m-1',
    });
  });

  it('sends no FIFO ids to a standard queue', () => {
    expect(resendRequest({ ...message, MessageAttributes: {} }, 'http://q/source', false)).toEqual({ QueueUrl: 'http://q/source', MessageBody: message.Body });
  });

  it('gives a FIFO message that has no group or deduplication id both (a content-based id would be dropped within 5 minutes too)', () => {
    expect(resendRequest({ MessageId: 'm-2', Body: 'x', Attributes: {} }, 'http://q/source.fifo', true)).toEqual({
      QueueUrl: 'http://q/source.fifo',
      MessageBody: 'x',
      MessageGroupId: 'redrive',
      MessageDeduplicationId: 'redrive:m-2',
    });
  });
});

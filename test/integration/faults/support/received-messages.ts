import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { ulid } from 'ulid';

/** A message to send; FIFO when it has a group. */
export interface OutgoingMessage {
  readonly body: string;
  readonly groupId?: string;
  readonly deduplicationId?: string;
}

/**
 * The messages exactly as SQS hands them to a consumer (ids, receipt handles, MD5s, system
 * attributes, FIFO sequence numbers), for a test that invokes the consumer with them by hand:
 * sent to a scratch queue of the same kind, received once with every attribute, and the scratch
 * queue deleted. The consumer's own queue is left alone, so its mapping does not deliver them too.
 *
 * @throws Error when SQS does not give back every message sent (10 at most, in one batch)
 */
export async function receivedAsSqsDelivers(sqs: SQSClient, messages: readonly OutgoingMessage[]): Promise<Message[]> {
  if (messages.length === 0 || messages.length > 10) throw new Error(`send 1 to 10 messages (one batch), got ${messages.length}`);
  const fifo = messages.some((m) => m.groupId !== undefined);
  const name = `fault-matrix-scratch-${ulid().toLowerCase()}${fifo ? '.fifo' : ''}`;
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, ...(fifo ? { Attributes: { FifoQueue: 'true' } } : {}) }));
  try {
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: messages.map((m, i) => ({
          Id: String(i),
          MessageBody: m.body,
          ...(fifo ? { MessageGroupId: m.groupId ?? 'default', MessageDeduplicationId: m.deduplicationId ?? ulid() } : {}),
        })),
      }),
    );
    if (sent.Failed?.length) throw new Error(`sending to ${name} failed: ${JSON.stringify(sent.Failed)}`);
    const received: Message[] = [];
    // Each receive returns what is there; FIFO hands out one group's messages in order.
    for (let round = 0; round < 10 && received.length < messages.length; round++) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          VisibilityTimeout: 60,
          AttributeNames: ['All'],
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      received.push(...Messages);
    }
    if (received.length !== messages.length) throw new Error(`${name} gave back ${received.length} of the ${messages.length} message(s) sent`);
    return received;
  } finally {
    await sqs.send(new DeleteQueueCommand({ QueueUrl }));
  }
}

/** A queue's ARN, as the queue itself reports it. */
export async function queueArn(sqs: SQSClient, queueUrl: string): Promise<string> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  if (!Attributes?.QueueArn) throw new Error(`${queueUrl} reports no QueueArn`);
  return Attributes.QueueArn;
}

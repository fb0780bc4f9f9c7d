import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { clients } from './target';

/**
 * Reads the messages currently visible in a queue without consuming them for good: each is
 * received with a zero-second visibility timeout, so it is visible again right away.
 */
export async function peekQueue(queueUrl: string, rounds = 5): Promise<Array<{ messageId: string; body: any }>> {
  const seen = new Map<string, any>();
  for (let i = 0; i < rounds; i++) {
    const { Messages = [] } = await clients.sqs.send(new ReceiveMessageCommand({
      QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 0,
    }));
    for (const message of Messages) {
      let body: unknown = message.Body;
      try {
        body = JSON.parse(message.Body ?? '');
      } catch {
        // Keep the raw body.
      }
      seen.set(message.MessageId!, body);
    }
    if (Messages.length === 0) break;
  }
  return [...seen.entries()].map(([messageId, body]) => ({ messageId, body }));
}

/**
 * Deletes every visible message of a queue, for a test that must start from an empty DLQ
 * (the suites share one local cloud, and earlier ones leave their poison records behind).
 */
export async function emptyQueue(queueUrl: string): Promise<number> {
  let deleted = 0;
  for (let round = 0; round < 100; round++) {
    const { Messages = [] } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    if (Messages.length === 0) return deleted;
    for (const message of Messages) {
      await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle! }));
      deleted++;
    }
  }
  return deleted;
}

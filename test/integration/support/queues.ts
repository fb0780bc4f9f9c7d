import { ChangeMessageVisibilityBatchCommand, DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { queueCounts, type QueueCounts } from '../../../cli/queues';
import { withNamedLock } from './run-lock';
import { clients } from './target';

/**
 * Reads the messages currently visible in a queue without consuming them for good: each is
 * received with a zero-second visibility timeout, so it is visible again right away.
 */
export async function peekQueue(queueUrl: string, rounds = 5): Promise<Array<{ messageId: string; body: any }>> {
  const seen = new Map<string, any>();
  for (let i = 0; i < rounds; i++) {
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
        WaitTimeSeconds: 0,
      }),
    );
    for (const message of Messages) seen.set(message.MessageId!, parseBody(message.Body));
    if (Messages.length === 0) break;
  }
  return [...seen.entries()].map(([messageId, body]) => ({ messageId, body }));
}

/**
 * A queue's message counts from its own attributes (the CLI's reader): every message, however
 * many, and whether it is visible, in flight (received and hidden) or delayed. A receive shows at
 * most ten at a time.
 */
export function queueDepth(queueUrl: string, sqs: SQSClient = clients.sqs): Promise<QueueCounts> {
  return queueCounts(sqs, queueUrl);
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

/**
 * Every message in a queue, read without consuming it: received (hidden) until the queue has no
 * more, then made visible again at once. Unlike `peekQueue`, sees every message however many
 * other tests left in the queue (each is received once per call).
 */
export async function peekAll(queueUrl: string, sqs: SQSClient = clients.sqs): Promise<QueuedMessage[]> {
  return (await takeAll(queueUrl, sqs, () => false)).kept;
}

/** A message as a full drain saw it: the parsed body, its string message attributes and, on a FIFO queue, its group. */
export interface QueuedMessage {
  readonly messageId: string;
  readonly body: any;
  /** The body exactly as SQS holds it (`body` is it parsed, when it is JSON). */
  readonly text: string;
  /** String message attributes by name (a dead letter's `reason`, `consumer`…). */
  readonly attributes: Readonly<Record<string, string>>;
  readonly groupId?: string;
}

/**
 * Deletes the messages of a queue that `mine` picks (the letters a test caused) and leaves every
 * other message as it was, visible at once: a suite cleans up after itself on a shared stage
 * without touching what it did not create.
 *
 * @returns how many messages were deleted
 */
export async function deleteMine(queueUrl: string, mine: (body: any) => boolean, sqs: SQSClient = clients.sqs): Promise<number> {
  return (await takeAll(queueUrl, sqs, mine)).deleted;
}

/**
 * Receives every message (hidden meanwhile), deletes those `remove` picks, makes the others visible
 * again. One drain of a queue at a time across the run's workers: another drain meanwhile would
 * find the messages hidden by this one.
 */
function takeAll(queueUrl: string, sqs: SQSClient, remove: (body: any) => boolean): Promise<{ kept: QueuedMessage[]; deleted: number }> {
  return withNamedLock(`drain ${queueUrl}`, () => drainOnce(queueUrl, sqs, remove));
}

async function drainOnce(queueUrl: string, sqs: SQSClient, remove: (body: any) => boolean): Promise<{ kept: QueuedMessage[]; deleted: number }> {
  const seen = new Map<string, QueuedMessage & { receipt: string }>();
  for (let round = 0; round < 200; round++) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 30,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['MessageGroupId'],
      }),
    );
    if (Messages.length === 0) break;
    for (const m of Messages) {
      const attributes = Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue ?? '']));
      const groupId = m.Attributes?.MessageGroupId;
      seen.set(m.MessageId!, {
        messageId: m.MessageId!,
        body: parseBody(m.Body),
        text: m.Body ?? '',
        attributes,
        ...(groupId ? { groupId } : {}),
        receipt: m.ReceiptHandle!,
      });
    }
  }
  let deleted = 0;
  for (const [messageId, entry] of [...seen]) {
    if (!remove(entry.body)) continue;
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: entry.receipt }));
    seen.delete(messageId);
    deleted += 1;
  }
  const entries = [...seen.values()];
  for (let i = 0; i < entries.length; i += 10) {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: entries.slice(i, i + 10).map((e, j) => ({ Id: String(j), ReceiptHandle: e.receipt, VisibilityTimeout: 0 })),
      }),
    );
  }
  return { kept: [...seen.values()].map(({ receipt: _receipt, ...message }) => message), deleted };
}

function parseBody(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return text; // keep the raw body
  }
}

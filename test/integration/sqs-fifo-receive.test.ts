/**
 * FIFO ReceiveMessage as SQS documents it, on whatever endpoint the suite targets (the local cloud's
 * fauxqs with sluice's FIFO glue, LocalStack or AWS): several messages of a group per receive, in
 * order; the group locked while any of its messages is in flight; messages back in their original
 * order after their visibility ends; redrive after maxReceiveCount. Real SDK v3 client, own queues
 * (uniquely named, deleted afterwards). Waits are long-poll receives, never fixed sleeps.
 *
 * "When you specify a MaxNumberOfMessages parameter in the ReceiveMessage API call, SQS returns as
 * many messages with the same message group ID as possible."
 * (https://repost.aws/knowledge-center/sqs-fifo-messages-not-returned; the same rule is in the SQS
 * developer guide, https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-understanding-logic.html)
 */
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import { clients } from './support/target';

const sqs = clients.sqs;
const run = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
const created: string[] = [];

afterAll(async () => {
  for (const queueUrl of created) await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })).catch(() => undefined);
});

async function fifoQueue(name: string, attributes: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `sluice-it-${name}-${run}.fifo`, Attributes: { FifoQueue: 'true', ...attributes } }));
  created.push(QueueUrl!);
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

/** Sends `[group, body]` pairs in this order, in one batch (SQS keeps a batch's order within a group). */
async function send(queueUrl: string, messages: Array<[group: string, body: string]>): Promise<void> {
  const { Failed = [] } = await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: messages.map(([group, body], i) => ({ Id: String(i), MessageBody: body, MessageGroupId: group, MessageDeduplicationId: `${body}-${run}` })),
    }),
  );
  expect(Failed).toEqual([]);
}

async function receive(queueUrl: string, max = 10, waitSeconds = 2): Promise<Message[]> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: max,
      WaitTimeSeconds: waitSeconds,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    }),
  );
  return Messages;
}

/** Long-polls until `count` messages came (or `rounds` receives passed), returning them in arrival order. */
async function receiveUntil(queueUrl: string, count: number, rounds = 15): Promise<Message[]> {
  const got: Message[] = [];
  for (let round = 0; round < rounds && got.length < count; round++) got.push(...(await receive(queueUrl, 10, 2)));
  return got;
}

const remove = (queueUrl: string, messages: Message[]) =>
  Promise.all(messages.map((message) => sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle! }))));
const bodies = (messages: Message[]) => messages.map((message) => message.Body);

describe('SQS FIFO receive', () => {
  jest.setTimeout(60_000); // long-poll receives (at most 2 s each) on a shared machine
  it('returns every available message of one group in one receive, in order', async () => {
    const queue = await fifoQueue('one-group');
    await send(queue.url, [
      ['g', 'a1'],
      ['g', 'a2'],
      ['g', 'a3'],
    ]);

    const batch = await receive(queue.url);
    expect(bodies(batch)).toEqual(['a1', 'a2', 'a3']);
    await remove(queue.url, batch);
  });

  it('fills a receive from one group first, and keeps each group in order when groups interleave', async () => {
    const queue = await fifoQueue('two-groups');
    await send(queue.url, [
      ['a', 'a1'],
      ['b', 'b1'],
      ['a', 'a2'],
      ['b', 'b2'],
      ['a', 'a3'],
      ['b', 'b3'],
    ]);

    // Two slots, six messages of two groups: "as many messages with the same group ID as possible".
    const firstTwo = await receive(queue.url, 2);
    expect([
      ['a1', 'a2'],
      ['b1', 'b2'],
    ]).toContainEqual(bodies(firstTwo));
    await remove(queue.url, firstTwo); // unlocks their group
    const rest = await receiveUntil(queue.url, 4);
    const all = bodies([...firstTwo, ...rest]);
    expect(all.filter((body) => body!.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    expect(all.filter((body) => body!.startsWith('b'))).toEqual(['b1', 'b2', 'b3']);
    await remove(queue.url, rest);
  });

  it('keeps a group locked while any of its messages is in flight, other groups flowing', async () => {
    const queue = await fifoQueue('locked', { VisibilityTimeout: '60' });
    await send(queue.url, [
      ['g', 'g1'],
      ['g', 'g2'],
      ['g', 'g3'],
    ]);
    const [g1, g2] = await receive(queue.url, 2);
    expect(bodies([g1, g2])).toEqual(['g1', 'g2']);
    await remove(queue.url, [g1]);
    await send(queue.url, [['h', 'h1']]);

    // g2 is still in flight, so g3 must wait; h1 of another group is served meanwhile.
    const whileLocked = await receiveUntil(queue.url, 1);
    expect(bodies(whileLocked)).toEqual(['h1']);
    expect(await receive(queue.url, 10, 1)).toEqual([]);

    await remove(queue.url, [g2, ...whileLocked]);
    const unlocked = await receive(queue.url);
    expect(bodies(unlocked)).toEqual(['g3']);
    await remove(queue.url, unlocked);
  });

  it('returns the messages not deleted, in their original order, once their visibility timeout ends', async () => {
    const queue = await fifoQueue('expiry', { VisibilityTimeout: '1' });
    await send(queue.url, [
      ['g', 'e1'],
      ['g', 'e2'],
      ['g', 'e3'],
      ['g', 'e4'],
    ]);
    const first = await receive(queue.url);
    expect(bodies(first)).toEqual(['e1', 'e2', 'e3', 'e4']);
    await remove(queue.url, [first[1]]); // e2 is done; e1, e3, e4 time out

    const again = await receiveUntil(queue.url, 3);
    expect(bodies(again)).toEqual(['e1', 'e3', 'e4']);
    expect(again.map((message) => message.Attributes?.ApproximateReceiveCount)).toEqual(['2', '2', '2']);
    await remove(queue.url, again);
  });

  it('returns messages made visible with ChangeMessageVisibility 0 in their original order', async () => {
    const queue = await fifoQueue('visible-again', { VisibilityTimeout: '60' });
    await send(queue.url, [
      ['g', 'v1'],
      ['g', 'v2'],
      ['g', 'v3'],
    ]);
    const first = await receive(queue.url);
    expect(bodies(first)).toEqual(['v1', 'v2', 'v3']);
    for (const message of first) {
      await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queue.url, ReceiptHandle: message.ReceiptHandle!, VisibilityTimeout: 0 }));
    }

    const again = await receiveUntil(queue.url, 3);
    expect(bodies(again)).toEqual(['v1', 'v2', 'v3']);
    await remove(queue.url, again);
  });

  it('moves messages received more than maxReceiveCount times to the dead-letter queue, in order', async () => {
    const dlq = await fifoQueue('redrive-dlq');
    const queue = await fifoQueue('redrive', {
      VisibilityTimeout: '1',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }),
    });
    await send(queue.url, [
      ['g', 'r1'],
      ['g', 'r2'],
    ]);
    expect(bodies(await receive(queue.url))).toEqual(['r1', 'r2']); // receive 1 of 1; never deleted

    // The next receive after they time out moves them (SQS moves a message when a receive would exceed the count).
    const dead: Message[] = [];
    for (let round = 0; round < 15 && dead.length < 2; round++) {
      expect(await receive(queue.url, 10, 1)).toEqual([]);
      dead.push(...(await receive(dlq.url, 10, 1)));
    }
    expect(bodies(dead)).toEqual(['r1', 'r2']);
    await remove(dlq.url, dead);
  });
});

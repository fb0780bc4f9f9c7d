/**
 * FIFO message ids as SQS checks them, on whatever endpoint the suite targets (the local cloud,
 * LocalStack or AWS): a `MessageGroupId` or `MessageDeduplicationId` outside 1–128 alphanumeric and
 * punctuation characters is refused with `InvalidParameterValue`, and nothing is stored.
 *
 * "The maximum length of MessageDeduplicationId is 128 characters. MessageDeduplicationId can
 * contain alphanumeric characters (a-z, A-Z, 0-9) and punctuation (!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~)."
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html; the
 * same rule is given there for MessageGroupId.)
 */
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { clients } from './support/target';

const sqs = clients.sqs;
const run = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
let queueUrl: string;

beforeAll(async () => {
  const created = await sqs.send(new CreateQueueCommand({ QueueName: `sluice-it-fifo-ids-${run}.fifo`, Attributes: { FifoQueue: 'true' } }));
  queueUrl = created.QueueUrl!;
});

afterAll(async () => {
  if (queueUrl) await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })).catch(() => undefined);
});

async function stored(): Promise<number> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
  return Number(Attributes!.ApproximateNumberOfMessages);
}

async function refusal(send: Promise<unknown>): Promise<string> {
  const error = await send.then(
    () => undefined,
    (caught: unknown) => caught as { name?: string },
  );
  return error?.name ?? 'accepted';
}

describe('FIFO message ids', () => {
  it('accepts every punctuation character and 128 characters', async () => {
    const punctuation = `!"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~`;
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'a', MessageGroupId: `acc#1${punctuation}`, MessageDeduplicationId: 'd'.repeat(128) }));
    expect(await stored()).toBe(1);
  });

  it.each([
    ['a space in the group id', { MessageGroupId: 'acc 1', MessageDeduplicationId: `ok-${run}-1` }],
    ['a non-ASCII letter in the group id', { MessageGroupId: 'accé', MessageDeduplicationId: `ok-${run}-2` }],
    ['a 129-character deduplication id', { MessageGroupId: 'acc-1', MessageDeduplicationId: 'd'.repeat(129) }],
    ['a newline in the deduplication id', { MessageGroupId: 'acc-1', MessageDeduplicationId: 'a\nb' }],
  ])('refuses %s, and stores nothing', async (_case, ids) => {
    const before = await stored();
    expect(await refusal(sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'b', ...ids })))).toBe('InvalidParameterValue');
    expect(await stored()).toBe(before);
  });

  it('refuses a batch with one bad entry (locally the whole batch; see docs/local-cloud-differences.md)', async () => {
    const before = await stored();
    const entries = [
      { Id: 'good', MessageBody: 'c', MessageGroupId: 'acc-2', MessageDeduplicationId: `good-${run}` },
      { Id: 'bad', MessageBody: 'd', MessageGroupId: 'acc 2', MessageDeduplicationId: `bad-${run}` },
    ];
    const answer = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries })).then(
      (sent) => (sent.Failed ?? []).map((failure) => `${failure.Id}:${failure.Code}`).join(','),
      (error: { name?: string }) => error.name ?? 'error',
    );
    // AWS may answer per entry or refuse the request; either way the bad entry is not stored.
    expect(['InvalidParameterValue', 'bad:InvalidParameterValue']).toContain(answer);
    expect(await stored()).toBeLessThanOrEqual(before + 1);
    if (answer === 'InvalidParameterValue') expect(await stored()).toBe(before);
  });
});

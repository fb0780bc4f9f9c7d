import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { LocalQueueMapping } from '../../../../local/model';
import type { InvokeOutcome } from '../../../../local/runtime/lambda-runner';
import { throttledOutcome } from '../../../../local/runtime/invoke-outcome';
import { SqsMappingConsumer } from '../../../../local/mappings/sqs-poller';

/** A queue that hands out its messages on the first receive, then long-polls until aborted; records deletes. */
function fakeQueue(messages: Message[]) {
  const deleted: string[] = [];
  let handedOut = false;
  let onDelete: () => void = () => undefined;
  const client = {
    send: async (command: unknown, options?: { abortSignal?: AbortSignal }) => {
      if (command instanceof ReceiveMessageCommand) {
        if (!handedOut) {
          handedOut = true;
          return { Messages: messages };
        }
        return new Promise((resolve) => options?.abortSignal?.addEventListener('abort', () => resolve({ Messages: [] })));
      }
      if (command instanceof DeleteMessageBatchCommand) {
        deleted.push(...(command.input.Entries ?? []).map((entry) => entry.ReceiptHandle!));
        onDelete();
        return { Failed: [] };
      }
      throw new Error(`unexpected command ${String(command)}`);
    },
  } as unknown as SQSClient;
  return {
    client,
    deleted,
    nextDelete: () =>
      new Promise<void>((resolve) => {
        onDelete = resolve;
      }),
  };
}

const message = (id: string, group?: string): Message => ({
  MessageId: id,
  ReceiptHandle: `handle-${id}`,
  Body: id,
  Attributes: { ApproximateReceiveCount: '1', ...(group ? { MessageGroupId: group } : {}) },
});

const mapping = (overrides: Partial<LocalQueueMapping> = {}): LocalQueueMapping => ({
  kind: 'sqs',
  logicalId: 'Mapping',
  functionName: 'worker',
  queueUrl: 'http://localhost/000000000000/q.fifo',
  queueArn: 'arn:aws:sqs:us-east-1:000000000000:q.fifo',
  fifo: true,
  batchSize: 10,
  maxBatchingWindowSeconds: 0,
  reportBatchItemFailures: true,
  maximumConcurrency: 1,
  filterPatterns: [],
  ...overrides,
});

const throttled: InvokeOutcome = throttledOutcome();

describe('SqsMappingConsumer', () => {
  let consumer: SqsMappingConsumer | undefined;
  afterEach(async () => {
    await consumer?.stop(1000);
    consumer = undefined;
  });

  function start(
    client: SQSClient,
    invoke: (event: { Records: Array<{ messageId: string }> }) => InvokeOutcome,
    visibilityTimeoutSeconds = 30,
    logs: string[] = [],
  ) {
    consumer = new SqsMappingConsumer(mapping(), client, {
      invoke: async (_name, event) => invoke(event as { Records: Array<{ messageId: string }> }),
      log: (line) => {
        logs.push(line);
      },
      functionConcurrency: 10,
      visibilityTimeoutSeconds,
      retryDelayMs: 1,
    });
    consumer.start();
  }

  // "If you're using this feature with a FIFO queue, your function should stop processing messages
  // after the first failure and return all failed and unprocessed messages in batchItemFailures."
  // (Handling errors for an SQS event source in Lambda)
  it('deletes every FIFO message the function did not report, even a later one of the failed group', async () => {
    const queue = fakeQueue([message('a1', 'A'), message('a2', 'A'), message('b1', 'B')]);
    const deletedNow = queue.nextDelete();
    start(queue.client, () => ({ ok: true, result: { batchItemFailures: [{ itemIdentifier: 'a1' }] } }));

    await deletedNow;
    expect(queue.deleted).toEqual(['handle-a2', 'handle-b1']);
  });

  // "Lambda continues to retry the message until the message's timestamp exceeds your queue's
  // visibility timeout, at which point Lambda drops the message." (same page)
  it('retries a throttled batch within the visibility timeout, then handles the outcome as usual', async () => {
    const queue = fakeQueue([message('m1', 'A'), message('m2', 'B')]);
    const deletedNow = queue.nextDelete();
    const calls: string[][] = [];
    start(queue.client, (event) => {
      calls.push(event.Records.map((record) => record.messageId));
      return calls.length <= 3 ? throttled : { ok: true, result: { batchItemFailures: [] } };
    });

    await deletedNow;
    expect(calls).toEqual([
      ['m1', 'm2'],
      ['m1', 'm2'],
      ['m1', 'm2'],
      ['m1', 'm2'],
    ]);
    expect(queue.deleted).toEqual(['handle-m1', 'handle-m2']);
  });

  it('drops a throttled batch once the visibility timeout has passed, deleting nothing', async () => {
    const queue = fakeQueue([message('m1', 'A')]);
    const logs: string[] = [];
    let invoked: () => void = () => undefined;
    const throttledOnce = new Promise<void>((resolve) => {
      invoked = resolve;
    });
    start(
      queue.client,
      () => {
        invoked();
        return throttled;
      },
      0,
      logs,
    );

    await throttledOnce;
    await consumer!.stop(1000);
    expect(queue.deleted).toEqual([]);
    expect(logs.some((line) => line.includes('throttled until the visibility timeout'))).toBe(true);
  });
});

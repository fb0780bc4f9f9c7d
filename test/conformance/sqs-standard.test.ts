/**
 * SQS (standard queue) event source mapping: the event shape, batch size, deletion after
 * success, partial batch responses and their success/failure rules, redelivery after the
 * visibility timeout, and the redrive to the dead-letter queue after maxReceiveCount.
 */
import { createHash } from 'node:crypto';
import { OUTPUT, QUEUE_SCENARIOS } from './app/scenarios';
import { conformance, newRun } from './support/conformance';
import { deliveries, invocations, waitForDeliveries } from './support/observations';
import { expectStays } from './support/settled';
import { sendMessages, waitForDeadLetter } from './support/sources';
import { output } from './support/target';
import { warmUp } from './support/warm-up';

const SQS = 'https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html';
const PARTIAL = 'https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-batchfailurereporting.html';
const SCENARIO = QUEUE_SCENARIOS.sqsStandard;
/** A message left on the queue is visible again after the visibility timeout: wait past it. */
const QUIET_MS = (SCENARIO.visibilityTimeoutSeconds + 2) * 1000;

async function expectDeliveredOnce(run: string, ids: readonly string[]): Promise<void> {
  await expectStays(async () => {
    const observed = await invocations(run);
    for (const id of ids) expect({ id, deliveries: deliveries(observed, id) }).toEqual({ id, deliveries: 1 });
  }, QUIET_MS);
}

interface SqsRecordShape {
  messageId: string;
  body: string;
  attributes: Record<string, string>;
}

warmUp(['sqsStandard'], 2);

describe('SQS event source mapping (standard queue)', () => {
  conformance(
    'invokes the function with the SQS event record shape',
    SQS,
    'Lambda polls the queue and invokes your Lambda function synchronously with an event that contains queue messages.',
    async () => {
      const run = newRun('sqs-shape');
      const [messageId] = await sendMessages('sqsStandard', [{ run, id: 'm1' }]);
      const [observation] = await waitForDeliveries(run, ['m1']);
      const body = JSON.stringify({ probe: { run, id: 'm1' } });
      const queueName = output(OUTPUT.queue('sqsStandard')).split('/').pop();
      expect(observation.records[0]).toEqual({
        messageId,
        receiptHandle: expect.any(String),
        body,
        attributes: expect.objectContaining({
          ApproximateReceiveCount: '1',
          SentTimestamp: expect.stringMatching(/^\d+$/),
          SenderId: expect.any(String),
          ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d+$/),
        }),
        messageAttributes: {},
        md5OfBody: createHash('md5').update(body).digest('hex'),
        eventSource: 'aws:sqs',
        eventSourceARN: expect.stringMatching(new RegExp(`^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\\d{12}:${queueName}$`)),
        awsRegion: expect.any(String),
      });
    },
  );

  conformance(
    'never puts more than BatchSize messages in one invocation',
    SQS,
    'When Lambda invokes the target function, the event can contain multiple items, up to a configurable maximum batch size.',
    async () => {
      const run = newRun('sqs-batch-size');
      const ids = Array.from({ length: 10 }, (_, index) => `m${index + 1}`);
      await sendMessages(
        'sqsStandard',
        ids.map((id) => ({ run, id })),
      );
      const observed = await waitForDeliveries(run, ids);
      for (const observation of observed) expect(observation.batchSize).toBeLessThanOrEqual(SCENARIO.batchSize);
    },
  );

  conformance(
    'deletes the messages of a successful batch',
    SQS,
    'When your function successfully processes a batch, Lambda deletes its messages from the queue.',
    async () => {
      const run = newRun('sqs-delete');
      await sendMessages('sqsStandard', [{ run, id: 'm1' }]);
      await waitForDeliveries(run, ['m1']);
      await expectDeliveredOnce(run, ['m1']);
    },
  );

  conformance(
    'makes only the reported messages visible again; the others are deleted',
    PARTIAL,
    'To avoid reprocessing all messages in a failed batch, you can configure your event source mapping to make only the failed messages visible again.',
    async () => {
      const run = newRun('sqs-partial');
      await sendMessages('sqsStandard', [
        { run, id: 'm1' },
        { run, id: 'm2', failTimes: 1 },
        { run, id: 'm3' },
      ]);
      await waitForDeliveries(run, ['m2'], 2);
      await expectDeliveredOnce(run, ['m1', 'm3']);
    },
  );

  conformance('counts each delivery in ApproximateReceiveCount', SQS, 'After the visibility timeout occurs, Lambda receives the message again.', async () => {
    const run = newRun('sqs-receive-count');
    await sendMessages('sqsStandard', [{ run, id: 'm1', failTimes: 1 }]);
    const observed = await waitForDeliveries(run, ['m1'], 2);
    const counts = observed.map((observation) => (observation.records[0] as SqsRecordShape).attributes.ApproximateReceiveCount);
    expect(counts).toEqual(['1', '2']);
  });

  conformance(
    'a function error returns every message of the batch to the queue',
    PARTIAL,
    'If your function throws an exception, the entire batch is considered a complete failure.',
    async () => {
      const run = newRun('sqs-throw');
      await sendMessages('sqsStandard', [{ run, id: 'm1', failTimes: 1, how: 'throw' }]);
      await waitForDeliveries(run, ['m1'], 2);
    },
  );

  for (const [what, respond, quote] of [
    ['an empty batchItemFailures list', 'empty-list', 'An empty batchItemFailures list'],
    ['a null batchItemFailures list', 'null-list', 'A null batchItemFailures list'],
    ['a null response', 'null', 'A null EventResponse'],
  ] as const) {
    conformance(
      `treats ${what} as a complete success (SQS)`,
      PARTIAL,
      `Lambda treats a batch as a complete success if your function returns any of the following: ${quote}`,
      async () => {
        const run = newRun(`sqs-${respond}`);
        // m1 would be reported as failed, but its response replaces the whole answer every time.
        await sendMessages('sqsStandard', [{ run, id: 'm1', failTimes: -1, respond, respondTimes: 99 }]);
        await waitForDeliveries(run, ['m1']);
        await expectDeliveredOnce(run, ['m1']);
      },
    );
  }

  for (const [what, respond, quote] of [
    ['an itemIdentifier that is not in the batch', 'unknown-id', "An itemIdentifier value with a message ID that doesn't exist"],
    ['an empty-string itemIdentifier', 'empty-id', 'An empty string itemIdentifier'],
  ] as const) {
    conformance(
      `treats ${what} as a complete failure (SQS)`,
      PARTIAL,
      `Lambda treats a batch as a complete failure if your function returns any of the following: ${quote}`,
      async () => {
        const run = newRun(`sqs-${respond}`);
        await sendMessages('sqsStandard', [{ run, id: 'm1', respond }]);
        await waitForDeliveries(run, ['m1'], 2);
      },
    );
  }

  conformance(
    'moves a message to the dead-letter queue after maxReceiveCount receives',
    SQS,
    'To send messages to a second queue after a number of receives, configure a dead-letter queue on your source queue.',
    async () => {
      const run = newRun('sqs-dlq');
      await sendMessages('sqsStandard', [{ run, id: 'm1', failTimes: -1 }]);
      await waitForDeadLetter('sqsStandard', run, 'm1');
      expect(deliveries(await invocations(run), 'm1')).toBe(SCENARIO.maxReceiveCount);
    },
  );
});

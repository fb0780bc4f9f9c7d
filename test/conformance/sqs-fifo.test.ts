/**
 * SQS FIFO event source mapping: order within a message group, a failed batch retried before the
 * rest of its group, deletion of every message the function did not report, other groups going
 * on, and the redrive to the FIFO dead-letter queue.
 */
import { QUEUE_SCENARIOS } from './app/scenarios';
import { conformance, newRun } from './support/conformance';
import { deliveries, deliveryOrder, invocations, waitForDeliveries } from './support/observations';
import { expectStays } from './support/settled';
import { sendMessages, waitForDeadLetter } from './support/sources';
import { warmUp } from './support/warm-up';

const SQS = 'https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html';
const PARTIAL = 'https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-batchfailurereporting.html';
const SCENARIO = QUEUE_SCENARIOS.sqsFifo;
const QUIET_MS = (SCENARIO.visibilityTimeoutSeconds + 2) * 1000;

interface FifoRecordShape {
  attributes: Record<string, string>;
}

/** Index of the n-th (1-based) delivery of `id` in the delivery order. */
function nthDelivery(order: readonly string[], id: string, n: number): number {
  let seen = 0;
  return order.findIndex((candidate) => candidate === id && ++seen === n);
}

/** The delivery order without immediate repeats (a retried message is redelivered before the next one). */
function withoutRetries(order: readonly string[]): string[] {
  return order.filter((id, index) => id !== order[index - 1]);
}

warmUp(['sqsFifo'], 2);

describe('SQS event source mapping (FIFO queue)', () => {
  conformance(
    'delivers the messages of a group in the order they were sent',
    SQS,
    'Amazon SQS ensures that messages in the same group are delivered to Lambda in order.',
    async () => {
      const run = newRun('fifo-order');
      const ids = ['m1', 'm2', 'm3', 'm4', 'm5'];
      await sendMessages(
        'sqsFifo',
        ids.map((id) => ({ run, id })),
      );
      expect(withoutRetries(deliveryOrder(await waitForDeliveries(run, ids)))).toEqual(ids);
    },
  );

  conformance(
    'gives each record its MessageGroupId, MessageDeduplicationId and SequenceNumber',
    SQS,
    'For FIFO queues, records contain additional attributes that are related to deduplication and sequencing.',
    async () => {
      const run = newRun('fifo-attributes');
      await sendMessages('sqsFifo', [{ run, id: 'm1' }]);
      const [observation] = await waitForDeliveries(run, ['m1']);
      expect((observation.records[0] as FifoRecordShape).attributes).toMatchObject({
        MessageGroupId: run,
        MessageDeduplicationId: expect.stringMatching(/^[0-9a-f]{64}$/),
        SequenceNumber: expect.stringMatching(/^\d+$/),
      });
    },
  );

  conformance(
    'retries a failed batch before any later message of its group',
    SQS,
    'If your function returns an error, the function attempts all retries on the affected messages before Lambda receives additional messages from the same group.',
    async () => {
      const run = newRun('fifo-blocking');
      await sendMessages('sqsFifo', [
        { run, id: 'm1', failTimes: 1, how: 'throw' },
        { run, id: 'm2' },
        { run, id: 'm3' },
      ]);
      const observed = await waitForDeliveries(run, ['m1'], 2);
      const failed = observed.findIndex((observation) => observation.ids.includes('m1'));
      // Whatever the failed batch held, the group's next batch starts again at m1.
      expect(observed[failed + 1].ids[0]).toBe('m1');
      const order = withoutRetries(deliveryOrder(await waitForDeliveries(run, ['m2', 'm3'])));
      expect(order.slice(-3)).toEqual(['m1', 'm2', 'm3']);
    },
  );

  conformance(
    'deletes every message of the batch the function did not report',
    PARTIAL,
    "If you're using this feature with a FIFO queue, your function should stop processing messages after the first failure and return all failed and unprocessed messages in batchItemFailures.",
    async () => {
      const run = newRun('fifo-unreported');
      // m0 keeps the group locked while m1..m3 are sent, so the next receive takes all three at once.
      await sendMessages('sqsFifo', [{ run, id: 'm0', sleepMs: 1500 }]);
      await waitForDeliveries(run, ['m0']);
      // The function reports only m2: m3, not reported, counts as processed and is deleted.
      await sendMessages('sqsFifo', [
        { run, id: 'm1' },
        { run, id: 'm2', failTimes: 1 },
        { run, id: 'm3' },
      ]);
      const observed = await waitForDeliveries(run, ['m2'], 2);
      expect({ batch: observed[1].ids }).toEqual({ batch: ['m1', 'm2', 'm3'] });
      await expectStays(async () => {
        const observed = await invocations(run);
        expect({ m1: deliveries(observed, 'm1'), m3: deliveries(observed, 'm3') }).toEqual({ m1: 1, m3: 1 });
      }, QUIET_MS);
    },
  );

  conformance(
    'a failing group does not hold up the other groups',
    SQS,
    'Lambda sorts the messages into groups and sends only one batch at a time for a group.',
    async () => {
      const run = newRun('fifo-groups');
      await sendMessages('sqsFifo', [{ run, id: 'a1', failTimes: 1, group: `${run}-a` }]);
      await waitForDeliveries(run, ['a1']);
      await sendMessages('sqsFifo', [{ run, id: 'b1', group: `${run}-b` }]);
      const order = deliveryOrder(await waitForDeliveries(run, ['a1'], 2));
      expect(order.indexOf('b1')).toBeGreaterThan(-1);
      expect(order.indexOf('b1')).toBeLessThan(nthDelivery(order, 'a1', 2));
    },
  );

  conformance(
    'moves a message to the FIFO dead-letter queue after maxReceiveCount receives',
    SQS,
    'If your function fails to process a message multiple times, Amazon SQS can send it to a dead-letter queue.',
    async () => {
      const run = newRun('fifo-dlq');
      await sendMessages('sqsFifo', [{ run, id: 'm1', failTimes: -1 }]);
      await waitForDeadLetter('sqsFifo', run, 'm1');
      expect(deliveries(await invocations(run), 'm1')).toBe(SCENARIO.maxReceiveCount);
    },
  );
});

import { FullBatchFailureError } from '@aws-lambda-powertools/batch';
import type { Notification } from '../../../lambdas/domain/integration';
import type { DeliveryDeps, DeliveryRecord, NotificationChannel } from '../../../lambdas/notification-worker/delivery';
import { WebhookDeliveryError } from '../../../lambdas/notification-worker/errors';
import { createNotificationWorker, idempotentDelivery } from '../../../lambdas/notification-worker/handler';
import { logger } from '../../../lambdas/shared/observability';
import { InMemoryIdempotencyStore } from '../../helpers/in-memory-idempotency-store';
import { notification } from '../../helpers/notifications';
import { sqsEvent, sqsRecordOf } from '../../helpers/sqs-records';
import { FakeDeadLetterQueue } from '../../helpers/fake-dead-letter-queue';

beforeAll(() => logger.setLogLevel('SILENT'));

const NOW = new Date('2025-01-01T10:00:05.000Z');

/** A channel that answers with a chosen status per notification and counts what it was sent. */
class FakeChannel implements NotificationChannel {
  public readonly target = 'https://hooks.example.com/sluice';
  public readonly sent: Notification[] = [];

  public constructor(private readonly statusFor: (n: Notification) => number = () => 200) {}

  public async send(n: Notification): Promise<{ statusCode: number }> {
    const statusCode = this.statusFor(n);
    if (statusCode >= 300) throw new WebhookDeliveryError(n.notificationId, `the webhook answered ${statusCode}`, statusCode);
    this.sent.push(n);
    return { statusCode };
  }
}

function setup(statusFor?: (n: Notification) => number) {
  const channel = new FakeChannel(statusFor);
  const rows: DeliveryRecord[] = [];
  const deps: DeliveryDeps = { channel, deliveries: { record: async (row) => void rows.push(row) }, clock: () => NOW };
  const work = createNotificationWorker(idempotentDelivery(deps, new InMemoryIdempotencyStore()));
  return { work, channel, rows };
}

describe('notification worker', () => {
  it('delivers a notification and records the delivery', async () => {
    const { work, channel, rows } = setup();

    const record = sqsRecordOf(notification());
    const response = await work(sqsEvent(record));

    expect(response.batchItemFailures).toEqual([]);
    expect(channel.sent).toEqual([notification()]);
    expect(rows).toEqual([
      {
        notificationId: notification().notificationId,
        accountId: 'acc-1',
        eventType: 'sluice.account.deposited.v1',
        target: 'https://hooks.example.com/sluice',
        status: 'delivered',
        statusCode: 200,
        deliveredAt: NOW.toISOString(),
        // When the notifier sent it: the queue hop `sluice trace` shows.
        queuedAt: new Date(Number(record.attributes.SentTimestamp)).toISOString(),
      },
    ]);
  });

  it('does not POST again when SQS delivers the same notification twice', async () => {
    const { work, channel } = setup();

    await work(sqsEvent(sqsRecordOf(notification())));
    const second = await work(sqsEvent(sqsRecordOf(notification())));

    expect(second.batchItemFailures).toEqual([]);
    expect(channel.sent).toHaveLength(1);
  });

  it('delivers once and fails nothing when one batch holds two copies of a notification', async () => {
    const { work, channel } = setup();

    const response = await work(sqsEvent(sqsRecordOf(notification()), sqsRecordOf(notification())));

    expect(response.batchItemFailures).toEqual([]);
    expect(channel.sent).toHaveLength(1);
  });

  it('fails only the message the webhook refused, so SQS retries it', async () => {
    const { work, channel } = setup((n) => (n.notificationId === 'refused' ? 503 : 200));
    const refused = sqsRecordOf(notification({ notificationId: 'refused' }));

    const response = await work(sqsEvent(sqsRecordOf(notification({ notificationId: 'ok' })), refused));

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: refused.messageId }]);
    expect(channel.sent.map((n) => n.notificationId)).toEqual(['ok']);
  });

  it('delivers a refused notification on a later attempt', async () => {
    let answer = 500;
    const { work, channel } = setup(() => answer);
    // The only message failed: the whole batch fails and SQS makes it visible again.
    await expect(work(sqsEvent(sqsRecordOf(notification())))).rejects.toThrow(FullBatchFailureError);

    answer = 200;
    const retry = await work(sqsEvent(sqsRecordOf(notification())));

    expect(retry.batchItemFailures).toEqual([]);
    expect(channel.sent).toHaveLength(1);
  });

  it('fails a message that is not a notification, naming the missing fields', async () => {
    const { work } = setup();
    const bad = sqsRecordOf({ notificationId: 'x' });

    const response = await work(sqsEvent(bad, sqsRecordOf(notification())));

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: bad.messageId }]);
  });

  it('moves a message that is not a notification to the DLQ with the reason and acknowledges it', async () => {
    const deadLetters = new FakeDeadLetterQueue();
    const delivered: string[] = [];
    const work = createNotificationWorker(async (n) => {
      delivered.push(n.notificationId);
      return { notificationId: n.notificationId, accountId: n.accountId, eventType: n.eventType, target: 'log', status: 'delivered', deliveredAt: 'now' };
    }, deadLetters);
    const [bad, garbage, good] = [sqsRecordOf({ notificationId: 'x' }), sqsRecordOf('{oops'), sqsRecordOf(notification())];

    const response = await work(sqsEvent(bad, garbage, good));

    expect(response.batchItemFailures).toEqual([]);
    expect(delivered).toHaveLength(1);
    expect(deadLetters.messages.map((m) => [m.body, m.attributes.reason])).toEqual([
      [bad.body, 'validation_failed'],
      [garbage.body, 'undecodable_record'],
    ]);
    expect(deadLetters.messages[0].attributes.message).toMatch(/eventId/);
  });
  describe('on the last allowed receive', () => {
    /** A worker whose webhook answers 503 to notification `down`, with a DLQ and a queue that allows 5 receives. */
    function failingWorker() {
      const deadLetters = new FakeDeadLetterQueue();
      const rows: DeliveryRecord[] = [];
      const deps: DeliveryDeps = {
        channel: new FakeChannel((n) => (n.notificationId === 'down' ? 503 : 200)),
        deliveries: { record: async (row) => void rows.push(row) },
        clock: () => NOW,
      };
      return { work: createNotificationWorker(idempotentDelivery(deps, new InMemoryIdempotencyStore()), deadLetters, 5), deadLetters, rows };
    }
    const good = sqsRecordOf(notification({ notificationId: 'up', eventId: 'up' }));
    const receivedTimes = (n: number) => {
      const record = sqsRecordOf(notification({ notificationId: 'down', eventId: 'down' }));
      return { ...record, attributes: { ...record.attributes, ApproximateReceiveCount: String(n) } };
    };

    it('moves a delivery that failed again to the DLQ with reason delivery_failed and the error, and acknowledges it', async () => {
      const { work, deadLetters, rows } = failingWorker();
      const last = receivedTimes(5);

      const response = await work(sqsEvent(last, good));

      expect(response.batchItemFailures).toEqual([]);
      expect(rows.map((row) => row.notificationId)).toEqual(['up']);
      expect(deadLetters.messages).toHaveLength(1);
      expect(deadLetters.messages[0].body).toBe(last.body);
      expect(deadLetters.messages[0].attributes).toMatchObject({
        reason: 'delivery_failed',
        consumer: 'notification-worker',
        sourceMessageId: last.messageId,
        receiveCount: '5',
        message: expect.stringMatching(/answered 503/),
      });
    });

    it('fails it for SQS to retry on every earlier receive', async () => {
      const { work, deadLetters } = failingWorker();
      const early = receivedTimes(4);

      const response = await work(sqsEvent(early, good));

      expect(response.batchItemFailures).toEqual([{ itemIdentifier: early.messageId }]);
      expect(deadLetters.messages).toEqual([]);
    });
  });
});

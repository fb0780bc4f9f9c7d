import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { notificationSchema, type Notification } from '../domain/integration/notification-schema';
import { type DeadLetterPort, divertPoison, sqsDeadLetter } from '../shared/batch/dead-letter';
import { parseSqsJsonBody } from '../shared/batch/json-body';
import { InvalidEventRecordError } from '../shared/batch/errors';
import { getDynamoDbClient } from '../shared/clients';
import { intEnv, requireEnv } from '../shared/config';
import { zodIssues } from '../shared/zod-issues';
import { logger, metrics, withObservability } from '../shared/observability';
import { correlationKeys } from '../shared/trace-context';
import { sentAt, traceparentOfMessage } from '../shared/sqs/trace-attributes';
import { deadLetterQueueFromEnv } from '../shared/sqs';
import { checkWebhookUrl, LogChannel, WebhookChannel } from './channels';
import { deliverNotification, type DeliveryDeps, type DeliveryRecord } from './delivery';
import { DynamoDbDeliveryLog } from './dynamodb-delivery-log';
import { isLastReceive, maxReceiveCountFromEnv } from './last-receive';
import { webhookSecret } from './webhook-secret';
import { NOTIFICATION_WORKER_ENV } from './environment';

/** Delivers one notification; in production, idempotent on `notificationId`. */
/** Delivers one notification; `queuedAt` (when it was sent to the queue) goes to the delivery log. */
export type DeliverFn = (notification: Notification, queuedAt?: string) => Promise<DeliveryRecord>;

/**
 * A notification may come back as long as the events stream keeps its record: the notifier resends
 * it when a Kinesis record is retried or replayed (`sluice replay`), SQS may deliver it twice. The
 * stack sets `IDEMPOTENCY_WINDOW_SECONDS` to the stream's retention (at least 24 h).
 */
const IDEMPOTENCY_WINDOW_SECONDS = intEnv(NOTIFICATION_WORKER_ENV.idempotencyWindowSeconds, 24 * 60 * 60);

/** Registered with the Lambda context on each invocation, so in-progress records expire with it. */
export const idempotencyConfig = new IdempotencyConfig({
  eventKeyJmesPath: 'notificationId',
  throwOnNoIdempotencyKey: true,
  expiresAfterSeconds: IDEMPOTENCY_WINDOW_SECONDS,
});

/**
 * Wraps the delivery with Powertools idempotency keyed on `notificationId`.
 *
 * The webhook POST is the side effect that must not repeat: a second message for the same event
 * (SQS at-least-once, or the notifier resending after a retried Kinesis record) returns the stored
 * result of the first delivery instead of posting again.
 *
 * @example
 * const deliver = idempotentDelivery(deps, new DynamoDBPersistenceLayer({ tableName }));
 */
export function idempotentDelivery(deps: DeliveryDeps, persistenceStore: BasePersistenceLayer): DeliverFn {
  // The key is the first argument's notificationId only, so `queuedAt` never changes it.
  return makeIdempotent((notification: Notification, queuedAt?: string) => deliverNotification(deps, notification, queuedAt), {
    persistenceStore,
    config: idempotencyConfig,
  });
}

let deliver: { fn: DeliverFn; secret?: string } | undefined;

/**
 * The idempotent delivery, built per container from the environment, and again when the webhook
 * key changes: the key is looked up on every invocation (cached for minutes), so a rotation is picked up.
 */
async function defaultDeliver(): Promise<DeliverFn> {
  const webhookUrl = process.env[NOTIFICATION_WORKER_ENV.webhookUrl];
  const secret = webhookUrl ? await webhookSecret() : undefined;
  if (deliver && deliver.secret === secret) return deliver.fn;
  const deps: DeliveryDeps = {
    // Plain http only to localhost, and only on the local cloud (it sets SLUICE_LOCAL=1 on every function).
    channel: webhookUrl && secret ? new WebhookChannel(checkWebhookUrl(webhookUrl, process.env.SLUICE_LOCAL === '1'), secret) : new LogChannel(logger),
    deliveries: new DynamoDbDeliveryLog(getDynamoDbClient(), requireEnv(NOTIFICATION_WORKER_ENV.deliveriesTableName)),
    clock: () => new Date(),
  };
  const fn = idempotentDelivery(deps, new DynamoDBPersistenceLayer({ tableName: requireEnv(NOTIFICATION_WORKER_ENV.idempotencyTableName) }));
  deliver = { fn, ...(secret ? { secret } : {}) };
  return fn;
}

/**
 * Parses a notifications-queue message.
 *
 * @throws {UndecodableRecordError} when the body is not JSON; {InvalidEventRecordError}
 * (`validation_failed`) naming the bad fields. Both are permanent: the message goes to the DLQ.
 */
export function parseNotification(record: SQSRecord): Notification {
  const result = notificationSchema.safeParse(parseSqsJsonBody(record));
  if (!result.success) {
    const details = zodIssues(result.error);
    throw new InvalidEventRecordError('validation_failed', record.messageId, `not a notification (${details.map((issue) => issue.field).join(', ')})`, {
      details,
    });
  }
  return result.data;
}

/**
 * The notification worker: SQS notifications queue → delivery (webhook or log) → delivery log.
 *
 * Each message is handled on its own; a failed delivery fails only its message, which SQS
 * retries. On the message's last allowed receive (`maxReceiveCount`, the queue's) a failed delivery
 * is moved to the DLQ by the worker itself with reason `delivery_failed` and the last error, then
 * acknowledged; SQS's redrive stays the backstop (a DLQ that refuses the letter, a timed-out run).
 * A message that is not a notification can never be delivered: it is moved to the DLQ at once
 * (reason in message attributes) and acknowledged.
 *
 * @example
 * await createNotificationWorker(fakeDeliver, fakeDlq, 5)(sqsEvent) // { batchItemFailures: [] }
 */
export function createNotificationWorker(
  deliverFn: DeliverFn,
  deadLetters?: DeadLetterPort,
  maxReceiveCount?: number,
): (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse> {
  const dlq = deadLetters && { consumer: 'notification-worker', queue: deadLetters };
  return (event, context) => {
    // SQS (standard) may hand over the same notification twice in one batch, and the notifier
    // resends after a stream retry. Records run in parallel, and a second copy racing the first
    // through the idempotent delivery would fail as "in progress" and wait out the visibility
    // timeout: within a batch, copies share the first copy's delivery instead.
    const deliveries = new Map<string, Promise<DeliveryRecord>>();
    const deliverOnce = (notification: Notification, queuedAt: string | undefined) => {
      let delivery = deliveries.get(notification.notificationId);
      if (!delivery) deliveries.set(notification.notificationId, (delivery = deliverFn(notification, queuedAt)));
      return delivery;
    };
    return processPartialResponse(
      event,
      async (record: SQSRecord) => {
        let notification: Notification;
        try {
          notification = parseNotification(record);
        } catch (error) {
          if (await divertPoison(dlq, error, (reason, failedAt) => sqsDeadLetter(record, reason, error, 'notification-worker', failedAt), logger)) return;
          throw error;
        }
        let delivery: DeliveryRecord;
        try {
          delivery = await deliverOnce(notification, sentAt(record));
        } catch (error) {
          if (dlq && isLastReceive(record, maxReceiveCount) && (await deadLetterFailedDelivery(dlq.queue, record, error))) return;
          throw error;
        }
        logger.debug('notification delivered', { ...correlationKeys(traceparentOfMessage(record), delivery.notificationId), target: delivery.target });
      },
      new BatchProcessor(EventType.SQS),
      { context },
    );
  };
}

/**
 * Sends a message whose delivery failed on its last allowed receive to the DLQ, body unchanged,
 * reason `delivery_failed` and the error in its attributes. Never throws.
 *
 * @returns false when the DLQ refused it: the caller fails the message and SQS's redrive moves it.
 */
async function deadLetterFailedDelivery(queue: DeadLetterPort, record: SQSRecord, error: unknown): Promise<boolean> {
  try {
    await queue.send(sqsDeadLetter(record, 'delivery_failed', error, 'notification-worker', new Date().toISOString()));
  } catch (sendError) {
    logger.error('failed delivery could not be sent to the DLQ; failing it so SQS redrives it', {
      ...correlationKeys(traceparentOfMessage(record)),
      messageId: record.messageId,
      error: sendError as Error,
    });
    return false;
  }
  logger.warn('delivery failed on the last receive: sent to the DLQ with its reason and acknowledged', {
    ...correlationKeys(traceparentOfMessage(record)),
    messageId: record.messageId,
    error: error as Error,
  });
  return true;
}

/** Lambda entry point. */
export const handler = withObservability(async (event: SQSEvent, context: Context) => {
  idempotencyConfig.registerLambdaContext(context);
  const response = await createNotificationWorker(await defaultDeliver(), deadLetterQueueFromEnv(), maxReceiveCountFromEnv())(event, context);
  metrics.addMetric('NotificationsFailed', MetricUnit.Count, response.batchItemFailures.length);
  return response;
});

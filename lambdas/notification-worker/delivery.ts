import type { Notification } from '../domain/integration';

/** Where notifications go: a webhook, or the function's log when no webhook is configured. */
export interface NotificationChannel {
  /** What the delivery log records as `target`: the webhook URL or `log`. */
  readonly target: string;
  /** @returns the HTTP status for a webhook; nothing for the log. @throws when not delivered. */
  send(notification: Notification): Promise<{ statusCode?: number }>;
}

/** One row of the deliveries table. */
export interface DeliveryRecord {
  readonly notificationId: string;
  readonly accountId: string;
  readonly eventType: string;
  readonly target: string;
  readonly status: 'delivered';
  readonly statusCode?: number;
  readonly deliveredAt: string;
  /** When the notifier put it on the queue (the message's SentTimestamp): the queue hop in `sluice trace`. */
  readonly queuedAt?: string;
}

/** The deliveries table, as the worker needs it. */
export interface DeliveryLog {
  record(delivery: DeliveryRecord): Promise<void>;
}

export interface DeliveryDeps {
  readonly channel: NotificationChannel;
  readonly deliveries: DeliveryLog;
  readonly clock: () => Date;
}

/**
 * Sends one notification through the channel and writes it to the delivery log.
 *
 * Not idempotent by itself (a webhook POST is not): the handler wraps it with Powertools
 * idempotency keyed on `notificationId`, so a redelivered SQS message does not POST again.
 *
 * @example
 * await deliverNotification({ channel, deliveries, clock }, notification) // { status: 'delivered', statusCode: 204, … }
 * @throws {WebhookDeliveryError} when the channel refused it; nothing is logged then.
 */
export async function deliverNotification(deps: DeliveryDeps, notification: Notification, queuedAt?: string): Promise<DeliveryRecord> {
  const { statusCode } = await deps.channel.send(notification);
  const delivery: DeliveryRecord = {
    notificationId: notification.notificationId,
    accountId: notification.accountId,
    eventType: notification.eventType,
    target: deps.channel.target,
    status: 'delivered',
    ...(statusCode === undefined ? {} : { statusCode }),
    deliveredAt: deps.clock().toISOString(),
    ...(queuedAt ? { queuedAt } : {}),
  };
  await deps.deliveries.record(delivery);
  return delivery;
}

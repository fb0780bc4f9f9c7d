import type { Notification } from '../domain/integration';
import type { ConsumerLogger } from '../shared/batch';
import type { NotificationChannel } from './delivery';
import { WebhookDeliveryError } from './errors';

/** The part of `fetch` the webhook channel uses; injected so tests need no server. */
export type Fetch = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<{ status: number; ok: boolean }>;

/**
 * Delivers notifications as JSON POSTs to a webhook (`WEBHOOK_URL`).
 *
 * A non-2xx answer or a network error throws, so the SQS message is retried. The notification id
 * goes in an `idempotency-key` header too, for receivers that deduplicate themselves.
 *
 * @example
 * new WebhookChannel('https://hooks.example.com/sluice', fetch)
 */
export class WebhookChannel implements NotificationChannel {
  public constructor(
    public readonly target: string,
    private readonly fetchFn: Fetch = fetch,
    private readonly timeoutMs = 5000,
  ) {}

  public async send(notification: Notification): Promise<{ statusCode: number }> {
    let response: { status: number; ok: boolean };
    try {
      response = await this.fetchFn(this.target, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': notification.notificationId },
        body: JSON.stringify(notification),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new WebhookDeliveryError(notification.notificationId, `the webhook could not be reached (${(error as Error).message})`, undefined, {
        cause: error,
      });
    }
    if (!response.ok) {
      throw new WebhookDeliveryError(notification.notificationId, `the webhook answered ${response.status}`, response.status);
    }
    return { statusCode: response.status };
  }
}

/** The channel when no webhook is configured: the notification is written to the function's log. */
export class LogChannel implements NotificationChannel {
  public readonly target = 'log';

  public constructor(private readonly logger: ConsumerLogger) {}

  public async send(notification: Notification): Promise<{ statusCode?: number }> {
    this.logger.info('notification (no WEBHOOK_URL configured, logged instead)', { notification });
    return {};
  }
}

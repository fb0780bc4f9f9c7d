import { createHmac } from 'node:crypto';
import type { Notification } from '../domain/integration';
import type { ConsumerLogger } from '../shared/batch';
import type { NotificationChannel } from './delivery';
import { ConfigurationError } from '../shared/errors';
import { WebhookDeliveryError } from './errors';

/** The part of `fetch` the webhook channel uses; injected so tests need no server. */
export type Fetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal; redirect: 'manual' },
) => Promise<{ status: number; ok: boolean }>;

/** The header carrying `sha256=<hex HMAC-SHA256 of the body>` under the webhook secret. */
export const SIGNATURE_HEADER = 'x-sluice-signature';

/**
 * Checks a webhook URL: https only, except http to localhost when `allowLocalHttp` (the local stage).
 *
 * @throws {ConfigurationError} naming the URL's problem.
 */
export function checkWebhookUrl(raw: string, allowLocalHttp: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigurationError(`WEBHOOK_URL is not a URL (got "${raw}"); use https://host/path`);
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(allowLocalHttp && local && url.protocol === 'http:')) {
    throw new ConfigurationError(`WEBHOOK_URL must be https (got ${url.protocol}//${url.host}); plain http is allowed only to localhost on the local stage`);
  }
  if (url.username || url.password) throw new ConfigurationError('WEBHOOK_URL must not carry credentials; the deliveries are signed instead');
  return url;
}

/**
 * Delivers notifications as JSON POSTs to a webhook (`WEBHOOK_URL`, checked by {@link checkWebhookUrl}).
 *
 * A non-2xx answer (a redirect included: it is never followed, so a body never goes elsewhere) or a
 * network error throws, so the SQS message is retried. Each body is signed (`x-sluice-signature:
 * sha256=<hex>`, HMAC-SHA256 under the webhook secret) so the receiver can tell sluice from a forger.
 * The notification id goes in an `idempotency-key` header too. `target` — what the delivery log
 * stores — is the URL's origin only: a path or query may hold a token.
 *
 * @example
 * new WebhookChannel(checkWebhookUrl('https://hooks.example.com/sluice', false), secret)
 */
export class WebhookChannel implements NotificationChannel {
  public readonly target: string;

  public constructor(
    private readonly url: URL,
    private readonly secret: string,
    private readonly fetchFn: Fetch = fetch,
    private readonly timeoutMs = 5000,
  ) {
    if (!secret) throw new ConfigurationError('the webhook secret is empty; set WEBHOOK_SECRET (local) or WEBHOOK_SECRET_ARN (AWS)');
    this.target = url.origin;
  }

  public async send(notification: Notification): Promise<{ statusCode: number }> {
    let response: { status: number; ok: boolean };
    try {
      const body = JSON.stringify(notification);
      const signature = `sha256=${createHmac('sha256', this.secret).update(body).digest('hex')}`;
      response = await this.fetchFn(this.url.href, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': notification.notificationId, [SIGNATURE_HEADER]: signature },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'manual',
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

/** What {@link LogChannel} logs for each notification it delivers (tests count deliveries by it). */
export const LOG_CHANNEL_MESSAGE = 'notification (no WEBHOOK_URL configured, logged instead)';

/** The channel when no webhook is configured: the notification is written to the function's log. */
export class LogChannel implements NotificationChannel {
  public readonly target = 'log';

  public constructor(private readonly logger: ConsumerLogger) {}

  public async send(notification: Notification): Promise<{ statusCode?: number }> {
    // Bodies hold names and amounts: only their ids at INFO; the whole notification at DEBUG.
    this.logger.info(LOG_CHANNEL_MESSAGE, { notificationId: notification.notificationId, eventType: notification.eventType });
    this.logger.debug('notification body', { notification });
    return {};
  }
}

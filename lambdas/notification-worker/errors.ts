import { SluiceError } from '../shared/errors';

/**
 * The webhook answered with a non-2xx status (or could not be reached).
 *
 * Thrown so the SQS message is retried; on its last allowed receive the worker moves it to the DLQ
 * with reason `delivery_failed` and this message.
 */
export class WebhookDeliveryError extends SluiceError {
  public readonly notificationId: string;
  /** The HTTP status, absent when no response came back. */
  public readonly statusCode?: number;

  public constructor(notificationId: string, message: string, statusCode?: number, options?: ErrorOptions) {
    super('webhook_delivery_failed', `notification ${notificationId} was not delivered: ${message}`, options);
    this.name = 'WebhookDeliveryError';
    this.notificationId = notificationId;
    this.statusCode = statusCode;
  }
}

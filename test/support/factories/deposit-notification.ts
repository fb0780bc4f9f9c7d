/**
 * A notifications-queue message for a deposit, written by the notifier's own code
 * (`composeNotification` on a deposited envelope), so a test that puts one on the queue or its DLQ
 * sends exactly what the pipeline sends and the worker can deliver.
 */
import { ACCOUNT_EVENT_SOURCE, ACCOUNT_EVENT_TYPES } from '../../../lambdas/domain/accounts/events';
import { composeNotification, type Notification } from '../../../lambdas/domain/integration/notification';
import { createEnvelope } from '../../../lambdas/shared/envelope';

export interface DepositNotificationInput {
  /** The deposit's event id, which is the notification's id too. */
  readonly eventId: string;
  readonly accountId: string;
  /** Minor units. @default 100 */
  readonly amount?: number;
}

/**
 * @example
 * depositNotification({ eventId: '01J…', accountId: 'acct-1' }).text // 'Ada, 1.00 EUR was paid into your account acct-1. …'
 */
export function depositNotification(input: DepositNotificationInput): Notification {
  const amount = input.amount ?? 100;
  const time = new Date().toISOString();
  const deposited = createEnvelope({
    id: input.eventId,
    type: ACCOUNT_EVENT_TYPES.deposited,
    source: ACCOUNT_EVENT_SOURCE,
    subject: input.accountId,
    time,
    data: { accountId: input.accountId, amount, channel: 'api' },
    streamversion: 2,
  });
  return composeNotification(deposited, {
    status: 'open',
    accountId: input.accountId,
    owner: 'Ada',
    currency: 'EUR',
    balance: amount,
    version: 2,
    openedAt: time,
    updatedAt: time,
  });
}

import type { Notification } from '../../lambdas/domain/integration';

/** A valid notifications-queue message body. */
export function notification(overrides: Partial<Notification> = {}): Notification {
  return {
    notificationId: '01JGQ0000000000000000000AB',
    eventId: '01JGQ0000000000000000000AB',
    eventType: 'sluice.account.deposited.v1',
    accountId: 'acc-1',
    owner: 'Ada',
    subject: 'Deposit of 10.00 EUR',
    text: 'Ada, 10.00 EUR was paid into your account acc-1. Your balance is now 10.00 EUR.',
    occurredAt: '2025-01-01T10:00:00.000Z',
    ...overrides,
  };
}

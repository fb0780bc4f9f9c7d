import { ACCOUNT_EVENT_TYPES, accountEventFromEnvelope, isAccountEventType, type OpenAccount } from '../accounts';
import { CARD_EVENT_TYPES, cardFraudSuspectedV1Schema } from '../cards';
import type { EventEnvelope } from '../../shared/envelope';
import { NotNotifiableError } from './errors';
import { formatMoney } from './money';
import type { Notification } from './notification-schema';

export { notificationSchema, type Notification } from './notification-schema';

/** The event types that produce a notification to the account's owner. */
export const NOTIFIABLE_TYPES: readonly string[] = [
  ACCOUNT_EVENT_TYPES.opened,
  ACCOUNT_EVENT_TYPES.deposited,
  ACCOUNT_EVENT_TYPES.withdrawn,
  CARD_EVENT_TYPES.fraudSuspected,
];

/** Whether an event type is notified (card swipes, for one, are not). */
export function isNotifiable(type: string): boolean {
  return NOTIFIABLE_TYPES.includes(type);
}

/**
 * Writes the notification for an event, addressed to the account's owner.
 *
 * `account` is the account as of the event (Event Notification: the event itself is thin, the
 * details come from the store), so a balance in the text is the one right after that event.
 *
 * @example
 * composeNotification(depositedEnvelope, account).text
 * // 'Ada, 12.50 EUR was paid into your account acc-1. Your balance is now 112.50 EUR.'
 * @throws {NotNotifiableError} for a type that is not notifiable; callers filter with {@link isNotifiable}.
 */
export function composeNotification(event: EventEnvelope, account: OpenAccount): Notification {
  const { subject, text } = wording(event, account);
  return {
    notificationId: event.id,
    eventId: event.id,
    eventType: event.type,
    accountId: account.accountId,
    owner: account.owner,
    subject,
    text,
    occurredAt: event.time,
  };
}

function wording(event: EventEnvelope, account: OpenAccount): { subject: string; text: string } {
  const { owner, accountId, currency } = account;
  if (isAccountEventType(event.type)) {
    // Parsing again narrows `data` by type; the catalog has validated it already, so this cannot fail.
    const accountEvent = accountEventFromEnvelope(event);
    const balance = `Your balance is now ${formatMoney(account.balance, currency)}.`;
    switch (accountEvent.type) {
      case ACCOUNT_EVENT_TYPES.opened:
        return { subject: 'Your account is open', text: `Welcome, ${owner}: your ${currency} account ${accountId} is open.` };
      case ACCOUNT_EVENT_TYPES.deposited: {
        const amount = formatMoney(accountEvent.data.amount, currency);
        const reference = accountEvent.data.reference === undefined ? '' : ` (reference: ${accountEvent.data.reference})`;
        return { subject: `Deposit of ${amount}`, text: `${owner}, ${amount} was paid into your account ${accountId}${reference}. ${balance}` };
      }
      case ACCOUNT_EVENT_TYPES.withdrawn: {
        const amount = formatMoney(accountEvent.data.amount, currency);
        return { subject: `Withdrawal of ${amount}`, text: `${owner}, ${amount} was withdrawn from your account ${accountId}. ${balance}` };
      }
    }
  }
  if (event.type === CARD_EVENT_TYPES.fraudSuspected) {
    const alert = cardFraudSuspectedV1Schema.parse(event.data);
    const within = formatDuration(alert.windowSeconds);
    const what =
      alert.reason === 'velocity' ? `was used ${alert.swipeIds.length} times within ${within}` : `was used in more countries than expected within ${within}`;
    return {
      subject: 'Suspicious card activity',
      text: `${owner}, your card ${alert.cardId} on account ${accountId} ${what}. If this was not you, block the card now.`,
    };
  }
  throw new NotNotifiableError(event.type);
}

function formatDuration(seconds: number): string {
  if (seconds % 60 !== 0) return `${seconds} seconds`;
  const minutes = seconds / 60;
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

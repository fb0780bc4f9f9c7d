export { accountAtEvent } from './account-at-event';
export { AccountStateUnavailableError, NotNotifiableError } from './errors';
export { formatMoney } from './money';
export { composeNotification, isNotifiable, NOTIFIABLE_TYPES, notificationSchema } from './notification';
export type { Notification } from './notification';
export { STATE_TRANSFER_SOURCE, stateChangedEvent, stateChangedMessageKeys } from './state-changed';

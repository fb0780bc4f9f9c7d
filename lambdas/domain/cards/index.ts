export { CardError, CardWindowMismatchError, FraudWindowConflictError } from './errors';
export {
  CARD_EVENT_TYPES,
  cardEventDefinitions,
  cardFraudSuspectedV1,
  cardFraudSuspectedV1Schema,
  cardIdSchema,
  cardSwipedV1,
  cardSwipedV1Schema,
  countrySchema,
  FRAUD_DETECTOR_SOURCE,
  FRAUD_REASONS,
} from './events';
export type { CardFraudSuspectedV1, CardSwipedV1, FraudReason } from './events';
export { emptyCardWindow, forgetFutureSwipes, observeSwipe } from './fraud-window';
export type { CardWindow, FraudAlert, FraudRules, SwipeObservation, SwipeOutcome, WindowedSwipe } from './fraud-window';
export { detectFraud, detectFraudInBatch, fraudSuspectedEvent, windowExpiresAt } from './fraud-detection';
export type { CardBatchOutcome, FraudDetectionDeps } from './fraud-detection';
export type { FraudAlertSink, FraudWindowStore, StoredCardWindow } from './ports';

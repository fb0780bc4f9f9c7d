import { createEnvelope, type EventEnvelope } from '../../shared/envelope';
import { deriveEventId } from '../../shared/ids';
import { CARD_EVENT_TYPES, cardSwipedV1Schema, FRAUD_DETECTOR_SOURCE, type CardFraudSuspectedV1 } from './events';
import { observeSwipe, type CardWindow, type FraudAlert, type FraudRules, type SwipeOutcome } from './fraud-window';
import type { FraudAlertSink, FraudWindowStore } from './ports';

/** What fraud detection needs: the window store, where alerts go, and the thresholds. */
export interface FraudDetectionDeps {
  readonly windows: FraudWindowStore;
  readonly alerts: FraudAlertSink;
  readonly rules: FraudRules;
}

/**
 * The `sluice.card.fraud-suspected.v1` event for an alert.
 *
 * Its id is derived from the triggering swipe and the reason, and its time is the swipe's event
 * time, so processing the same swipe again (a retried batch) yields the same event.
 *
 * @example
 * fraudSuspectedEvent(alert).id === fraudSuspectedEvent(alert).id // true
 */
export function fraudSuspectedEvent(alert: FraudAlert): EventEnvelope<CardFraudSuspectedV1> {
  const data: CardFraudSuspectedV1 = {
    cardId: alert.cardId,
    accountId: alert.accountId,
    reason: alert.reason,
    windowSeconds: alert.windowSeconds,
    swipeIds: [...alert.swipeIds],
    detectedAt: alert.detectedAt,
  };
  return createEnvelope({
    id: deriveEventId(Date.parse(alert.detectedAt), `fraud:${alert.reason}:${alert.triggeredBy}`),
    type: CARD_EVENT_TYPES.fraudSuspected,
    source: FRAUD_DETECTOR_SOURCE,
    subject: alert.cardId,
    time: alert.detectedAt,
    data,
    partitionkey: alert.cardId,
  });
}

/** When the table may drop a window: two window lengths after its newest swipe, in epoch seconds. */
export function windowExpiresAt(window: CardWindow, rules: FraudRules): number {
  const newestMs = Math.max(...window.swipes.map((swipe) => Date.parse(swipe.at)));
  return Math.floor((newestMs + 2 * rules.windowSeconds * 1000) / 1000);
}

/**
 * Feeds one card swipe into its card's window, publishes any alerts, then saves the window.
 *
 * Alerts go out *before* the window is saved: if the save fails (crash, conflict), the retry
 * finds the old window, raises the same alert with the same id, and consumers drop the
 * duplicate. Saving first could lose an alert for good. Duplicate and late swipes change nothing
 * and are not saved.
 *
 * @example
 * const outcome = await detectFraud(deps, swipeEnvelope); // outcome.alerts: what was published
 * @throws {FraudWindowConflictError} when another writer saved the window meanwhile; or what the sink throws.
 */
export async function detectFraud(deps: FraudDetectionDeps, swipe: EventEnvelope): Promise<SwipeOutcome> {
  const data = cardSwipedV1Schema.parse(swipe.data);
  const stored = await deps.windows.load(data.cardId);
  const outcome = observeSwipe(stored.window, { eventId: swipe.id, ...data }, deps.rules);
  if (outcome.outcome !== 'counted') return outcome;
  await deps.alerts.publish(outcome.alerts.map(fraudSuspectedEvent));
  await deps.windows.save(outcome.window, stored.revision, windowExpiresAt(outcome.window, deps.rules));
  return outcome;
}

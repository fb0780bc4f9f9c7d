import { createEnvelope, type EventEnvelope } from '../../shared/envelope';
import { deriveEventId } from '../../shared/ids';
import { DEFAULT_EVENT_TIME_BOUNDS, eventTimeWindow, type EventTimeBounds } from '../../shared/input-rules';
import { CARD_EVENT_TYPES, cardSwipedV1Schema, FRAUD_DETECTOR_SOURCE, type CardFraudSuspectedV1 } from './events';
import { forgetFutureSwipes, observeSwipe, type CardWindow, type FraudAlert, type FraudRules, type SwipeOutcome } from './fraud-window';
import type { FraudAlertSink, FraudWindowStore } from './ports';

/** What fraud detection needs: the window store, where alerts go, the thresholds, and the clock that bounds event times. */
export interface FraudDetectionDeps {
  readonly windows: FraudWindowStore;
  readonly alerts: FraudAlertSink;
  readonly rules: FraudRules;
  /** Wall-clock now: swipes whose event time lies outside `eventTimeBounds` of it are ignored. */
  readonly clock: () => Date;
  /** @default the contract's [now − 7 days, now + 5 minutes] (EVENT_TIME_PAST_DAYS / EVENT_TIME_FUTURE_MINUTES) */
  readonly eventTimeBounds?: EventTimeBounds;
}

/**
 * The `sluice.card.fraud-suspected.v1` event for an alert.
 *
 * Its id is derived from the triggering swipe and the reason, and its time is the swipe's event
 * time, so processing the same swipe again (a retried batch) yields the same event. It carries
 * the triggering swipe's `traceparent`, so the alert is in the trace of the swipe that raised it.
 *
 * @example
 * fraudSuspectedEvent(alert).id === fraudSuspectedEvent(alert).id // true
 */
export function fraudSuspectedEvent(alert: FraudAlert, traceparent?: string): EventEnvelope<CardFraudSuspectedV1> {
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
    ...(traceparent === undefined ? {} : { traceparent }),
  });
}

/** The alerts' events, each with the trace of the swipe (among `swipes`) that triggered it. */
function alertEvents(alerts: readonly FraudAlert[], swipes: readonly EventEnvelope[]): EventEnvelope<CardFraudSuspectedV1>[] {
  const traceOf = new Map(swipes.map((swipe) => [swipe.id, swipe.traceparent]));
  return alerts.map((alert) => fraudSuspectedEvent(alert, traceOf.get(alert.triggeredBy)));
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
 * A swipe whose event time lies outside the input bounds (ingestion refuses those, but a record
 * can reach the stream another way, or a replay can be old) is `out_of_bounds`: ignored, never
 * thrown, so it cannot stall the shard; and it never becomes the window's watermark or TTL, so a
 * swipe dated 9999-12-31 cannot switch detection off for its card. Swipes already stored with a
 * time past the bound (before this rule existed) are forgotten when the window is loaded.
 *
 * @example
 * const outcome = await detectFraud(deps, swipeEnvelope); // outcome.alerts: what was published
 * @throws {FraudWindowConflictError} when another writer saved the window meanwhile; or what the sink throws.
 */
export async function detectFraud(deps: FraudDetectionDeps, swipe: EventEnvelope): Promise<SwipeOutcome> {
  const data = cardSwipedV1Schema.parse(swipe.data);
  const { earliestMs, latestMs } = eventTimeWindow(deps.clock(), deps.eventTimeBounds ?? DEFAULT_EVENT_TIME_BOUNDS);
  const stored = await deps.windows.load(data.cardId);
  const swipeMs = Date.parse(data.at);
  if (!(swipeMs >= earliestMs && swipeMs <= latestMs)) return { window: stored.window, alerts: [], outcome: 'out_of_bounds' };
  const outcome = observeSwipe(forgetFutureSwipes(stored.window, latestMs), { eventId: swipe.id, ...data }, deps.rules);
  if (outcome.outcome !== 'counted') return outcome;
  await deps.alerts.publish(alertEvents(outcome.alerts, [swipe]));
  await deps.windows.save(outcome.window, stored.revision, windowExpiresAt(outcome.window, deps.rules));
  return outcome;
}

/** What feeding a card's swipes of one batch did: each swipe's outcome (in order) and the alerts published. */
export interface CardBatchOutcome {
  readonly outcomes: readonly SwipeOutcome['outcome'][];
  readonly alerts: readonly FraudAlert[];
}

/**
 * Feeds one card's swipes of a batch, in stream order, into its window with one window read and
 * at most one window write: the same rules, duplicates, late swipes and event-time bounds as
 * {@link detectFraud} swipe by swipe, the swipes folded in memory instead of through the table.
 *
 * The alerts of the whole run go out before the window is saved (as in {@link detectFraud}): a
 * failed save makes the batch retry against the old window, which raises the same alerts with
 * the same ids. Nothing is saved when no swipe counted.
 *
 * @example
 * const { outcomes, alerts } = await detectFraudInBatch(deps, 'card-1', [swipe1, swipe2]); // one GetItem, one PutItem
 * @throws {FraudWindowConflictError} when another writer saved the window meanwhile; or what the store or the sink throws.
 */
export async function detectFraudInBatch(deps: FraudDetectionDeps, cardId: string, swipes: readonly EventEnvelope[]): Promise<CardBatchOutcome> {
  const { earliestMs, latestMs } = eventTimeWindow(deps.clock(), deps.eventTimeBounds ?? DEFAULT_EVENT_TIME_BOUNDS);
  const stored = await deps.windows.load(cardId);
  let window = forgetFutureSwipes(stored.window, latestMs);
  const outcomes: SwipeOutcome['outcome'][] = [];
  const alerts: FraudAlert[] = [];
  for (const swipe of swipes) {
    const data = cardSwipedV1Schema.parse(swipe.data);
    const swipeMs = Date.parse(data.at);
    if (!(swipeMs >= earliestMs && swipeMs <= latestMs)) {
      outcomes.push('out_of_bounds');
      continue;
    }
    const outcome = observeSwipe(window, { eventId: swipe.id, ...data }, deps.rules);
    outcomes.push(outcome.outcome);
    if (outcome.outcome !== 'counted') continue;
    window = outcome.window;
    alerts.push(...outcome.alerts);
  }
  if (!outcomes.includes('counted')) return { outcomes, alerts };
  if (alerts.length > 0) await deps.alerts.publish(alertEvents(alerts, swipes));
  await deps.windows.save(window, stored.revision, windowExpiresAt(window, deps.rules));
  return { outcomes, alerts };
}

import { CardWindowMismatchError } from './errors';
import type { FraudReason } from './events';

/** What the window keeps of each swipe: enough to count, tell countries apart and spot duplicates. */
export interface WindowedSwipe {
  /** Envelope id of the swipe event; a redelivered swipe has the same id. */
  readonly eventId: string;
  /** Event time (ISO), not arrival time. */
  readonly at: string;
  readonly amount: number;
  readonly country: string;
}

/** A swipe as the detector observes it. */
export interface SwipeObservation extends WindowedSwipe {
  readonly cardId: string;
  readonly accountId: string;
}

/** The per-card state of the sliding window, persisted between batches. */
export interface CardWindow {
  readonly cardId: string;
  /** Swipes inside the window, oldest first. */
  readonly swipes: readonly WindowedSwipe[];
  /** Event time (ISO) of the last alert per reason; throttles repeated alerts. */
  readonly alerts: Readonly<Partial<Record<FraudReason, string>>>;
}

/** Detection thresholds (from `FRAUD_WINDOW_SECONDS`, `FRAUD_MAX_SWIPES`, `FRAUD_MAX_COUNTRIES`). */
export interface FraudRules {
  readonly windowSeconds: number;
  /** More swipes than this inside the window → `velocity`. */
  readonly maxSwipes: number;
  /** More distinct countries than this inside the window → `geography`. */
  readonly maxCountries: number;
  /**
   * Upper bound on swipes kept, oldest dropped first: a runaway card must not grow its window item
   * past DynamoDB's 400 KB item limit (which would fail every later swipe of that card).
   * @default 1000
   */
  readonly maxRetainedSwipes?: number;
}

/** A suspicion raised by one swipe; becomes a `sluice.card.fraud-suspected.v1` event. */
export interface FraudAlert {
  readonly reason: FraudReason;
  readonly cardId: string;
  readonly accountId: string;
  readonly windowSeconds: number;
  /** Event ids of the swipes in the window when the alert fired, oldest first. */
  readonly swipeIds: readonly string[];
  /** Event time of the swipe that tipped the window over the threshold. */
  readonly detectedAt: string;
  /** Event id of that swipe; the alert's own id is derived from it. */
  readonly triggeredBy: string;
}

/** What observing one swipe produced. `outcome` says why nothing changed, for logs and metrics. */
export interface SwipeOutcome {
  readonly window: CardWindow;
  readonly alerts: readonly FraudAlert[];
  readonly outcome: 'counted' | 'duplicate' | 'late' | 'out_of_bounds';
}

const DEFAULT_MAX_RETAINED_SWIPES = 1000;

/** A card's window before its first swipe. */
export function emptyCardWindow(cardId: string): CardWindow {
  return { cardId, swipes: [], alerts: {} };
}

/**
 * Adds one swipe to a card's sliding window (over event time) and returns the alerts it triggers.
 *
 * Pure: the window in, a new window out. The window ends at the newest event time seen, so
 * out-of-order delivery is tolerated: a swipe older than the window is `late` and ignored, one
 * inside it is slotted in by time. A swipe whose id is already in the window is a redelivery and
 * changes nothing, which makes a retried batch harmless. Each reason alerts at most once per
 * window length: after an alert, the same reason stays quiet until `windowSeconds` of event time
 * have passed.
 *
 * @example
 * const { window, alerts } = observeSwipe(emptyCardWindow('card-1'), swipe, { windowSeconds: 300, maxSwipes: 5, maxCountries: 1 });
 * @throws {CardWindowMismatchError} when the swipe belongs to another card.
 */
export function observeSwipe(window: CardWindow, swipe: SwipeObservation, rules: FraudRules): SwipeOutcome {
  if (swipe.cardId !== window.cardId) throw new CardWindowMismatchError(window.cardId, swipe.cardId);
  if (window.swipes.some((kept) => kept.eventId === swipe.eventId)) return { window, alerts: [], outcome: 'duplicate' };

  const windowMs = rules.windowSeconds * 1000;
  const swipeMs = Date.parse(swipe.at);
  const watermarkMs = Math.max(swipeMs, ...window.swipes.map((kept) => Date.parse(kept.at)));
  if (watermarkMs - swipeMs > windowMs) return { window, alerts: [], outcome: 'late' };

  const inWindow = window.swipes.filter((kept) => watermarkMs - Date.parse(kept.at) <= windowMs);
  const insertAt = inWindow.findIndex((kept) => Date.parse(kept.at) > swipeMs);
  const { eventId, at, amount, country } = swipe;
  const newSwipe: WindowedSwipe = { eventId, at, amount, country };
  const swipes = insertAt === -1 ? [...inWindow, newSwipe] : [...inWindow.slice(0, insertAt), newSwipe, ...inWindow.slice(insertAt)];
  const retained = swipes.slice(-(rules.maxRetainedSwipes ?? DEFAULT_MAX_RETAINED_SWIPES));

  const alerts = breachedReasons(retained, rules)
    .filter((reason) => {
      const lastAlert = window.alerts[reason];
      return lastAlert === undefined || swipeMs - Date.parse(lastAlert) >= windowMs;
    })
    .map((reason): FraudAlert => ({
      reason,
      cardId: swipe.cardId,
      accountId: swipe.accountId,
      windowSeconds: rules.windowSeconds,
      swipeIds: retained.map((kept) => kept.eventId),
      detectedAt: swipe.at,
      triggeredBy: swipe.eventId,
    }));

  const alertTimes = { ...window.alerts };
  for (const alert of alerts) alertTimes[alert.reason] = alert.detectedAt;
  return { window: { cardId: window.cardId, swipes: retained, alerts: alertTimes }, alerts, outcome: 'counted' };
}

/**
 * The window without swipes (and alert times) later than `latestMs` or unreadable: such a swipe
 * would hold the watermark in the future, so every real swipe would look `late` for good.
 *
 * @example
 * forgetFutureSwipes(windowWithA9999Swipe, Date.now() + 300_000).swipes // the 9999 swipe is gone
 */
export function forgetFutureSwipes(window: CardWindow, latestMs: number): CardWindow {
  const inBounds = (at: string) => Date.parse(at) <= latestMs;
  const swipes = window.swipes.filter((kept) => inBounds(kept.at));
  const alertEntries = Object.entries(window.alerts).filter(([, at]) => at !== undefined && inBounds(at));
  if (swipes.length === window.swipes.length && alertEntries.length === Object.keys(window.alerts).length) return window;
  return { cardId: window.cardId, swipes, alerts: Object.fromEntries(alertEntries) };
}

/** The reasons whose thresholds the swipes in the window exceed. */
function breachedReasons(swipes: readonly WindowedSwipe[], rules: FraudRules): FraudReason[] {
  const reasons: FraudReason[] = [];
  if (swipes.length > rules.maxSwipes) reasons.push('velocity');
  if (new Set(swipes.map((kept) => kept.country)).size > rules.maxCountries) reasons.push('geography');
  return reasons;
}

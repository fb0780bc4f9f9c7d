import type { SwipeObservation } from '../../lambdas/domain/cards';

const BASE_TIME_MS = Date.parse('2025-01-01T12:00:00.000Z');

/**
 * A swipe of `card-1` at `secondsAfter` seconds past a fixed base time; its id defaults to one
 * derived from that time so tests can name swipes by when they happened.
 */
export function swipeAt(secondsAfter: number, overrides: Partial<SwipeObservation> = {}): SwipeObservation {
  return {
    eventId: `swipe-${secondsAfter}`,
    cardId: 'card-1',
    accountId: 'acc-1',
    at: new Date(BASE_TIME_MS + secondsAfter * 1000).toISOString(),
    amount: 1250,
    country: 'DE',
    ...overrides,
  };
}

/** Valid data of a `sluice.card.swiped.v1` event. */
export function swipedData(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    cardId: 'card-1',
    accountId: 'acc-1',
    amount: 1250,
    merchant: 'Corner Café',
    country: 'DE',
    at: '2025-01-01T12:00:00.000Z',
    ...overrides,
  };
}

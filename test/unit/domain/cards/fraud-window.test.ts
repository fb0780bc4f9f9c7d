import {
  CardWindowMismatchError,
  emptyCardWindow,
  observeSwipe,
  type CardWindow,
  type FraudAlert,
  type FraudRules,
  type SwipeObservation,
} from '../../../../lambdas/domain/cards';
import { swipeAt } from '../../../helpers/card-swipes';

const rules: FraudRules = { windowSeconds: 300, maxSwipes: 3, maxCountries: 1 };

/** Feeds swipes in order and collects every alert raised. */
function observeAll(swipes: SwipeObservation[], rulesToUse: FraudRules = rules, start: CardWindow = emptyCardWindow('card-1')) {
  let window = start;
  const alerts: FraudAlert[] = [];
  for (const swipe of swipes) {
    const result = observeSwipe(window, swipe, rulesToUse);
    window = result.window;
    alerts.push(...result.alerts);
  }
  return { window, alerts };
}

describe('observeSwipe', () => {
  describe('velocity', () => {
    it('stays quiet while the swipes in the window do not exceed maxSwipes', () => {
      const { alerts } = observeAll([swipeAt(0), swipeAt(10), swipeAt(20)]);
      expect(alerts).toEqual([]);
    });

    it('raises velocity on the swipe that exceeds maxSwipes, listing the swipes in the window', () => {
      const { alerts } = observeAll([swipeAt(0), swipeAt(10), swipeAt(20), swipeAt(30)]);
      expect(alerts).toEqual([
        {
          reason: 'velocity',
          cardId: 'card-1',
          accountId: 'acc-1',
          windowSeconds: 300,
          swipeIds: ['swipe-0', 'swipe-10', 'swipe-20', 'swipe-30'],
          detectedAt: swipeAt(30).at,
          triggeredBy: 'swipe-30',
        },
      ]);
    });

    it('does not count swipes that slid out of the window', () => {
      const { alerts, window } = observeAll([swipeAt(0), swipeAt(10), swipeAt(200), swipeAt(320)]);
      expect(alerts).toEqual([]);
      expect(window.swipes.map((swipe) => swipe.eventId)).toEqual(['swipe-200', 'swipe-320']);
    });

    it('keeps a swipe exactly windowSeconds old inside the window', () => {
      const { window } = observeAll([swipeAt(0), swipeAt(300)]);
      expect(window.swipes.map((swipe) => swipe.eventId)).toEqual(['swipe-0', 'swipe-300']);
    });
  });

  describe('geography', () => {
    it('raises geography when the window holds more distinct countries than maxCountries', () => {
      const { alerts } = observeAll([swipeAt(0, { country: 'DE' }), swipeAt(60, { country: 'BR' })]);
      expect(alerts).toEqual([expect.objectContaining({ reason: 'geography', swipeIds: ['swipe-0', 'swipe-60'], triggeredBy: 'swipe-60' })]);
    });

    it('stays quiet for another country once the first one left the window', () => {
      const { alerts } = observeAll([swipeAt(0, { country: 'DE' }), swipeAt(301, { country: 'BR' })]);
      expect(alerts).toEqual([]);
    });

    it('raises both reasons at once when one swipe breaches both thresholds', () => {
      const swipes = [swipeAt(0), swipeAt(1), swipeAt(2), swipeAt(3, { country: 'FR' })];
      const { alerts } = observeAll(swipes);
      expect(alerts.map((alert) => alert.reason).sort()).toEqual(['geography', 'velocity']);
    });
  });

  describe('duplicates and late swipes', () => {
    it('ignores a redelivered swipe, so a retried batch neither counts it twice nor re-alerts', () => {
      const first = observeAll([swipeAt(0), swipeAt(10), swipeAt(20)]);
      const redelivered = observeSwipe(first.window, swipeAt(10), rules);

      expect(redelivered.outcome).toBe('duplicate');
      expect(redelivered.window).toBe(first.window);
      expect(redelivered.alerts).toEqual([]);
    });

    it('ignores a swipe older than the window as late', () => {
      const { window } = observeAll([swipeAt(1000)]);
      const late = observeSwipe(window, swipeAt(600), rules);

      expect(late.outcome).toBe('late');
      expect(late.window).toBe(window);
    });

    it('slots an out-of-order swipe inside the window in event-time order', () => {
      const { window } = observeAll([swipeAt(0), swipeAt(100), swipeAt(50)]);
      expect(window.swipes.map((swipe) => swipe.eventId)).toEqual(['swipe-0', 'swipe-50', 'swipe-100']);
    });
  });

  describe('alert throttling', () => {
    it('does not re-alert a reason within windowSeconds of its last alert', () => {
      const { alerts } = observeAll([swipeAt(0), swipeAt(10), swipeAt(20), swipeAt(30), swipeAt(40), swipeAt(50)]);
      expect(alerts.map((alert) => alert.triggeredBy)).toEqual(['swipe-30']);
    });

    it('alerts the same reason again once windowSeconds have passed since the last alert', () => {
      const burst = (start: number) => [0, 10, 20, 30].map((offset) => swipeAt(start + offset));
      const { alerts, window } = observeAll([...burst(0), ...burst(330)]);

      expect(alerts.map((alert) => alert.triggeredBy)).toEqual(['swipe-30', 'swipe-360']);
      expect(window.alerts.velocity).toBe(swipeAt(360).at);
    });

    it('throttles each reason independently', () => {
      const swipes = [swipeAt(0), swipeAt(1, { country: 'FR' }), swipeAt(2), swipeAt(3)];
      const { alerts } = observeAll(swipes);
      expect(alerts.map((alert) => `${alert.reason}@${alert.triggeredBy}`)).toEqual(['geography@swipe-1', 'velocity@swipe-3']);
    });
  });

  it('keeps at most maxRetainedSwipes, dropping the oldest', () => {
    const { window } = observeAll([swipeAt(0), swipeAt(1), swipeAt(2)], { ...rules, maxSwipes: 10, maxRetainedSwipes: 2 });
    expect(window.swipes.map((swipe) => swipe.eventId)).toEqual(['swipe-1', 'swipe-2']);
  });

  it('does not change the window it was given', () => {
    const start = observeAll([swipeAt(0)]).window;
    const snapshot = structuredClone(start);
    observeSwipe(start, swipeAt(5, { country: 'FR' }), rules);
    expect(start).toEqual(snapshot);
  });

  it('refuses a swipe of another card', () => {
    expect(() => observeSwipe(emptyCardWindow('card-1'), swipeAt(0, { cardId: 'card-2' }), rules)).toThrow(CardWindowMismatchError);
  });
});

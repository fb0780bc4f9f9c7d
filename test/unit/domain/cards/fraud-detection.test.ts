import { detectFraud, FraudWindowConflictError, fraudSuspectedEvent, type FraudDetectionDeps } from '../../../../lambdas/domain/cards';
import { sluiceCatalog } from '../../../../lambdas/domain/catalog';
import { createEnvelope, parseEnvelope, type EventEnvelope } from '../../../../lambdas/shared/envelope';
import { swipedData } from '../../../helpers/card-swipes';
import { CollectingAlertSink, InMemoryFraudWindowStore } from '../../../helpers/in-memory-fraud-windows';

const BASE_MS = Date.parse('2025-01-01T12:00:00.000Z');

/** A swipe envelope of card-1 at `seconds` past the base time, with a stable id per second. */
function swipeEnvelope(seconds: number, data: Record<string, unknown> = {}): EventEnvelope {
  const at = new Date(BASE_MS + seconds * 1000).toISOString();
  const id = `01JGQ00000000000000000${String(seconds).padStart(4, '0')}`;
  return createEnvelope({ id, type: 'sluice.card.swiped.v1', source: 'pos', subject: 'card-1', data: swipedData({ at, ...data }), partitionkey: 'card-1' });
}

function setup() {
  const windows = new InMemoryFraudWindowStore();
  const alerts = new CollectingAlertSink();
  const deps: FraudDetectionDeps = { windows, alerts, rules: { windowSeconds: 300, maxSwipes: 2, maxCountries: 1 }, clock: () => new Date(BASE_MS + 3_600_000) };
  return { deps, windows, alerts };
}

describe('detectFraud', () => {
  it('saves the window with a bumped revision and a TTL two windows after the newest swipe', async () => {
    const { deps, windows } = setup();

    await detectFraud(deps, swipeEnvelope(0));
    await detectFraud(deps, swipeEnvelope(10));

    const item = windows.items.get('card-1');
    expect(item?.revision).toBe(2);
    expect(item?.window.swipes.map((swipe) => swipe.eventId)).toEqual([swipeEnvelope(0).id, swipeEnvelope(10).id]);
    expect(item?.expiresAt).toBe((BASE_MS + 10_000 + 600_000) / 1000);
  });

  it('publishes a catalogued fraud-suspected event from the fraud detector, partitioned by card', async () => {
    const { deps, alerts } = setup();

    for (const seconds of [0, 10, 20]) await detectFraud(deps, swipeEnvelope(seconds));

    expect(alerts.published).toHaveLength(1);
    const [alert] = alerts.published;
    expect(sluiceCatalog.parse(parseEnvelope(JSON.parse(JSON.stringify(alert))))).toEqual(alert);
    expect(alert).toMatchObject({
      type: 'sluice.card.fraud-suspected.v1',
      source: 'sluice/fraud-detector',
      subject: 'card-1',
      partitionkey: 'card-1',
      time: new Date(BASE_MS + 20_000).toISOString(),
      data: { reason: 'velocity', windowSeconds: 300, accountId: 'acc-1', swipeIds: [0, 10, 20].map((s) => swipeEnvelope(s).id) },
    });
  });

  it('publishes before saving, so a failed publish leaves the window as it was', async () => {
    const { deps, windows, alerts } = setup();
    await detectFraud(deps, swipeEnvelope(0));
    await detectFraud(deps, swipeEnvelope(10));
    alerts.failWith = new Error('stream unavailable');

    await expect(detectFraud(deps, swipeEnvelope(20))).rejects.toThrow('stream unavailable');
    expect(windows.items.get('card-1')?.revision).toBe(2);
  });

  it('raises the same alert with the same id when a swipe is retried after a failed save', async () => {
    const { deps, windows, alerts } = setup();
    await detectFraud(deps, swipeEnvelope(0));
    await detectFraud(deps, swipeEnvelope(10));
    windows.beforeSave = () => {
      throw new Error('connection reset');
    };

    await expect(detectFraud(deps, swipeEnvelope(20))).rejects.toThrow('connection reset');
    await detectFraud(deps, swipeEnvelope(20));

    expect(alerts.published.map((alert) => alert.id)).toEqual([alerts.published[0].id, alerts.published[0].id]);
  });

  it('fails with FraudWindowConflictError when another writer saved the window meanwhile', async () => {
    const { deps, windows } = setup();
    windows.beforeSave = (cardId) => windows.items.set(cardId, { window: { cardId, swipes: [], alerts: {} }, revision: 1, expiresAt: 0 });

    await expect(detectFraud(deps, swipeEnvelope(0))).rejects.toThrow(FraudWindowConflictError);
  });

  it('neither publishes nor saves for a redelivered swipe', async () => {
    const { deps, windows } = setup();
    await detectFraud(deps, swipeEnvelope(0));

    const outcome = await detectFraud(deps, swipeEnvelope(0));

    expect(outcome.outcome).toBe('duplicate');
    expect(windows.items.get('card-1')?.revision).toBe(1);
  });
});

describe('fraudSuspectedEvent', () => {
  const alert = {
    reason: 'geography' as const,
    cardId: 'card-1',
    accountId: 'acc-1',
    windowSeconds: 300,
    swipeIds: ['a', 'b'],
    detectedAt: '2025-01-01T12:00:00.000Z',
    triggeredBy: 'b',
  };

  it('derives its id from the reason and the triggering swipe', () => {
    expect(fraudSuspectedEvent(alert).id).toBe(fraudSuspectedEvent({ ...alert }).id);
    expect(fraudSuspectedEvent({ ...alert, reason: 'velocity' }).id).not.toBe(fraudSuspectedEvent(alert).id);
    expect(fraudSuspectedEvent({ ...alert, triggeredBy: 'c' }).id).not.toBe(fraudSuspectedEvent(alert).id);
  });
});

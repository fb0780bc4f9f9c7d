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

describe('detectFraud and event times outside the input bounds', () => {
  const NOW_MS = BASE_MS + 3_600_000;
  const at = (seconds: number) => new Date(NOW_MS + seconds * 1000).toISOString();
  const swipeAtTime = (n: number, time: string) =>
    createEnvelope({
      id: `01JGQ0000000000000000${String(n).padStart(5, '0')}`,
      type: 'sluice.card.swiped.v1',
      source: 'pos',
      subject: 'card-1',
      data: swipedData({ at: time }),
      partitionkey: 'card-1',
    });

  function boundedSetup() {
    const windows = new InMemoryFraudWindowStore();
    const alerts = new CollectingAlertSink();
    const deps: FraudDetectionDeps = { windows, alerts, rules: { windowSeconds: 60, maxSwipes: 5, maxCountries: 1 }, clock: () => new Date(NOW_MS) };
    return { deps, windows, alerts };
  }

  it('ignores a swipe dated 9999-12-31, so 8 swipes in the next minute still raise the alert', async () => {
    const { deps, windows, alerts } = boundedSetup();

    const far = await detectFraud(deps, swipeAtTime(0, '9999-12-31T23:59:59.000Z'));
    for (let n = 1; n <= 8; n++) await detectFraud(deps, swipeAtTime(n, at(n * 5)));

    expect(far.outcome).toBe('out_of_bounds');
    expect(alerts.published.map((alert) => alert.data.reason)).toEqual(['velocity']);
    expect(windows.items.get('card-1')!.expiresAt).toBeLessThan(NOW_MS / 1000 + 3600);
  });

  it.each([['1969-12-31T23:59:59.000Z'], ['0001-01-01T00:00:00.000Z'], ['2024-01-01T00:00:00.000Z']])(
    'ignores the swipe at %s without throwing and saves nothing',
    async (time) => {
      const { deps, windows } = boundedSetup();

      await expect(detectFraud(deps, swipeAtTime(1, time))).resolves.toMatchObject({ outcome: 'out_of_bounds', alerts: [] });
      expect(windows.items.size).toBe(0);
    },
  );

  it('forgets a future swipe stored before the bound existed, so detection resumes', async () => {
    const { deps, windows, alerts } = boundedSetup();
    const poisoned = {
      cardId: 'card-1',
      swipes: [{ eventId: 'old', at: '9999-12-31T00:00:00.000Z', amount: 1, country: 'DE' }],
      alerts: { velocity: '9999-12-31T00:00:00.000Z' },
    };
    await windows.save(poisoned, 0, 253402214400);

    for (let n = 1; n <= 6; n++) await detectFraud(deps, swipeAtTime(n, at(n)));

    expect(alerts.published).toHaveLength(1);
    expect(windows.items.get('card-1')!.window.swipes.map((swipe) => swipe.eventId)).not.toContain('old');
  });
});

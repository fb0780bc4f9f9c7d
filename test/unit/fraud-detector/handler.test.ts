import { createFraudDetector, rulesFromEnv } from '../../../lambdas/fraud-detector/handler';
import { createEnvelope } from '../../../lambdas/shared/envelope';
import { ConfigurationError } from '../../../lambdas/shared/errors';
import { logger } from '../../../lambdas/shared/observability';
import { accountEnvelope } from '../../helpers/account-envelopes';
import { history } from '../../helpers/account-events';
import { swipedData } from '../../helpers/card-swipes';
import { CollectingAlertSink, InMemoryFraudWindowStore } from '../../helpers/in-memory-fraud-windows';
import { failedSequenceNumbers, kinesisEvent, kinesisRecordFor } from '../../helpers/kinesis-records';

beforeAll(() => logger.setLogLevel('SILENT'));

function swipeRecord(cardId: string, seconds: number, country = 'DE') {
  const at = new Date(Date.parse('2025-01-01T12:00:00.000Z') + seconds * 1000).toISOString();
  return kinesisRecordFor(
    createEnvelope({ type: 'sluice.card.swiped.v1', source: 'pos', subject: cardId, data: swipedData({ cardId, at, country }), partitionkey: cardId }),
  );
}

function setup() {
  const windows = new InMemoryFraudWindowStore();
  const alerts = new CollectingAlertSink();
  const detect = createFraudDetector({
    windows,
    alerts,
    rules: { windowSeconds: 300, maxSwipes: 5, maxCountries: 1 },
    clock: () => new Date('2025-01-01T13:00:00.000Z'),
  });
  return { detect, windows, alerts };
}

describe('fraud detector', () => {
  it('keeps a window per card and alerts on the card that crossed a threshold', async () => {
    const { detect, alerts } = setup();

    const response = await detect(kinesisEvent(swipeRecord('card-1', 0, 'DE'), swipeRecord('card-2', 5, 'DE'), swipeRecord('card-1', 60, 'BR')));

    expect(response.batchItemFailures).toEqual([]);
    expect(alerts.published.map((alert) => `${alert.data.cardId}:${alert.data.reason}`)).toEqual(['card-1:geography']);
  });

  it('skips events that are not card swipes', async () => {
    const { detect, windows } = setup();
    const response = await detect(kinesisEvent(kinesisRecordFor(accountEnvelope(history().opened().events[0]))));
    expect(response.batchItemFailures).toEqual([]);
    expect(windows.items.size).toBe(0);
  });

  it('reports the first swipe of the card whose alert could not be published, and keeps the other cards', async () => {
    const { detect, alerts, windows } = setup();
    alerts.failWith = new Error('stream unavailable');
    const records = [swipeRecord('card-1', 0, 'DE'), swipeRecord('card-1', 10, 'FR'), swipeRecord('card-2', 20)];

    const response = await detect(kinesisEvent(...records));

    expect(failedSequenceNumbers(response)).toEqual([records[0].kinesis.sequenceNumber]);
    expect(windows.items.has('card-1')).toBe(false);
    expect(windows.items.get('card-2')?.window.swipes).toHaveLength(1);
  });

  it('reads and writes each card window once per batch, and a redelivery from the reported record changes nothing', async () => {
    const { detect, windows, alerts } = setup();
    const records = [0, 1, 2, 3, 4, 5].map((i) => swipeRecord(i % 2 ? 'card-2' : 'card-1', i * 10));
    let conflicts = 1;
    windows.beforeSave = () => {
      if (conflicts-- > 0) windows.items.set('card-2', { window: { cardId: 'card-2', swipes: [], alerts: {} }, revision: 7, expiresAt: 0 });
    };

    const first = await detect(kinesisEvent(...records));
    const fromReported = records.findIndex((record) => record.kinesis.sequenceNumber === failedSequenceNumbers(first)[0]);
    windows.items.delete('card-2');
    const second = await detect(kinesisEvent(...records.slice(fromReported)));

    expect(first.batchItemFailures).toHaveLength(1);
    expect(second.batchItemFailures).toEqual([]);
    expect([...windows.items].map(([cardId, item]) => [cardId, item.revision, item.window.swipes.length]).sort()).toEqual([
      ['card-1', 1, 3],
      ['card-2', 1, 3],
    ]);
    expect(alerts.published).toEqual([]);
  });
});

describe('rulesFromEnv', () => {
  it('defaults to a 300 s window, 5 swipes and 1 country', () => {
    expect(rulesFromEnv({})).toEqual({ windowSeconds: 300, maxSwipes: 5, maxCountries: 1 });
  });

  it('reads the thresholds from the environment', () => {
    expect(rulesFromEnv({ FRAUD_WINDOW_SECONDS: '60', FRAUD_MAX_SWIPES: '3', FRAUD_MAX_COUNTRIES: '2' })).toEqual({
      windowSeconds: 60,
      maxSwipes: 3,
      maxCountries: 2,
    });
  });

  it('refuses a threshold that is not a positive integer', () => {
    expect(() => rulesFromEnv({ FRAUD_MAX_SWIPES: 'many' })).toThrow(ConfigurationError);
  });
});

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { CARD_EVENT_TYPES, cardSwipedV1Schema, detectFraudInBatch, type FraudDetectionDeps, type FraudRules } from '../domain/cards';
import { sluiceCatalog } from '../domain/catalog';
import { acceptTypes, createKinesisGroupedHandler, type DeadLetterPort } from '../shared/batch';
import { getDynamoDbClient, getKinesisClient } from '../shared/clients';
import type { EventEnvelope } from '../shared/envelope';
import { intEnv, requireEnv } from '../shared/config';
import { KinesisPublisher, publishAll, SdkPutRecordsAdapter } from '../shared/kinesis';
import { eventTimeBoundsFromEnv } from '../shared/input-rules';
import { logger, metrics, withObservability } from '../shared/observability';
import { correlationKeys } from '../shared/trace-context';
import { deadLetterQueueFromEnv } from '../shared/sqs';
import { DynamoDbFraudWindowStore } from './dynamodb-fraud-window-store';
import { FRAUD_DETECTOR_ENV } from './environment';

/** The thresholds from the environment, with the documented defaults. */
export function rulesFromEnv(env: NodeJS.ProcessEnv = process.env): FraudRules {
  return {
    windowSeconds: intEnv(FRAUD_DETECTOR_ENV.windowSeconds, 300, env),
    maxSwipes: intEnv(FRAUD_DETECTOR_ENV.maxSwipes, 5, env),
    maxCountries: intEnv(FRAUD_DETECTOR_ENV.maxCountries, 1, env),
  };
}

/** What the fraud detector needs: the detection ports and its DLQ for poison records. */
export interface FraudDetectorDeps extends FraudDetectionDeps {
  readonly deadLetters?: DeadLetterPort;
}

let deps: FraudDetectorDeps | undefined;

/** Dependencies built once per container, from the environment. */
function defaultDeps(): FraudDetectorDeps {
  if (deps) return deps;
  const publisher = new KinesisPublisher(new SdkPutRecordsAdapter(getKinesisClient(), requireEnv(FRAUD_DETECTOR_ENV.eventsStreamName)));
  deps = {
    windows: new DynamoDbFraudWindowStore(getDynamoDbClient(), requireEnv(FRAUD_DETECTOR_ENV.fraudWindowsTableName)),
    alerts: { publish: (alerts) => publishAll(publisher, alerts) },
    rules: rulesFromEnv(),
    clock: () => new Date(),
    eventTimeBounds: eventTimeBoundsFromEnv(),
    deadLetters: deadLetterQueueFromEnv(),
  };
  return deps;
}

/** Cards of one batch handled at once. */
export const FRAUD_DETECTOR_CONCURRENCY = 16;

/**
 * The fraud detector: stateful stream processing over card swipes.
 *
 * A batch is grouped by card (a card's swipes share a shard, so they arrive in order); each
 * card's swipes are folded into its sliding window with one window read and at most one window
 * write per batch, cards in parallel ({@link FRAUD_DETECTOR_CONCURRENCY}). Alerts go back onto the
 * events stream as `sluice.card.fraud-suspected.v1`. A card whose window cannot be saved reports
 * its first swipe; the records after the lowest reported one come again, and the swipes already
 * in their windows are duplicates there. Other event types are acknowledged and skipped.
 *
 * @example
 * await createFraudDetector({ windows: fakeWindows, alerts: fakeSink, rules })(kinesisEvent)
 */
export function createFraudDetector(detectionDeps: FraudDetectorDeps): (event: KinesisStreamEvent, context?: Context) => Promise<KinesisStreamBatchResponse> {
  return createKinesisGroupedHandler<EventEnvelope>({
    catalog: sluiceCatalog,
    accepts: acceptTypes(CARD_EVENT_TYPES.swiped),
    logger,
    metrics,
    ...(detectionDeps.deadLetters ? { deadLetters: { consumer: 'fraud-detector', queue: detectionDeps.deadLetters } } : {}),
    concurrency: FRAUD_DETECTOR_CONCURRENCY,
    prepare: (swipe) => swipe,
    groupOf: (swipe) => cardSwipedV1Schema.parse(swipe.data).cardId,
    handleGroup: async (cardId, swipes) => {
      try {
        const { outcomes, alerts } = await detectFraudInBatch(detectionDeps, cardId, swipes);
        outcomes.forEach((outcome, i) => {
          if (outcome !== 'counted')
            logger.info(`swipe ignored as ${outcome}`, { ...correlationKeys(swipes[i]!.traceparent, swipes[i]!.id), subject: swipes[i]!.subject });
        });
        if (alerts.length > 0) {
          metrics.addMetric('FraudAlerts', MetricUnit.Count, alerts.length);
          const trace = new Map(swipes.map((swipe) => [swipe.id, swipe.traceparent]));
          logger.info('fraud suspected', {
            cardId,
            alerts: alerts.map(({ reason, triggeredBy }) => ({ reason, triggeredBy, traceparent: trace.get(triggeredBy) })),
          });
        }
        return { settled: swipes.length };
      } catch (failure) {
        return { settled: 0, failure };
      }
    },
  });
}

/** Lambda entry point. */
export const handler = withObservability((event: KinesisStreamEvent, context) => createFraudDetector(defaultDeps())(event, context));

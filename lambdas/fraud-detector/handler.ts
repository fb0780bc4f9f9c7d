import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { CARD_EVENT_TYPES, detectFraud, type FraudDetectionDeps, type FraudRules } from '../domain/cards';
import { sluiceCatalog } from '../domain/catalog';
import { acceptTypes, createKinesisEventHandler, type DeadLetterPort } from '../shared/batch';
import { getDocumentClient, getKinesisClient } from '../shared/clients';
import { intEnv, requireEnv } from '../shared/config';
import { KinesisPublisher, publishAll, SdkPutRecordsAdapter } from '../shared/kinesis';
import { eventTimeBoundsFromEnv } from '../shared/input-rules';
import { logger, metrics, withObservability } from '../shared/observability';
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
    windows: new DynamoDbFraudWindowStore(getDocumentClient(), requireEnv(FRAUD_DETECTOR_ENV.fraudWindowsTableName)),
    alerts: { publish: (alerts) => publishAll(publisher, alerts) },
    rules: rulesFromEnv(),
    clock: () => new Date(),
    eventTimeBounds: eventTimeBoundsFromEnv(),
    deadLetters: deadLetterQueueFromEnv(),
  };
  return deps;
}

/**
 * The fraud detector: stateful stream processing over card swipes.
 *
 * Swipes are handled one at a time in stream order (a card's swipes share a shard, so they
 * arrive in order), each folded into its card's sliding window; alerts go back onto the events
 * stream as `sluice.card.fraud-suspected.v1`. Other event types are acknowledged and skipped.
 *
 * @example
 * await createFraudDetector({ windows: fakeWindows, alerts: fakeSink, rules })(kinesisEvent)
 */
export function createFraudDetector(detectionDeps: FraudDetectorDeps): (event: KinesisStreamEvent, context?: Context) => Promise<KinesisStreamBatchResponse> {
  return createKinesisEventHandler({
    catalog: sluiceCatalog,
    accepts: acceptTypes(CARD_EVENT_TYPES.swiped),
    logger,
    metrics,
    ...(detectionDeps.deadLetters ? { deadLetters: { consumer: 'fraud-detector', queue: detectionDeps.deadLetters } } : {}),
    handle: async (swipe) => {
      const { outcome, alerts } = await detectFraud(detectionDeps, swipe);
      if (outcome !== 'counted') logger.info(`swipe ignored as ${outcome}`, { eventId: swipe.id, subject: swipe.subject });
      if (alerts.length > 0) {
        metrics.addMetric('FraudAlerts', MetricUnit.Count, alerts.length);
        logger.info('fraud suspected', { eventId: swipe.id, alerts: alerts.map(({ reason, cardId }) => ({ reason, cardId })) });
      }
    },
  });
}

/** Lambda entry point. */
export const handler = withObservability((event: KinesisStreamEvent, context) => createFraudDetector(defaultDeps())(event, context));

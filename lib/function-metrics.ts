import { BATCH_METRICS } from '../lambdas/shared/metric-catalog';

/**
 * The custom metrics each function emits (besides Powertools' `ColdStart`, which all emit), by its
 * folder under lambdas/. The dashboard graphs every one and the alarms pick from them.
 * test/infra/observability.test.ts checks this list against the `addMetric` calls under lambdas/
 * both ways: a metric a function emits but this list lacks, or one listed but never emitted, fails it.
 */
export const FUNCTION_METRICS: Readonly<Record<string, readonly string[]>> = {
  /** Events put on the stream, and events the stream still refused after retries (the caller gets them in `failed`). */
  ingest: ['EventsAccepted', 'EventsNotPublished'],
  projector: BATCH_METRICS,
  notifier: BATCH_METRICS,
  'state-transfer': BATCH_METRICS,
  'fraud-detector': [...BATCH_METRICS, 'FraudAlerts'],
  'notification-worker': ['NotificationsFailed'],
};

import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { SHARED_ENV } from './environment';
import { METRICS_NAMESPACE, STAGE_DIMENSION, STAGE_UNSET } from './metric-catalog';
import { traced } from './tracing';

const serviceName = process.env[SHARED_ENV.powertoolsServiceName] ?? 'sluice';

/** The function's structured JSON logger (service from `POWERTOOLS_SERVICE_NAME`). */
export const logger = new Logger({ serviceName });

/**
 * The function's CloudWatch EMF metrics (namespace from `POWERTOOLS_METRICS_NAMESPACE`, default
 * `sluice`). Every metric carries the `stage` dimension (from `SLUICE_STAGE`) besides Powertools'
 * `service`, so two stages in one account never add up into one line.
 */
export const metrics = new Metrics({
  serviceName,
  namespace: process.env[SHARED_ENV.powertoolsMetricsNamespace] ?? METRICS_NAMESPACE,
  defaultDimensions: { [STAGE_DIMENSION]: process.env[SHARED_ENV.stage] || STAGE_UNSET },
});

/**
 * Wraps a Lambda handler with what every sluice function does around an invocation: Lambda
 * context in every log line, a cold-start metric, and metrics flushed even when the handler throws.
 *
 * (Powertools' middy middleware does the same; sluice ships no middy, so this is the plain-function form.)
 *
 * @example
 * export const handler = withObservability((event: KinesisStreamEvent) => project(event, deps()));
 */
export function withObservability<TEvent, TResult>(
  fn: (event: TEvent, context: Context) => Promise<TResult>,
): (event: TEvent, context: Context) => Promise<TResult> {
  return async (event, context) => {
    logger.addContext(context);
    metrics.captureColdStartMetric(context.functionName);
    try {
      return await traced(context.functionName, () => fn(event, context));
    } finally {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      logger.resetKeys();
    }
  };
}

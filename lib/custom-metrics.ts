import type { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { COLD_START_METRIC, METRICS_NAMESPACE, STAGE_DIMENSION, metricDimensions, serviceName } from '../lambdas/shared/metric-catalog';

export interface CustomMetricOptions {
  /** @default 'Sum' */
  readonly statistic?: string;
  /** @default Duration.minutes(5) */
  readonly period?: Duration;
  readonly label?: string;
}

/** A metric the function in lambdas/<folder> emits, with exactly the dimensions it puts on it. */
export function customMetric(folder: string, metricName: string, stage: string, options: CustomMetricOptions = {}): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: metricDimensions(serviceName(folder), stage),
    statistic: 'Sum',
    ...options,
  });
}

/** The cold starts of the function in lambdas/<folder> (Powertools adds the deployed function's name). */
export function coldStartMetric(folder: string, fn: lambda.IFunction, stage: string, options: CustomMetricOptions = {}): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: COLD_START_METRIC,
    dimensionsMap: metricDimensions(serviceName(folder), stage, fn.functionName),
    statistic: 'Sum',
    ...options,
  });
}

/** Name of the access-log metric that counts the API's 429 answers. */
export const API_THROTTLED_METRIC = 'ApiThrottled';

/**
 * Counts the API's 429 (throttled) answers from its JSON access log, by stage. API Gateway publishes
 * no metric for them alone (they are part of 4XXError). The log lines must carry `status` and `stage`.
 */
export function apiThrottledMetric(scope: Construct, accessLogs: logs.ILogGroup, stage: string): cloudwatch.Metric {
  new logs.MetricFilter(scope, 'ApiThrottledFilter', {
    logGroup: accessLogs,
    metricNamespace: METRICS_NAMESPACE,
    metricName: API_THROTTLED_METRIC,
    filterPattern: logs.FilterPattern.all(
      logs.FilterPattern.stringValue('$.status', '=', '429'),
      logs.FilterPattern.stringValue(`$.${STAGE_DIMENSION}`, '=', stage),
    ),
    metricValue: '1',
    dimensions: { [STAGE_DIMENSION]: `$.${STAGE_DIMENSION}` },
    unit: cloudwatch.Unit.COUNT,
  });
  return new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName: API_THROTTLED_METRIC, dimensionsMap: { [STAGE_DIMENSION]: stage }, statistic: 'Sum' });
}

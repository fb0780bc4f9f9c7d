import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { coldStartMetric, customMetric } from './custom-metrics';
import { FUNCTION_METRICS } from './function-metrics';
import type { ObservabilityProps } from './observability';

export interface ObservabilityDashboardProps extends Pick<
  ObservabilityProps,
  'stage' | 'functions' | 'streamConsumers' | 'deadLetterQueues' | 'workQueues' | 'api' | 'stream'
> {
  /** Shown as one status board on top. */
  readonly alarms: readonly cloudwatch.IAlarm[];
  /** The API's 4xx, 429 and 5xx rates in percent, as the alarms compute them. */
  readonly apiRates: readonly cloudwatch.IMetric[];
}

/**
 * The stage's dashboard, `sluice-<stage>`: the alarms' states, then the API, the stream and its
 * consumers, the functions, the queues, and every custom metric the functions emit (one graph per
 * metric, a line per function that emits it), each with the stage dimension.
 */
export function observabilityDashboard(scope: Construct, id: string, props: ObservabilityDashboardProps): cloudwatch.Dashboard {
  const functions = Object.entries(props.functions);
  const graph = (title: string, left: cloudwatch.IMetric[], width = 8) => new cloudwatch.GraphWidget({ title, width, left });
  const api = props.api;

  const customMetricNames = [...new Set(Object.values(FUNCTION_METRICS).flat())];
  const customGraphs = customMetricNames.map((metricName) =>
    graph(
      metricName,
      Object.entries(FUNCTION_METRICS)
        .filter(([, names]) => names.includes(metricName))
        .map(([folder]) => customMetric(folder, metricName, props.stage, { label: folder })),
    ),
  );

  return new cloudwatch.Dashboard(scope, id, {
    dashboardName: `sluice-${props.stage}`,
    defaultInterval: Duration.hours(3),
    widgets: [
      [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', width: 24, alarms: [...props.alarms] })],
      [
        graph('API requests and errors', [api.metricCount(), api.metricClientError(), api.metricServerError()]),
        graph('API 4xx, 429 and 5xx rates (%)', [...props.apiRates]),
        graph('API latency', [api.metricLatency({ statistic: 'p50' }), api.metricLatency({ statistic: 'p99' })]),
      ],
      [
        graph('Stream incoming records', [props.stream.metricIncomingRecords()], 12),
        graph(
          'Consumer iterator age (ms)',
          Object.entries(props.streamConsumers).map(([name, fn]) => fn.metric('IteratorAge', { statistic: 'Maximum', label: name })),
          12,
        ),
      ],
      [
        graph(
          'Function errors',
          functions.map(([name, fn]) => fn.metricErrors({ label: name })),
        ),
        graph(
          'Function throttles',
          functions.map(([name, fn]) => fn.metricThrottles({ label: name })),
        ),
        graph(
          'Function duration p99 (ms)',
          functions.map(([name, fn]) => fn.metricDuration({ statistic: 'p99', label: name })),
        ),
      ],
      [
        graph(
          'DLQ depth',
          Object.entries(props.deadLetterQueues).map(([name, q]) => q.metricApproximateNumberOfMessagesVisible({ label: name, statistic: 'Maximum' })),
          12,
        ),
        graph(
          'Oldest message age (s)',
          Object.entries(props.workQueues).map(([name, { queue }]) => queue.metricApproximateAgeOfOldestMessage({ label: name, statistic: 'Maximum' })),
          12,
        ),
      ],
      customGraphs,
      [
        graph(
          'Cold starts',
          functions.map(([name, fn]) => coldStartMetric(name, fn, props.stage, { label: name })),
          24,
        ),
      ],
    ],
  });
}

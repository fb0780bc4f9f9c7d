import { Aws, Duration } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AlarmTopic, alarmNamePrefix } from './alarm-topic';
import { apiThrottledMetric, customMetric } from './custom-metrics';
import { FUNCTION_METRICS } from './function-metrics';
import { observabilityDashboard } from './observability-dashboard';

/** When an alarm fires; each threshold's reason is in docs/operations.md. */
export const ALARM_THRESHOLDS = {
  /** Percent of a function's invocations that ended in an error. */
  functionErrorRatePercent: 5,
  /** p99 duration, as a fraction of the function's timeout. */
  durationOfTimeout: 0.8,
  api5xxRatePercent: 1,
  api4xxRatePercent: 20,
  api429RatePercent: 1,
  apiLatencyP99: Duration.seconds(3),
} as const;

/**
 * Error-type alarms page only on a lasting condition: a breach in 3 of the last 5 one-minute periods.
 * One failed invocation, one throttled burst or one slow cold start is retried or absorbed and pages
 * nobody; a dependency that keeps failing pages within 3 to 5 minutes.
 */
export const PERSISTENT = { period: Duration.minutes(1), evaluationPeriods: 5, datapointsToAlarm: 3 } as const;

/** A work queue whose oldest message says deliveries are stuck once it is older than `maxAge`. */
export interface WatchedQueue {
  readonly queue: sqs.IQueue;
  readonly maxAge: Duration;
}

export interface ObservabilityProps {
  readonly stage: string;
  /**
   * Every function, by its folder under lambdas/ (kebab-case): the alarm names use it, and the
   * function's custom metrics carry the Powertools service `sluice-<folder>`.
   */
  readonly functions: Readonly<Record<string, lambda.Function>>;
  /** Functions fed by a stream, by folder: their iterator age says how far behind they are. */
  readonly streamConsumers: Readonly<Record<string, lambda.IFunction>>;
  /** Every dead-letter queue, by a kebab-case name: a message there is a record that needs a person. */
  readonly deadLetterQueues: Readonly<Record<string, sqs.IQueue>>;
  /** Work queues, by a kebab-case name, with the age of the oldest message that counts as stuck. */
  readonly workQueues: Readonly<Record<string, WatchedQueue>>;
  readonly api: apigateway.RestApi;
  /** The API's JSON access log (with `status` and `stage`): the count of 429 answers comes from it. */
  readonly apiAccessLogs: logs.ILogGroup;
  readonly stream: kinesis.IStream;
  /** Email every alarm and recovery here (`-c alarmEmail=…`); other endpoints subscribe to the topic. */
  readonly alarmEmail?: string;
  /** @default Duration.minutes(1) */
  readonly maxIteratorAge?: Duration;
  /** @default true; false leaves the dashboard out (the alarms stay) */
  readonly dashboard?: boolean;
}

/** The alarms on the functions' own metrics, by metric name; the other custom metrics are graphed only. */
export const CUSTOM_METRIC_ALARMS: Readonly<Record<string, (fn: string) => Pick<AlarmSpec, 'pageAtOnce' | 'description'> & { period?: Duration }>> = {
  // Ingest retries the stream's partial failures; what is still refused goes back to the caller to resend.
  EventsNotPublished: () => ({
    pageAtOnce: false,
    description: 'POST /events keeps answering events in `failed`: the stream refuses writes (throttled or unavailable); callers must resend them',
  }),
  RecordsDeadLettered: (fn) => ({
    pageAtOnce: true,
    period: Duration.minutes(5),
    description: `${fn} sent records to its DLQ: they stay unprocessed until inspected and redriven (sluice redrive)`,
  }),
};

interface AlarmSpec {
  /** What the alarm watches, after `sluice-<stage>-`: `<subject>-<Condition>`, e.g. `projector-ErrorRate`. */
  readonly name: string;
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  /** What it means and what to do, shown in the notification. */
  readonly description: string;
  /** Whether one breaching period is enough (true), or it must last ({@link PERSISTENT}). */
  readonly pageAtOnce: boolean;
}

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * The pipeline's alarms and dashboard. Every alarm is named `sluice-<stage>-<subject>-<Condition>`
 * and notifies the {@link AlarmTopic} when it fires and when it recovers. They watch: every DLQ
 * (a message = a record that needs a person), each stream consumer's iterator age and dead-lettered
 * records, each function's error rate, throttles and p99 duration near its timeout, the oldest
 * message of each work queue, the events ingest could not publish, and the API's 4xx, 429 and 5xx
 * rates and p99 latency. docs/operations.md lists them with their thresholds and what to do.
 */
export class Observability extends Construct {
  public readonly topic: AlarmTopic;
  public readonly dashboard?: cloudwatch.Dashboard;
  /** The dashboard in the CloudWatch console (when there is one). */
  public readonly dashboardUrl?: string;
  public readonly alarms: cloudwatch.Alarm[] = [];
  private readonly stage: string;

  public constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    this.stage = props.stage;
    for (const name of [...Object.keys(props.functions), ...Object.keys(props.deadLetterQueues), ...Object.keys(props.workQueues)]) {
      if (!KEBAB.test(name)) throw new Error(`observed resources are named in kebab-case, like the folders under lambdas/ (got "${name}")`);
    }
    this.topic = new AlarmTopic(this, 'AlarmTopic', { stage: props.stage, ...(props.alarmEmail ? { email: props.alarmEmail } : {}) });

    this.functionAlarms(props.functions);
    this.pipelineAlarms(props);
    const apiRates = this.apiAlarms(props);
    for (const alarm of this.alarms) {
      alarm.addAlarmAction(this.topic.action);
      alarm.addOkAction(this.topic.action);
    }

    if (props.dashboard === false) return;
    this.dashboard = observabilityDashboard(this, 'Dashboard', { ...props, alarms: this.alarms, apiRates });
    this.dashboardUrl = `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#dashboards:name=${this.dashboard.dashboardName}`;
  }

  private functionAlarms(functions: ObservabilityProps['functions']): void {
    for (const [name, fn] of Object.entries(functions)) {
      const errorRate = new cloudwatch.MathExpression({
        expression: '100 * errors / invocations',
        usingMetrics: { errors: fn.metricErrors({ statistic: 'Sum' }), invocations: fn.metricInvocations({ statistic: 'Sum' }) },
        label: `${name} error rate (%)`,
        period: PERSISTENT.period,
      });
      this.alarm({
        name: `${name}-ErrorRate`,
        metric: errorRate,
        threshold: ALARM_THRESHOLDS.functionErrorRatePercent,
        pageAtOnce: false,
        description: `More than ${ALARM_THRESHOLDS.functionErrorRatePercent} % of ${name} invocations fail: read its log group for the error`,
      });
      this.alarm({
        name: `${name}-Throttles`,
        metric: fn.metricThrottles({ statistic: 'Sum' }),
        threshold: 0,
        pageAtOnce: false,
        description: `${name} is throttled: the account's or the function's concurrency limit is reached`,
      });
      const timeoutMs = (fn.timeout ?? Duration.seconds(3)).toMilliseconds();
      const nearTimeoutMs = Math.round(timeoutMs * ALARM_THRESHOLDS.durationOfTimeout);
      this.alarm({
        name: `${name}-DurationNearTimeout`,
        metric: fn.metricDuration({ statistic: 'p99' }),
        threshold: nearTimeoutMs,
        pageAtOnce: false,
        description: `${name} p99 duration is over ${ALARM_THRESHOLDS.durationOfTimeout * 100} % of its ${timeoutMs / 1000} s timeout: a slow dependency, or raise the timeout`,
      });
      for (const metricName of FUNCTION_METRICS[name] ?? []) {
        const alarm = CUSTOM_METRIC_ALARMS[metricName]?.(name);
        if (!alarm) continue;
        const metric = customMetric(name, metricName, this.stage, alarm.period ? { period: alarm.period } : {});
        this.alarm({ name: `${name}-${metricName}`, metric, threshold: 0, pageAtOnce: alarm.pageAtOnce, description: alarm.description });
      }
    }
  }

  private pipelineAlarms(props: ObservabilityProps): void {
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      this.alarm({
        name: `${name}-DlqNotEmpty`,
        threshold: 0,
        pageAtOnce: true,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        description: `${name} DLQ has messages: inspect them, fix the cause, then redrive`,
      });
    }
    const maxIteratorAge = props.maxIteratorAge ?? Duration.minutes(1);
    for (const [name, fn] of Object.entries(props.streamConsumers)) {
      this.alarm({
        name: `${name}-IteratorAge`,
        metric: fn.metric('IteratorAge', { statistic: 'Maximum' }),
        threshold: maxIteratorAge.toMilliseconds(),
        pageAtOnce: false,
        description: `${name} stays more than ${maxIteratorAge.toSeconds()} s behind its stream: it fails, is throttled, or is too slow for the traffic`,
      });
    }
    for (const [name, { queue, maxAge }] of Object.entries(props.workQueues)) {
      this.alarm({
        name: `${name}-OldestMessageAge`,
        metric: queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum' }),
        threshold: maxAge.toSeconds(),
        pageAtOnce: false,
        description: `The oldest ${name} message is over ${maxAge.toMinutes()} min old: its consumer keeps failing or cannot keep up`,
      });
    }
  }

  /** @returns the API's 4xx, 429 and 5xx rates (%) the alarms watch, for the dashboard */
  private apiAlarms(props: ObservabilityProps): cloudwatch.IMetric[] {
    const api = props.api;
    // API Gateway's 4XXError and 5XXError are 1 or 0 per request: their average is the rate.
    // One graph shows all three rates, so each expression names its metric differently.
    const rate = (id: string, metric: cloudwatch.Metric, label: string) =>
      new cloudwatch.MathExpression({ expression: `100 * ${id}`, usingMetrics: { [id]: metric.with({ statistic: 'Average' }) }, label, period: PERSISTENT.period });
    const serverErrors = rate('server', api.metricServerError(), 'API 5xx rate (%)');
    const clientErrors = rate('client', api.metricClientError(), 'API 4xx rate (%)');
    this.alarm({
      name: 'api-5xxRate',
      metric: serverErrors,
      threshold: ALARM_THRESHOLDS.api5xxRatePercent,
      pageAtOnce: false,
      description: `Over ${ALARM_THRESHOLDS.api5xxRatePercent} % of API requests end in a 5xx: see the command, query and ingest alarms and logs`,
    });
    this.alarm({
      name: 'api-4xxRate',
      metric: clientErrors,
      threshold: ALARM_THRESHOLDS.api4xxRatePercent,
      pageAtOnce: false,
      description: `Over ${ALARM_THRESHOLDS.api4xxRatePercent} % of API requests are refused: a client sends bad requests or an old API key`,
    });
    // No API Gateway metric counts 429s alone (they are part of 4XXError); the access log does.
    const throttledRate = new cloudwatch.MathExpression({
      expression: '100 * FILL(throttled, 0) / requests',
      usingMetrics: { throttled: apiThrottledMetric(this, props.apiAccessLogs, this.stage), requests: api.metricCount({ statistic: 'Sum' }) },
      label: 'API 429 rate (%)',
      period: PERSISTENT.period,
    });
    this.alarm({
      name: 'api-429Rate',
      metric: throttledRate,
      threshold: ALARM_THRESHOLDS.api429RatePercent,
      pageAtOnce: false,
      description: `Over ${ALARM_THRESHOLDS.api429RatePercent} % of API requests are throttled (429): the usage plan's limit is reached`,
    });
    const latencyMs = ALARM_THRESHOLDS.apiLatencyP99.toMilliseconds();
    this.alarm({
      name: 'api-LatencyP99',
      metric: api.metricLatency({ statistic: 'p99' }),
      threshold: latencyMs,
      pageAtOnce: false,
      description: `API p99 latency is over ${latencyMs / 1000} s: see the functions' duration alarms`,
    });
    return [clientErrors, throttledRate, serverErrors];
  }

  private alarm(spec: AlarmSpec): void {
    const timing = spec.pageAtOnce ? { evaluationPeriods: 1 } : { evaluationPeriods: PERSISTENT.evaluationPeriods, datapointsToAlarm: PERSISTENT.datapointsToAlarm };
    const metric = spec.pageAtOnce || !(spec.metric instanceof cloudwatch.Metric) ? spec.metric : spec.metric.with({ period: PERSISTENT.period });
    this.alarms.push(
      new cloudwatch.Alarm(this, spec.name, {
        alarmName: `${alarmNamePrefix(this.stage)}${spec.name}`,
        metric,
        threshold: spec.threshold,
        ...timing,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: spec.description,
      }),
    );
  }
}

import { Duration } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface ObservabilityProps {
  readonly stage: string;
  /** Every function, by a readable name (alarm and widget titles). */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  /** Functions fed by a stream: their iterator age says how far behind they are. */
  readonly streamConsumers: Readonly<Record<string, lambda.IFunction>>;
  /** Every dead-letter queue: a message there is a record that needs a person. */
  readonly deadLetterQueues: Readonly<Record<string, sqs.IQueue>>;
  readonly api: apigateway.RestApi;
  readonly stream: kinesis.IStream;
  /** @default Duration.minutes(1) */
  readonly maxIteratorAge?: Duration;
  /** @default true; false leaves the dashboard out (the alarms stay) */
  readonly dashboard?: boolean;
}

/**
 * The pipeline's CloudWatch dashboard and alarms: DLQ depth > 0, iterator age, function errors
 * and throttles, API 5xx. Alarms carry no action here; add one per alarm (`alarm.addAlarmAction`)
 * to page your team.
 */
export class Observability extends Construct {
  public readonly dashboard?: cloudwatch.Dashboard;
  public readonly alarms: cloudwatch.Alarm[] = [];

  public constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const fiveMinutes = Duration.minutes(5);
    const maxIteratorAgeMs = (props.maxIteratorAge ?? Duration.minutes(1)).toMilliseconds();

    const dlqs = new Construct(this, 'DlqAlarms');
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      this.alarm(dlqs, name, queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }), 0,
        `${name} DLQ has messages: inspect them, fix the cause, then redrive`);
    }
    const ages = new Construct(this, 'IteratorAgeAlarms');
    for (const [name, fn] of Object.entries(props.streamConsumers)) {
      this.alarm(ages, name, fn.metric('IteratorAge', { period: Duration.minutes(1), statistic: 'Maximum' }), maxIteratorAgeMs,
        `${name} is more than ${maxIteratorAgeMs / 1000} s behind its stream`);
    }
    const errors = new Construct(this, 'ErrorAlarms');
    const throttles = new Construct(this, 'ThrottleAlarms');
    for (const [name, fn] of Object.entries(props.functions)) {
      this.alarm(errors, name, fn.metricErrors({ period: fiveMinutes }), 0, `${name} function errors`);
      this.alarm(throttles, name, fn.metricThrottles({ period: fiveMinutes }), 0, `${name} function throttles`);
    }
    this.alarm(this, 'Api5xx', props.api.metricServerError({ period: fiveMinutes }), 0, 'API returned 5xx responses');

    if (props.dashboard === false) return;
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(3),
      widgets: [
        [
          new cloudwatch.GraphWidget({ title: 'API requests and errors', width: 12, left: [props.api.metricCount(), props.api.metricClientError(), props.api.metricServerError()] }),
          new cloudwatch.GraphWidget({ title: 'API latency p99', width: 12, left: [props.api.metricLatency({ statistic: 'p99' })] }),
        ],
        [
          new cloudwatch.GraphWidget({ title: 'Stream incoming records', width: 12, left: [props.stream.metricIncomingRecords()] }),
          new cloudwatch.GraphWidget({
            title: 'Consumer iterator age (ms)', width: 12,
            left: Object.entries(props.streamConsumers).map(([name, fn]) => fn.metric('IteratorAge', { statistic: 'Maximum', label: name })),
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Function errors', width: 12,
            left: Object.entries(props.functions).map(([name, fn]) => fn.metricErrors({ label: name })),
          }),
          new cloudwatch.GraphWidget({
            title: 'DLQ depth', width: 12,
            left: Object.entries(props.deadLetterQueues).map(([name, q]) => q.metricApproximateNumberOfMessagesVisible({ label: name, statistic: 'Maximum' })),
          }),
        ],
      ],
    });
  }

  private alarm(scope: Construct, id: string, metric: cloudwatch.IMetric, threshold: number, description: string): void {
    this.alarms.push(new cloudwatch.Alarm(scope, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    }));
  }
}

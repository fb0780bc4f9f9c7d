/**
 * Alarms that reach someone, and metrics that are graphed where the functions emit them. Every check
 * iterates over what the templates and the function sources hold (every alarm, every function,
 * every queue, every `addMetric` call), so a new function, queue or metric is covered without
 * editing a count here.
 */
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { resolveConfig } from '../../lib/config';
import { FUNCTION_METRICS } from '../../lib/function-metrics';
import { ALARM_THRESHOLDS, CUSTOM_METRIC_ALARMS, PERSISTENT } from '../../lib/observability';
import { COLD_START_METRIC, METRICS_NAMESPACE } from '../../lambdas/shared/metric-catalog';
import { synthTemplates } from './sluice-app.fixture';
import { dashboardMetrics, emittedMetrics, type GraphedMetric } from './observability.fixture';

type Resource = { Type: string; Properties: Props };
type Props = Record<string, any>;

const dev = synthTemplates();
const resources = (type: string) => Object.entries(dev.stateless.findResources(type)) as Array<[string, Resource]>;
const alarms = resources('AWS::CloudWatch::Alarm').map(([id, r]): Props => ({ id, ...r.Properties }));
const alarmNamed = (name: string) => alarms.find((a) => a.AlarmName === `sluice-dev-${name}`);
/** Functions of the app (not CDK's helpers), by folder under lambdas/ (`sluice-<folder>` is their service). */
const functions = resources('AWS::Lambda::Function')
  .filter(([, fn]) => fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME)
  .map(([id, fn]): Props => ({ id, folder: String(fn.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME).replace(/^sluice-/, ''), ...fn.Properties }));
/** The metrics an alarm reads, with the function or queue they are about. */
const alarmMetrics = (alarm: Props): Array<{ Namespace: string; MetricName: string; Dimensions?: Array<{ Name: string; Value: unknown }> }> =>
  alarm.MetricName ? [alarm as any] : (alarm.Metrics ?? []).filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric);
const about = (alarm: Props, metricName: string, logicalId: string) =>
  alarmMetrics(alarm).some((m) => m.MetricName === metricName && JSON.stringify(m.Dimensions ?? []).includes(logicalId));

describe('alarms', () => {
  const [topicId] = resources('AWS::SNS::Topic').map(([id]) => id);

  it('finds the alarms and the one alarm topic', () => {
    expect(alarms.length).toBeGreaterThan(0);
    expect(resources('AWS::SNS::Topic')).toHaveLength(1);
  });

  it('notifies the alarm topic from every alarm, when it fires and when it recovers', () => {
    const actions = alarms.map((a) => ({ alarm: a.AlarmName, alarmActions: a.AlarmActions, okActions: a.OKActions }));
    expect(actions).toEqual(alarms.map((a) => ({ alarm: a.AlarmName, alarmActions: [{ Ref: topicId }], okActions: [{ Ref: topicId }] })));
  });

  it('names every alarm sluice-<stage>-<subject>-<Condition>, once', () => {
    const names = alarms.map((a) => a.AlarmName);
    for (const name of names) expect(name).toMatch(/^sluice-dev-[a-z][a-z0-9]*(-[a-z0-9]+)*-[A-Z0-9][A-Za-z0-9]+$/);
    expect(new Set(names).size).toBe(names.length);
  });

  it('gives every alarm a description that says what to do', () => {
    for (const alarm of alarms)
      expect({ alarm: alarm.AlarmName, description: alarm.AlarmDescription }).toEqual({ alarm: alarm.AlarmName, description: expect.stringMatching(/.{30,}/) });
  });

  it.each(functions.map((fn) => [fn.folder, fn] as const))('watches the %s function: error rate, throttles and p99 duration near its timeout', (folder, fn) => {
    const errorRate = alarmNamed(`${folder}-ErrorRate`);
    expect(errorRate?.Metrics?.find((m: any) => m.Expression)?.Expression).toBe('100 * errors / invocations');
    expect(about(errorRate!, 'Errors', fn.id) && about(errorRate!, 'Invocations', fn.id)).toBe(true);
    expect(errorRate!.Threshold).toBe(ALARM_THRESHOLDS.functionErrorRatePercent);
    expect(about(alarmNamed(`${folder}-Throttles`)!, 'Throttles', fn.id)).toBe(true);
    const duration = alarmNamed(`${folder}-DurationNearTimeout`)!;
    expect(about(duration, 'Duration', fn.id)).toBe(true);
    expect({ statistic: duration.ExtendedStatistic, threshold: duration.Threshold }).toEqual({ statistic: 'p99', threshold: fn.Timeout * 1000 * 0.8 });
  });

  it('watches the iterator age of every stream consumer', () => {
    const consumers = resources('AWS::Lambda::EventSourceMapping')
      .filter(([, m]) => m.Properties.StartingPosition)
      .map(([, m]) => m.Properties.FunctionName.Ref);
    expect(consumers.length).toBeGreaterThan(0);
    for (const id of consumers) expect({ id, watched: alarms.some((a) => about(a, 'IteratorAge', id)) }).toEqual({ id, watched: true });
  });

  it("watches every queue of the stateful stack: a DLQ on its first message, a work queue on its oldest message's age", () => {
    const queues = Object.keys(dev.stateful.findResources('AWS::SQS::Queue'));
    expect(queues.length).toBeGreaterThan(0);
    const text = JSON.stringify(dev.stateful.toJSON().Resources);
    const onFailure = JSON.stringify(resources('AWS::Lambda::EventSourceMapping').map(([, m]) => m.Properties.DestinationConfig?.OnFailure));
    for (const queue of queues) {
      // A DLQ is some queue's redrive target or some mapping's on-failure destination; the rest are work queues.
      const isDlq = text.includes(`"deadLetterTargetArn":{"Fn::GetAtt":["${queue}"`) || onFailure.includes(queue);
      const metric = isDlq ? 'ApproximateNumberOfMessagesVisible' : 'ApproximateAgeOfOldestMessage';
      const watching = alarms.filter((a) => about(a, metric, queue));
      expect({ queue, metric, alarms: watching.length }).toEqual({ queue, metric, alarms: 1 });
      if (isDlq) expect(watching[0]).toMatchObject({ Threshold: 0, EvaluationPeriods: 1 });
    }
  });

  it.each(Object.entries(FUNCTION_METRICS).flatMap(([folder, names]) => names.filter((n) => CUSTOM_METRIC_ALARMS[n]).map((n) => [folder, n])))(
    "alarms on %s's %s with the stage dimension",
    (folder, metricName) => {
      const [metric] = alarmMetrics(alarmNamed(`${folder}-${metricName}`)!);
      expect(metric).toMatchObject({ Namespace: METRICS_NAMESPACE, MetricName: metricName });
      expect(metric.Dimensions).toEqual(
        expect.arrayContaining([
          { Name: 'service', Value: `sluice-${folder}` },
          { Name: 'stage', Value: 'dev' },
        ]),
      );
    },
  );

  it("alarms on EventsNotPublished and RecordsDeadLettered (the issue's two)", () => {
    expect(alarmNamed('ingest-EventsNotPublished')).toBeDefined();
    expect(alarms.filter((a) => a.AlarmName.endsWith('-RecordsDeadLettered')).length).toBeGreaterThan(0);
  });

  it.each([
    ['api-4xxRate', '4XXError', ALARM_THRESHOLDS.api4xxRatePercent, 'client'],
    ['api-5xxRate', '5XXError', ALARM_THRESHOLDS.api5xxRatePercent, 'server'],
  ])('alarms on %s: the average of %s (1 or 0 per request) in percent', (name, metricName, threshold, id) => {
    const alarm = alarmNamed(name)!;
    expect(alarm.Metrics.find((m: any) => m.Expression).Expression).toBe(`100 * ${id}`);
    expect(alarm.Metrics.find((m: any) => m.MetricStat).MetricStat).toMatchObject({ Metric: { MetricName: metricName }, Stat: 'Average' });
    expect(alarm.Threshold).toBe(threshold);
  });

  it("alarms on the API's 429 rate, counted from the access log by stage", () => {
    const alarm = alarmNamed('api-429Rate')!;
    expect(alarm.Metrics.find((m: any) => m.Expression).Expression).toBe('100 * FILL(throttled, 0) / requests');
    const throttled = alarm.Metrics.find((m: any) => m.Id === 'throttled').MetricStat.Metric;
    expect(throttled).toEqual({ Namespace: METRICS_NAMESPACE, MetricName: 'ApiThrottled', Dimensions: [{ Name: 'stage', Value: 'dev' }] });
    const [[, filter]] = resources('AWS::Logs::MetricFilter');
    expect(filter.Properties).toMatchObject({
      FilterPattern: '{ ($.status = "429") && ($.stage = "dev") }',
      MetricTransformations: [
        { MetricNamespace: METRICS_NAMESPACE, MetricName: 'ApiThrottled', MetricValue: '1', Dimensions: [{ Key: 'stage', Value: '$.stage' }] },
      ],
    });
    // The filter reads `status` and `stage`, so the access log must write both.
    const [[, stage]] = resources('AWS::ApiGateway::Stage');
    expect(JSON.parse(stage.Properties.AccessLogSetting.Format)).toMatchObject({ status: '$context.status', stage: '$context.stage' });
    const [accessLogs] = resources('AWS::Logs::LogGroup')
      .map(([id]) => id)
      .filter((id) => id.startsWith('ApiAccessLogs'));
    expect(filter.Properties.LogGroupName).toEqual({ Ref: accessLogs });
    expect(JSON.stringify(stage.Properties.AccessLogSetting.DestinationArn)).toContain(accessLogs);
  });

  it("alarms on the API's p99 latency", () => {
    expect(alarmNamed('api-LatencyP99')).toMatchObject({
      MetricName: 'Latency',
      ExtendedStatistic: 'p99',
      Threshold: ALARM_THRESHOLDS.apiLatencyP99.toMilliseconds(),
    });
  });

  it('pages on errors, throttles, latency and ages only when they last (3 of 5 minutes); on a dead letter at once', () => {
    const atOnce = alarms.filter((a) => /-(DlqNotEmpty|RecordsDeadLettered)$/.test(a.AlarmName));
    const lasting = alarms.filter((a) => !atOnce.includes(a));
    expect(lasting.length).toBeGreaterThan(atOnce.length);
    for (const alarm of lasting) {
      expect({ alarm: alarm.AlarmName, periods: alarm.EvaluationPeriods, datapoints: alarm.DatapointsToAlarm }).toEqual({
        alarm: alarm.AlarmName,
        periods: PERSISTENT.evaluationPeriods,
        datapoints: PERSISTENT.datapointsToAlarm,
      });
      const periods = alarm.Period ? [alarm.Period] : alarm.Metrics.map((m: any) => m.MetricStat?.Period ?? m.Period).filter(Boolean);
      for (const period of periods) expect({ alarm: alarm.AlarmName, period }).toEqual({ alarm: alarm.AlarmName, period: 60 });
    }
    for (const alarm of atOnce) expect({ alarm: alarm.AlarmName, periods: alarm.EvaluationPeriods }).toEqual({ alarm: alarm.AlarmName, periods: 1 });
  });
});

describe('alarm topic', () => {
  const [[topicId, topic]] = resources('AWS::SNS::Topic');

  it("is encrypted with a rotating key CloudWatch may use, for this stage's alarms only", () => {
    const [[keyId, key]] = resources('AWS::KMS::Key');
    expect(topic.Properties).toMatchObject({ TopicName: 'sluice-dev-alarms', KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    expect(key.Properties.EnableKeyRotation).toBe(true);
    const forCloudWatch = key.Properties.KeyPolicy.Statement.find((s: any) => s.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(forCloudWatch).toMatchObject({ Effect: 'Allow', Action: expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']) });
    expect(JSON.stringify(forCloudWatch.Condition.ArnLike)).toContain(':alarm:sluice-dev-*');
  });

  it("lets CloudWatch publish (from this account's alarms) and refuses publishing without TLS", () => {
    const [[, policy]] = resources('AWS::SNS::TopicPolicy');
    expect(policy.Properties.Topics).toEqual([{ Ref: topicId }]);
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Effect: 'Allow', Action: 'sns:Publish', Principal: { Service: 'cloudwatch.amazonaws.com' } }),
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]),
    );
  });

  it('emails nobody unless -c alarmEmail names someone', () => {
    expect(resources('AWS::SNS::Subscription')).toEqual([]);
    const withEmail = synthTemplates({ alarmEmail: 'oncall@example.com' }).stateless.findResources('AWS::SNS::Subscription');
    expect(Object.values(withEmail).map((s: any) => s.Properties)).toEqual([{ Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: { Ref: topicId } }]);
  });

  it('refuses an alarmEmail that is not an address, naming it and the fix', () => {
    expect(() => resolveConfig(new App({ context: { alarmEmail: 'oncall' } }).node)).toThrow(
      'alarmEmail must be an email address (got "oncall"); pass it with -c alarmEmail=ops@example.com',
    );
  });

  it("is an output, and so is the dashboard's URL", () => {
    const outputs = dev.stateless.toJSON().Outputs;
    expect(outputs.AlarmTopicArn.Value).toEqual({ Ref: topicId });
    expect(JSON.stringify(outputs.DashboardUrl.Value)).toContain('.console.aws.amazon.com/cloudwatch/home?region=');
    const [[dashboardId]] = resources('AWS::CloudWatch::Dashboard');
    expect(JSON.stringify(outputs.DashboardUrl.Value)).toContain(`#dashboards:name=",{"Ref":"${dashboardId}"}`);
  });
});

/** Whether two dimension maps are the same set of pairs (CloudWatch matches on the whole set, in any order). */
const sameDimensions = (a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

describe('custom metrics', () => {
  const graphed = dashboardMetrics(dev.stateless);
  const emitted = emittedMetrics(path.join(__dirname, '..', '..', 'lambdas'));
  const isGraphed = (want: Omit<GraphedMetric, 'dimensions'> & { dimensions: Record<string, unknown> }) =>
    graphed.some((g) => g.namespace === want.namespace && g.name === want.name && sameDimensions(g.dimensions, want.dimensions));

  it('finds the addMetric calls in the functions and the metrics on the dashboard', () => {
    expect(emitted.size).toBeGreaterThan(0);
    expect(graphed.length).toBeGreaterThan(0);
  });

  it('lists exactly what each function emits in lib/function-metrics.ts', () => {
    expect(Object.fromEntries([...emitted].map(([folder, names]) => [folder, [...names].sort()]))).toEqual(
      Object.fromEntries(Object.entries(FUNCTION_METRICS).map(([folder, names]) => [folder, [...names].sort()])),
    );
  });

  it.each([...emitted].flatMap(([folder, names]) => [...names].map((name) => [name, folder])))(
    "graphs %s of %s with the function's service and the stage",
    (name, folder) => {
      const want = { namespace: METRICS_NAMESPACE, name, dimensions: { service: `sluice-${folder}`, stage: 'dev' } };
      expect({ want, graphed: isGraphed(want) }).toEqual({ want, graphed: true });
    },
  );

  it("graphs every function's cold starts with the stage (and the function name Powertools adds)", () => {
    for (const fn of functions) {
      const want = {
        namespace: METRICS_NAMESPACE,
        name: COLD_START_METRIC,
        dimensions: { service: `sluice-${fn.folder}`, stage: 'dev', function_name: `{Ref:${fn.id}}` },
      };
      expect({ want, graphed: isGraphed(want) }).toEqual({ want, graphed: true });
    }
  });

  it('puts the stage on every sluice metric it graphs or alarms on', () => {
    const inAlarms = alarms
      .flatMap(alarmMetrics)
      .filter((m) => m.Namespace === METRICS_NAMESPACE)
      .map((m) => Object.fromEntries((m.Dimensions ?? []).map((d) => [d.Name, d.Value])));
    const onDashboard = graphed.filter((g) => g.namespace === METRICS_NAMESPACE).map((g) => g.dimensions);
    expect(inAlarms.length + onDashboard.length).toBeGreaterThan(0);
    for (const dimensions of [...inAlarms, ...onDashboard]) expect(dimensions).toMatchObject({ stage: 'dev' });
  });

  it('hands every function its stage (SLUICE_STAGE), which its metrics carry as the stage dimension', () => {
    const prod = synthTemplates({ stage: 'prod' }).stateless.findResources('AWS::Lambda::Function');
    for (const [fn, stage] of [...functions.map((f) => [f, 'dev'] as const), ...Object.values(prod).map((f: any) => [f.Properties, 'prod'] as const)]) {
      if (fn.Environment?.Variables?.POWERTOOLS_SERVICE_NAME) expect(fn.Environment.Variables.SLUICE_STAGE).toBe(stage);
    }
  });
});

describe('dashboard', () => {
  it('is named for its stage', () => {
    expect(resources('AWS::CloudWatch::Dashboard').map(([, d]) => d.Properties.DashboardName)).toEqual(['sluice-dev']);
  });

  it("shows every alarm's state", () => {
    const body = JSON.stringify(resources('AWS::CloudWatch::Dashboard')[0][1].Properties.DashboardBody);
    for (const alarm of alarms) expect({ alarm: alarm.id, shown: body.includes(alarm.id) }).toEqual({ alarm: alarm.id, shown: true });
  });
});

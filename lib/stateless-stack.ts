import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { COMMAND_ENV } from '../lambdas/command/environment';
import { INGEST_ENV } from '../lambdas/ingest/environment';
import { QUERY_ENV } from '../lambdas/query/environment';
import { CURSOR_KEY_ENV } from '../lambdas/query/cursor-key-env';
import type { SluiceConfig } from './config';
import { NOTIFICATION_WORKER_ENV } from '../lambdas/notification-worker/environment';
import type { ConsumerData, ConsumerDefinition } from './consumers/consumer-definition';
import { consumerCliName, consumerConstructId, EVENTS_STREAM_CONSUMERS_OUTPUT } from './consumers/consumer-names';
import { CONSUMERS } from './consumers/registry';
import { type ObservedConsumer, StreamConsumer } from './consumers/stream-consumer';
import { FUNCTION_DEFAULTS } from './defaults';
import { grantEventStoreAppend } from './event-store';
import { grantTableActions } from './grants';
import { IngestionApi } from './ingestion-api';
import { Observability } from './observability';
import { SluiceFunction } from './sluice-function';
import { stageFunctionProps } from './stage-function-props';

export interface StatelessStackProps extends StackProps {
  readonly config: SluiceConfig;
  /** The data this stack's functions use; only interfaces are read from it. */
  readonly data: ConsumerData;
  /** The consumers to build, the same the stateful stack made DLQs for. @default CONSUMERS (lib/consumers/registry.ts) */
  readonly consumers?: readonly ConsumerDefinition[];
}

/**
 * The code: functions, their event source mappings, the API and the dashboard. Safe to destroy
 * and redeploy at any time; all state lives in the stateful stack.
 */
export class StatelessStack extends Stack {
  public readonly api: IngestionApi;
  public readonly functions: Readonly<Record<string, lambda.IFunction>>;

  public constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, data } = props;
    const store = { eventsTable: data.eventStore.eventsTable, snapshotsTable: data.eventStore.snapshotsTable };
    const fn = (fid: string, name: string, description: string, environment: Record<string, string>, timeout: Duration) =>
      new SluiceFunction(this, fid, { name, description, environment, timeout, ...stageFunctionProps(config) }).function;

    // API-facing functions.
    const ingest = fn(
      'Ingest',
      'ingest',
      'POST /events: validate telemetry events and put them on the stream',
      {
        [INGEST_ENV.eventsStreamName]: data.eventsStream.streamName,
        // Input rules: ingest accepts event times within the stage's bounds (the fraud detector windows them with the same).
        [INGEST_ENV.eventTimePastDays]: String(config.eventTimePastDays),
        [INGEST_ENV.eventTimeFutureMinutes]: String(config.eventTimeFutureMinutes),
      },
      FUNCTION_DEFAULTS.apiTimeout,
    );
    data.eventsStream.grantWrite(ingest);
    const command = fn(
      'Command',
      'command',
      'Account commands: load, decide, append to the event store',
      {
        [COMMAND_ENV.eventStoreTableName]: store.eventsTable.tableName,
        [COMMAND_ENV.snapshotTableName]: store.snapshotsTable.tableName,
        [COMMAND_ENV.snapshotEvery]: String(config.snapshotEvery),
        [COMMAND_ENV.idempotencyTableName]: data.commandIdempotencyTable.tableName,
      },
      FUNCTION_DEFAULTS.apiTimeout,
    );
    grantEventStoreAppend(store, command);
    // Powertools idempotency: put in progress, read a repeat's record, update with the response, delete after a failure.
    grantTableActions(data.commandIdempotencyTable, command, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']);
    const query = fn(
      'Query',
      'query',
      'Account queries on the CQRS read model',
      { [QUERY_ENV.balancesTableName]: data.balancesTable.tableName, [QUERY_ENV.transactionsTableName]: data.transactionsTable.tableName },
      FUNCTION_DEFAULTS.apiTimeout,
    );
    this.addCursorKeySecret(query, config);
    grantTableActions(data.balancesTable, query, ['dynamodb:GetItem']);
    grantTableActions(data.transactionsTable, query, ['dynamodb:Query']);

    // Consumers: one per registry entry, each its own function, mapping, position and DLQ.
    const consumers = (props.consumers ?? CONSUMERS).map((definition) => new StreamConsumer(this, consumerConstructId(definition), { definition, config, data }));
    const worker = consumers.find((consumer) => consumer.definition.name === 'notification-worker')?.function;
    if (config.webhookUrl && worker) this.addWebhookSecret(worker, config);
    new CfnOutput(this, EVENTS_STREAM_CONSUMERS_OUTPUT, {
      value: consumers
        .filter((c) => c.definition.source.kind === 'events-stream')
        .map((c) => consumerCliName(c.definition))
        .join(','),
      description: 'The consumers of the events stream, as sluice replay stream --consumer names them',
    });

    this.api = new IngestionApi(this, 'Api', {
      stage: config.stage,
      ingestFunction: ingest,
      commandFunction: command,
      queryFunction: query,
      firewall: config.waf,
      logRetention: config.logRetentionDays,
      logRemovalPolicy: config.removalPolicy,
    });

    this.functions = {
      ingest,
      command,
      query,
      ...Object.fromEntries(consumers.map((consumer) => [consumer.definition.name, consumer.function])),
    };
    // Keyed by folder under lambdas/: alarm names, and the service dimension of each function's metrics.
    const observed = (key: keyof ObservedConsumer) => Object.assign({}, ...consumers.map((consumer) => consumer.observed[key]));
    const observability = new Observability(this, 'Observability', {
      stage: config.stage,
      dashboard: config.dashboard,
      ...(config.alarmEmail ? { alarmEmail: config.alarmEmail } : {}),
      functions: { ingest, command, query, ...observed('functions') },
      streamConsumers: observed('streamConsumers'),
      deadLetterQueues: observed('deadLetterQueues'),
      workQueues: observed('workQueues'),
      api: this.api.api,
      apiAccessLogs: this.api.accessLogs,
      stream: data.eventsStream,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.api.url, description: 'Base URL of the sluice API' });
    new CfnOutput(this, 'ApiKeyId', {
      value: this.api.apiKey.keyId,
      description: 'Id of the API key; its value: aws apigateway get-api-key --include-value --api-key <id>',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: observability.topic.topic.topicArn,
      description: 'SNS topic of every alarm and recovery: subscribe on-call endpoints to it',
    });
    if (observability.dashboardUrl) new CfnOutput(this, 'DashboardUrl', { value: observability.dashboardUrl, description: "This stage's CloudWatch dashboard" });
    this.suppressNagFindings();
  }

  /**
   * The HMAC-SHA256 key the worker signs webhook deliveries with. The worker reads it at run time
   * (WEBHOOK_SECRET_ARN), so the key never appears in the template or the function configuration;
   * the receiver's owner fetches it with the output's ARN.
   */
  private addWebhookSecret(worker: lambda.Function, config: SluiceConfig): void {
    this.addFunctionSecret('WebhookSecret', worker, config, {
      description: 'HMAC-SHA256 key of the webhook signature',
      arnVariable: NOTIFICATION_WORKER_ENV.webhookSecretArn,
      notRotatedBecause:
        'A new key must reach the webhook receiver out of band before the worker signs with it; rotating is an operator action (docs/consumers.md).',
      output: { id: 'WebhookSecretArn', description: 'ARN of the webhook signing key; its value: aws secretsmanager get-secret-value --secret-id <arn>' },
    });
  }

  /**
   * The HMAC key that signs transaction cursors, so a forged or another account's cursor is a 400.
   * A generated secret, not anything an API caller can learn (such as the stack id); the query
   * function alone may read it, at run time (CURSOR_KEY_SECRET_ARN), so the key is in neither the
   * template nor the function configuration. Rotation invalidates outstanding cursors: docs/input-rules.md.
   */
  private addCursorKeySecret(query: lambda.Function, config: SluiceConfig): void {
    this.addFunctionSecret('CursorKey', query, config, {
      description: 'HMAC-SHA256 key that signs the cursors of GET /accounts/{id}/transactions',
      arnVariable: CURSOR_KEY_ENV.secretArn,
      notRotatedBecause:
        'Rotating the key ends every outstanding cursor (a 400 that tells the client to start again); it is an operator action (docs/input-rules.md), not a schedule.',
      output: { id: 'CursorKeySecretArn', description: 'ARN of the cursor signing key; rotate it with aws secretsmanager put-secret-value --secret-id <arn>' },
    });
  }

  /**
   * A generated 48-character secret that one function alone may read (GetSecretValue/DescribeSecret
   * on it), handed its ARN in `arnVariable`, kept on prod like the tables, with its ARN as an output.
   * The construct id is the secret's logical id: changing it replaces the key.
   */
  private addFunctionSecret(
    id: string,
    reader: lambda.Function,
    config: SluiceConfig,
    props: {
      readonly description: string;
      readonly arnVariable: string;
      /** Why the secret has no rotation schedule (cdk-nag AwsSolutions-SMG4). */
      readonly notRotatedBecause: string;
      readonly output: { readonly id: string; readonly description: string };
    },
  ): void {
    const secret = new secretsmanager.Secret(this, id, {
      description: props.description,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: config.removalPolicy,
    });
    secret.grantRead(reader);
    reader.addEnvironment(props.arnVariable, secret.secretArn);
    Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: props.notRotatedBecause });
    new CfnOutput(this, props.output.id, { value: secret.secretArn, description: props.output.description });
  }

  private suppressNagFindings(): void {
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'Lambda functions use AWSLambdaBasicExecutionRole, which only lets them write their own CloudWatch logs.',
    });
    const api = Validations.of(this.api.api);
    if (!this.api.firewall) {
      api.acknowledge({
        id: 'AwsSolutions-APIG3',
        reason: 'Left out with -c waf=false, for LocalStack community only, whose CloudFormation lacks the WAFv2 types.',
      });
    }
    api.acknowledge({ id: 'AwsSolutions-APIG4', reason: 'DESIGN.md specifies API key access for this service-to-service ingestion API.' });
    api.acknowledge({ id: 'AwsSolutions-COG4', reason: 'DESIGN.md specifies API key access; there are no end users to put in a Cognito pool.' });
    api.acknowledge({
      id: 'AwsSolutions-APIG6',
      reason: 'Execution logging needs an account-wide API Gateway CloudWatch role that would clash between stages; access logs and metrics are on.',
    });
  }
}

import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { CURSOR_KEY_ENV } from '../lambdas/query/cursor-key-env';
import type { SluiceConfig } from './config';
import { FUNCTION_DEFAULTS, QUEUE_CONSUMER_TIMEOUTS } from './defaults';
import { grantEventStoreAppend, grantEventStoreRead } from './event-store';
import { FanOutConsumer } from './fan-out-consumer';
import { grantTableActions } from './grants';
import { IngestionApi } from './ingestion-api';
import { Observability } from './observability';
import { SluiceFunction } from './sluice-function';
import type { StatefulStack } from './stateful-stack';

export interface StatelessStackProps extends StackProps {
  readonly config: SluiceConfig;
  /** The data this stack's functions use; only interfaces are read from it. */
  readonly data: Pick<StatefulStack,
    'eventStore' | 'balancesTable' | 'transactionsTable' | 'replicaTable' | 'deliveriesTable' | 'fraudWindowsTable'
    | 'idempotencyTable' | 'commandIdempotencyTable' | 'eventsStream' | 'notifications' | 'stateTransfer' | 'failureQueues'>;
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
    const storeEnv = {
      EVENT_STORE_TABLE_NAME: store.eventsTable.tableName,
      SNAPSHOT_TABLE_NAME: store.snapshotsTable.tableName,
    };
    const readModelEnv = {
      BALANCES_TABLE_NAME: data.balancesTable.tableName,
      TRANSACTIONS_TABLE_NAME: data.transactionsTable.tableName,
    };
    const streamEnv = { EVENTS_STREAM_NAME: data.eventsStream.streamName };
    // Input rules: both the function that accepts event times and the one that windows them use the stage's bounds.
    const eventTimeEnv = {
      EVENT_TIME_PAST_DAYS: String(config.eventTimePastDays),
      EVENT_TIME_FUTURE_MINUTES: String(config.eventTimeFutureMinutes),
    };
    const fn = (fid: string, name: string, description: string, environment: Record<string, string>, timeout?: Duration) =>
      new SluiceFunction(this, fid, {
        name, description, environment, stage: config.stage, logRetentionDays: config.logRetentionDays, logRemovalPolicy: config.removalPolicy,
        architecture: config.lambdaArchitecture === 'x86_64' ? lambda.Architecture.X86_64 : lambda.Architecture.ARM_64,
        ...(timeout ? { timeout } : {}),
      }).function;

    // API-facing functions.
    const ingest = fn('Ingest', 'ingest', 'POST /events: validate telemetry events and put them on the stream', { ...streamEnv, ...eventTimeEnv }, FUNCTION_DEFAULTS.apiTimeout);
    data.eventsStream.grantWrite(ingest);
    const command = fn('Command', 'command', 'Account commands: load, decide, append to the event store',
      { ...storeEnv, SNAPSHOT_EVERY: String(config.snapshotEvery), IDEMPOTENCY_TABLE_NAME: data.commandIdempotencyTable.tableName },
      FUNCTION_DEFAULTS.apiTimeout);
    grantEventStoreAppend(store, command);
    // Powertools idempotency: put in progress, read a repeat's record, update with the response, delete after a failure.
    grantTableActions(data.commandIdempotencyTable, command, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']);
    const query = fn('Query', 'query', 'Account queries on the CQRS read model', readModelEnv, FUNCTION_DEFAULTS.apiTimeout);
    this.addCursorKeySecret(query, config);
    grantTableActions(data.balancesTable, query, ['dynamodb:GetItem']);
    grantTableActions(data.transactionsTable, query, ['dynamodb:Query']);

    // Stream consumers: each its own mapping, position and DLQ.
    // DLQ_URL: each consumer sends its own poison records (with the reason) to its on-failure queue;
    // the mapping's destination grant already lets it SendMessage there.
    const outboxRelay = fn('OutboxRelay', 'outbox-relay', 'Event store stream (the outbox) to the events stream, in order per account', {
      ...streamEnv, DLQ_URL: data.failureQueues.outboxRelay.queueUrl,
      // Give a record up (whole, into the DLQ) an hour before the DynamoDB stream's 24 h retention trims it.
      RELAY_DEAD_LETTER_AFTER_SECONDS: String(config.relayDeadLetterAfterSeconds),
    });
    data.eventsStream.grantWrite(outboxRelay);
    // Latency-critical: every command waits on this hop before anyone sees the event; no batching window.
    new FanOutConsumer(this, 'OutboxRelayMapping', {
      function: outboxRelay, source: { dynamoTable: store.eventsTable }, deadLetterQueue: data.failureQueues.outboxRelay,
      // A relay failure delays every consumer: retry until the record's maximum age (the relay itself
      // dead-letters it whole at config.relayDeadLetterAfterSeconds; the mapping's own pointer is the backstop).
      retryAttempts: 10_000, maxRecordAge: Duration.hours(24),
    });
    Validations.of(outboxRelay).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'The DynamoDB stream mapping needs dynamodb:ListStreams, which has no resource-level permissions; every other action is on the table stream ARN.',
    });

    const projector = fn('Projector', 'projector', 'CQRS projection: account events to balances and transactions', {
      ...readModelEnv, EVENT_STORE_TABLE_NAME: store.eventsTable.tableName, DLQ_URL: data.failureQueues.projector.queueUrl,
    });
    grantTableActions(data.balancesTable, projector, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem']);
    grantTableActions(data.transactionsTable, projector, ['dynamodb:PutItem']);
    grantTableActions(store.eventsTable, projector, ['dynamodb:Query']);
    // Read-your-writes matters for GET /accounts after a command: no batching window.
    new FanOutConsumer(this, 'ProjectorMapping', {
      function: projector, source: { kinesisStream: data.eventsStream }, deadLetterQueue: data.failureQueues.projector,
    });

    const notifier = fn('Notifier', 'notifier', 'Event notification: thin event in, details from the store, message to the notifications queue', {
      ...storeEnv, NOTIFICATIONS_QUEUE_URL: data.notifications.queue.queueUrl, DLQ_URL: data.failureQueues.notifier.queueUrl,
    });
    grantEventStoreRead(store, notifier);
    data.notifications.queue.grantSendMessages(notifier);
    // Notifications tolerate seconds of delay; a 2 s window turns many small invocations into few full ones.
    new FanOutConsumer(this, 'NotifierMapping', {
      function: notifier, source: { kinesisStream: data.eventsStream }, deadLetterQueue: data.failureQueues.notifier,
      maxBatchingWindow: Duration.seconds(2),
    });

    const stateTransfer = fn('StateTransfer', 'state-transfer', 'Event-carried state transfer: full account state to the FIFO queue', {
      ...storeEnv, STATE_TRANSFER_QUEUE_URL: data.stateTransfer.queue.queueUrl, DLQ_URL: data.failureQueues.stateTransfer.queueUrl,
    });
    grantEventStoreRead(store, stateTransfer);
    data.stateTransfer.queue.grantSendMessages(stateTransfer);
    // The replica should follow within about a second; a 1 s window batches bursts on one account.
    new FanOutConsumer(this, 'StateTransferMapping', {
      function: stateTransfer, source: { kinesisStream: data.eventsStream }, deadLetterQueue: data.failureQueues.stateTransfer,
      maxBatchingWindow: Duration.seconds(1),
    });

    const fraudDetector = fn('FraudDetector', 'fraud-detector', 'Stateful stream processing: per-card windows, FraudSuspected events', {
      ...streamEnv, ...eventTimeEnv, FRAUD_WINDOWS_TABLE_NAME: data.fraudWindowsTable.tableName,
      FRAUD_WINDOW_SECONDS: '300', FRAUD_MAX_SWIPES: '5', FRAUD_MAX_COUNTRIES: '1', DLQ_URL: data.failureQueues.fraudDetector.queueUrl,
    });
    grantTableActions(data.fraudWindowsTable, fraudDetector, ['dynamodb:GetItem', 'dynamodb:PutItem']);
    data.eventsStream.grantWrite(fraudDetector);
    // Card swipes arrive in bursts; a 1 s window lets one invocation see a whole burst per card.
    new FanOutConsumer(this, 'FraudDetectorMapping', {
      function: fraudDetector, source: { kinesisStream: data.eventsStream }, deadLetterQueue: data.failureQueues.fraudDetector,
      maxBatchingWindow: Duration.seconds(1),
    });

    // Queue consumers.
    const worker = fn('NotificationWorker', 'notification-worker', 'Delivers notifications (webhook) and records each delivery', {
      DELIVERIES_TABLE_NAME: data.deliveriesTable.tableName,
      IDEMPOTENCY_TABLE_NAME: data.idempotencyTable.tableName,
      // A replay from the events stream re-sends notifications of any record it still holds: remember
      // deliveries at least that long, so a replay inside retention never posts a webhook twice.
      IDEMPOTENCY_WINDOW_SECONDS: String(Math.max(config.streamRetention.toSeconds(), Duration.hours(24).toSeconds())),
      DLQ_URL: data.notifications.deadLetterQueue.queueUrl,
      // On this receive a failed delivery goes to the DLQ with reason delivery_failed (the queue's redrive count).
      MAX_RECEIVE_COUNT: String(data.notifications.maxReceiveCount),
      ...(config.webhookUrl ? { WEBHOOK_URL: config.webhookUrl } : {}),
    }, Duration.seconds(config.notificationWorkerTimeoutSeconds));
    if (config.webhookUrl) this.addWebhookSecret(worker, config);
    // An invalid message is moved to the DLQ at once, with the reason; SQS's redrive only counts receives.
    data.notifications.deadLetterQueue.grantSendMessages(worker);
    grantTableActions(data.deliveriesTable, worker, ['dynamodb:PutItem']);
    grantTableActions(data.idempotencyTable, worker, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']);
    // 10 per batch bounds the work lost to one slow webhook; concurrency 5 protects the webhook.
    worker.addEventSource(new sources.SqsEventSource(data.notifications.queue, {
      batchSize: 10, reportBatchItemFailures: true, maxConcurrency: 5,
    }));

    const replica = fn('Replica', 'replica', 'Applies account state to the replica table; newer version wins', {
      REPLICA_TABLE_NAME: data.replicaTable.tableName, DLQ_URL: data.stateTransfer.deadLetterQueue.queueUrl,
    }, QUEUE_CONSUMER_TIMEOUTS.replica);
    data.stateTransfer.deadLetterQueue.grantSendMessages(replica);
    grantTableActions(data.replicaTable, replica, ['dynamodb:PutItem']);
    // FIFO: no batching window is allowed; 10 messages span several account groups at once.
    replica.addEventSource(new sources.SqsEventSource(data.stateTransfer.queue, {
      batchSize: 10, reportBatchItemFailures: true, maxConcurrency: 2,
    }));

    this.api = new IngestionApi(this, 'Api', {
      stage: config.stage, ingestFunction: ingest, commandFunction: command, queryFunction: query, firewall: config.waf,
      logRetention: config.logRetentionDays, logRemovalPolicy: config.removalPolicy,
    });

    this.functions = {
      ingest, command, query, outboxRelay, projector, notifier, stateTransfer, fraudDetector, notificationWorker: worker, replica,
    };
    // Keyed by folder under lambdas/: alarm names, and the service dimension of each function's metrics.
    const observability = new Observability(this, 'Observability', {
      stage: config.stage,
      dashboard: config.dashboard,
      ...(config.alarmEmail ? { alarmEmail: config.alarmEmail } : {}),
      functions: {
        ingest, command, query, 'outbox-relay': outboxRelay, projector, notifier, 'state-transfer': stateTransfer,
        'fraud-detector': fraudDetector, 'notification-worker': worker, replica,
      },
      streamConsumers: { 'outbox-relay': outboxRelay, projector, notifier, 'state-transfer': stateTransfer, 'fraud-detector': fraudDetector },
      deadLetterQueues: {
        'outbox-relay': data.failureQueues.outboxRelay,
        projector: data.failureQueues.projector,
        notifier: data.failureQueues.notifier,
        'state-transfer': data.failureQueues.stateTransfer,
        'fraud-detector': data.failureQueues.fraudDetector,
        notifications: data.notifications.deadLetterQueue,
        'state-transfer-fifo': data.stateTransfer.deadLetterQueue,
      },
      // A message moves to its DLQ after 5 receives, 6 timeouts apart: past these ages it has failed
      // several deliveries already (the notification worker waits on webhooks; the replica is one write).
      workQueues: {
        notifications: { queue: data.notifications.queue, maxAge: Duration.minutes(10) },
        'state-transfer': { queue: data.stateTransfer.queue, maxAge: Duration.minutes(5) },
      },
      api: this.api.api,
      apiAccessLogs: this.api.accessLogs,
      stream: data.eventsStream,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.api.url, description: 'Base URL of the sluice API' });
    new CfnOutput(this, 'ApiKeyId', {
      value: this.api.apiKey.keyId,
      description: 'Id of the API key; its value: aws apigateway get-api-key --include-value --api-key <id>',
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: observability.topic.topic.topicArn, description: 'SNS topic of every alarm and recovery: subscribe on-call endpoints to it' });
    if (observability.dashboardUrl) new CfnOutput(this, 'DashboardUrl', { value: observability.dashboardUrl, description: 'This stage\'s CloudWatch dashboard' });
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
      arnVariable: 'WEBHOOK_SECRET_ARN',
      notRotatedBecause: 'A new key must reach the webhook receiver out of band before the worker signs with it; rotating is an operator action (docs/consumers.md).',
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
      notRotatedBecause: 'Rotating the key ends every outstanding cursor (a 400 that tells the client to start again); it is an operator action (docs/input-rules.md), not a schedule.',
      output: { id: 'CursorKeySecretArn', description: 'ARN of the cursor signing key; rotate it with aws secretsmanager put-secret-value --secret-id <arn>' },
    });
  }

  /**
   * A generated 48-character secret that one function alone may read (GetSecretValue/DescribeSecret
   * on it), handed its ARN in `arnVariable`, kept on prod like the tables, with its ARN as an output.
   * The construct id is the secret's logical id: changing it replaces the key.
   */
  private addFunctionSecret(id: string, reader: lambda.Function, config: SluiceConfig, props: {
    readonly description: string;
    readonly arnVariable: string;
    /** Why the secret has no rotation schedule (cdk-nag AwsSolutions-SMG4). */
    readonly notRotatedBecause: string;
    readonly output: { readonly id: string; readonly description: string };
  }): void {
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
      api.acknowledge({ id: 'AwsSolutions-APIG3', reason: 'Left out with -c waf=false, for LocalStack community only, whose CloudFormation lacks the WAFv2 types.' });
    }
    api.acknowledge({ id: 'AwsSolutions-APIG4', reason: 'DESIGN.md specifies API key access for this service-to-service ingestion API.' });
    api.acknowledge({ id: 'AwsSolutions-COG4', reason: 'DESIGN.md specifies API key access; there are no end users to put in a Cognito pool.' });
    api.acknowledge({
      id: 'AwsSolutions-APIG6',
      reason: 'Execution logging needs an account-wide API Gateway CloudWatch role that would clash between stages; access logs and metrics are on.',
    });
  }
}

import { Duration } from 'aws-cdk-lib';
import { ACCOUNT_EVENT_TYPES, ACCOUNT_STATE_CHANGED_TYPE, HISTORICAL_ACCOUNT_EVENT_TYPES } from '../../lambdas/domain/accounts/events';
import { CARD_EVENT_TYPES } from '../../lambdas/domain/cards/events';
import { NOTIFIABLE_TYPES } from '../../lambdas/domain/integration';
import { FRAUD_DETECTOR_ENV } from '../../lambdas/fraud-detector/environment';
import { NOTIFICATION_WORKER_ENV } from '../../lambdas/notification-worker/environment';
import { NOTIFIER_ENV } from '../../lambdas/notifier/environment';
import { OUTBOX_RELAY_ENV } from '../../lambdas/outbox-relay/environment';
import { PROJECTOR_ENV } from '../../lambdas/projector/environment';
import { REPLICA_ENV } from '../../lambdas/replica/environment';
import { STATE_TRANSFER_ENV } from '../../lambdas/state-transfer/environment';
import { grantEventStoreRead } from '../event-store';
import { grantTableActions } from '../grants';
import type { QueueWithDlq } from '../queue-with-dlq';
import { type ConsumerData, type ConsumerDefinition, defineConsumer } from './consumer-definition';

/** The contract of a consumer that folds accounts from the event store and sends a message per event to a work queue. */
type StoreToQueueContract = Readonly<Record<'eventStoreTableName' | 'snapshotTableName' | 'queueUrl' | 'dlqUrl', string>>;

/** Environment and grants of such a consumer (the notifier, the state transfer): read the store, send to `queue`. */
function readsStoreSendsTo(
  contract: StoreToQueueContract,
  queue: (data: ConsumerData) => QueueWithDlq,
): Pick<ConsumerDefinition<StoreToQueueContract>, 'environment' | 'grants'> {
  return {
    environment: {
      contract,
      values: ({ data, deadLetterQueue }) => ({
        eventStoreTableName: data.eventStore.eventsTable.tableName,
        snapshotTableName: data.eventStore.snapshotsTable.tableName,
        queueUrl: queue(data).queue.queueUrl,
        dlqUrl: deadLetterQueue.queueUrl,
      }),
    },
    grants: (fn, { data }) => {
      grantEventStoreRead(data.eventStore, fn);
      // A batch's stored counterparts (the trust check) read by key in one call (see batchReadDeps).
      grantTableActions(data.eventStore.eventsTable, fn, ['dynamodb:BatchGetItem']);
      queue(data).queue.grantSendMessages(fn);
    },
  };
}

const ACCOUNT_EVENTS = [...Object.values(ACCOUNT_EVENT_TYPES), ...Object.values(HISTORICAL_ACCOUNT_EVENT_TYPES)];

/**
 * Every consumer of the pipeline, one entry each. The stateful stack makes their DLQs and work
 * queues from it, the stateless stack one `StreamConsumer` per entry (function, mapping, DLQ wiring,
 * alarms, outputs), and the infra tests iterate over it. Adding a consumer = one entry here plus its
 * handler folder (docs/adding-a-consumer.md).
 */
export const CONSUMERS: readonly ConsumerDefinition[] = [
  defineConsumer({
    name: 'outbox-relay',
    description: 'Event store stream (the outbox) to the events stream, in order per account',
    source: { kind: 'event-store-stream' },
    environment: {
      contract: OUTBOX_RELAY_ENV,
      values: ({ data, config, deadLetterQueue }) => ({
        eventsStreamName: data.eventsStream.streamName,
        // Give a record up (whole, into the DLQ) an hour before the DynamoDB stream's 24 h retention trims it.
        deadLetterAfterSeconds: String(config.relayDeadLetterAfterSeconds),
        dlqUrl: deadLetterQueue.queueUrl,
      }),
    },
    grants: (fn, { data }) => data.eventsStream.grantWrite(fn),
    // Latency-critical: every command waits on this hop before anyone sees the event; no batching window.
    // A relay failure delays every consumer: retry until the record's maximum age (the relay itself
    // dead-letters it whole at config.relayDeadLetterAfterSeconds; the mapping's own pointer is the backstop).
    // 500 records is one full PutRecords call: a burst crosses in a fifth of the invocations that the default 100 takes.
    mapping: { batchSize: 500, retryAttempts: 10_000, maxRecordAge: Duration.hours(24) },
    dlq: 'standard',
    eventTypes: ACCOUNT_EVENTS,
  }),
  defineConsumer({
    name: 'projector',
    description: 'CQRS projection: account events to balances and transactions',
    source: { kind: 'events-stream' },
    environment: {
      contract: PROJECTOR_ENV,
      values: ({ data, deadLetterQueue }) => ({
        balancesTableName: data.balancesTable.tableName,
        transactionsTableName: data.transactionsTable.tableName,
        eventStoreTableName: data.eventStore.eventsTable.tableName,
        dlqUrl: deadLetterQueue.queueUrl,
      }),
    },
    grants: (fn, { data }) => {
      // One batch read of the balance rows, guarded puts (alone or in a TransactWriteItems, which IAM
      // authorizes by its actions); the transaction rows (facts) in batch writes or in that transaction.
      grantTableActions(data.balancesTable, fn, ['dynamodb:BatchGetItem', 'dynamodb:PutItem']);
      grantTableActions(data.transactionsTable, fn, ['dynamodb:BatchWriteItem', 'dynamodb:PutItem']);
      // The delivered events read by key (BatchGetItem) or by a Query of a run of versions, a gap by Query, or checked in the transaction (ConditionCheckItem).
      grantTableActions(data.eventStore.eventsTable, fn, ['dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem']);
    },
    // Read-your-writes matters for GET /accounts after a command: no batching window.
    dlq: 'standard',
    eventTypes: ACCOUNT_EVENTS,
  }),
  defineConsumer({
    name: 'notifier',
    description: 'Event notification: thin event in, details from the store, message to the notifications queue',
    source: { kind: 'events-stream' },
    ...readsStoreSendsTo(NOTIFIER_ENV, (data) => data.notifications),
    // Notifications tolerate seconds of delay; a 2 s window turns many small invocations into few full ones.
    mapping: { maxBatchingWindow: Duration.seconds(2) },
    dlq: 'standard',
    eventTypes: NOTIFIABLE_TYPES,
  }),
  defineConsumer({
    name: 'state-transfer',
    description: 'Event-carried state transfer: full account state to the FIFO queue',
    source: { kind: 'events-stream' },
    // The StateTransfer work queue owns `StateTransferDlqUrl`.
    outputId: 'StateTransferConsumer',
    ...readsStoreSendsTo(STATE_TRANSFER_ENV, (data) => data.stateTransfer),
    // The replica should follow within about a second; a 1 s window batches bursts on one account.
    mapping: { maxBatchingWindow: Duration.seconds(1) },
    dlq: 'standard',
    eventTypes: ACCOUNT_EVENTS,
  }),
  defineConsumer({
    name: 'fraud-detector',
    description: 'Stateful stream processing: per-card windows, FraudSuspected events',
    source: { kind: 'events-stream' },
    environment: {
      contract: FRAUD_DETECTOR_ENV,
      values: ({ data, config, deadLetterQueue }) => ({
        eventsStreamName: data.eventsStream.streamName,
        fraudWindowsTableName: data.fraudWindowsTable.tableName,
        windowSeconds: '300',
        maxSwipes: '5',
        maxCountries: '1',
        // Input rules: the function that windows event times uses the stage's bounds, like ingest.
        eventTimePastDays: String(config.eventTimePastDays),
        eventTimeFutureMinutes: String(config.eventTimeFutureMinutes),
        dlqUrl: deadLetterQueue.queueUrl,
      }),
    },
    grants: (fn, { data }) => {
      grantTableActions(data.fraudWindowsTable, fn, ['dynamodb:GetItem', 'dynamodb:PutItem']);
      data.eventsStream.grantWrite(fn);
    },
    // Card swipes arrive in bursts; a 1 s window lets one invocation see a whole burst per card.
    mapping: { maxBatchingWindow: Duration.seconds(1) },
    dlq: 'standard',
    eventTypes: [CARD_EVENT_TYPES.swiped],
  }),
  defineConsumer({
    name: 'notification-worker',
    description: 'Delivers notifications (webhook) and records each delivery',
    // A message moves to its DLQ after 5 receives, 6 timeouts apart: past 10 minutes it has failed
    // several deliveries already (the worker waits on webhooks).
    source: { kind: 'queue', queue: { id: 'Notifications', oldestMessageAlarmAge: Duration.minutes(10) } },
    environment: {
      contract: NOTIFICATION_WORKER_ENV,
      values: ({ data, config, deadLetterQueue }) => ({
        deliveriesTableName: data.deliveriesTable.tableName,
        idempotencyTableName: data.idempotencyTable.tableName,
        // A replay from the events stream re-sends notifications of any record it still holds: remember
        // deliveries at least that long, so a replay inside retention never posts a webhook twice.
        idempotencyWindowSeconds: String(Math.max(config.streamRetention.toSeconds(), Duration.hours(24).toSeconds())),
        // On this receive a failed delivery goes to the DLQ with reason delivery_failed (the queue's redrive count).
        maxReceiveCount: String(data.notifications.maxReceiveCount),
        webhookUrl: config.webhookUrl,
        // Set with the webhook URL by the stateless stack, which makes the signing key's secret.
        webhookSecretArn: undefined,
        webhookSecret: undefined,
        dlqUrl: deadLetterQueue.queueUrl,
      }),
    },
    grants: (fn, { data }) => {
      grantTableActions(data.deliveriesTable, fn, ['dynamodb:PutItem']);
      grantTableActions(data.idempotencyTable, fn, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']);
    },
    // 10 per batch bounds the work lost to one slow webhook; concurrency 5 protects the webhook.
    mapping: { batchSize: 10, maxConcurrency: 5 },
    dlq: 'standard',
    eventTypes: NOTIFIABLE_TYPES,
    timeout: (config) => Duration.seconds(config.notificationWorkerTimeoutSeconds),
  }),
  defineConsumer({
    name: 'replica',
    description: 'Applies account state to the replica table; newer version wins',
    // Group = account, explicit deduplication ids (account#version): two snapshots of one version are one state.
    // Past 5 minutes the oldest message has failed several deliveries (the replica is one write).
    source: { kind: 'queue', queue: { id: 'StateTransfer', oldestMessageAlarmAge: Duration.minutes(5) } },
    environment: {
      contract: REPLICA_ENV,
      values: ({ data, deadLetterQueue }) => ({ replicaTableName: data.replicaTable.tableName, dlqUrl: deadLetterQueue.queueUrl }),
    },
    grants: (fn, { data }) => grantTableActions(data.replicaTable, fn, ['dynamodb:PutItem']),
    // FIFO: no batching window is allowed; 10 messages span several account groups at once.
    mapping: { batchSize: 10, maxConcurrency: 2 },
    dlq: 'fifo',
    eventTypes: [ACCOUNT_STATE_CHANGED_TYPE],
    timeout: (config) => Duration.seconds(config.replicaTimeoutSeconds),
  }),
];

import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { SluiceConfig } from './config';
import { dataTable } from './data-table';
import { QUEUE_CONSUMER_TIMEOUTS } from './defaults';
import { EventStore } from './event-store';
import { EventStream } from './event-stream';
import { FailureQueue, QueueWithDlq } from './queue-with-dlq';

export interface StatefulStackProps extends StackProps {
  readonly config: SluiceConfig;
}

/** The on-failure DLQ of each stream consumer. */
export interface ConsumerFailureQueues {
  readonly outboxRelay: sqs.IQueue;
  readonly projector: sqs.IQueue;
  readonly notifier: sqs.IQueue;
  readonly stateTransfer: sqs.IQueue;
  readonly fraudDetector: sqs.IQueue;
}

/**
 * Everything that holds data: tables, the stream and the queues. Deployed separately from the
 * functions so code changes never replace data; on the prod stage every resource is retained.
 */
export class StatefulStack extends Stack {
  public readonly eventStore: EventStore;
  public readonly balancesTable: dynamodb.Table;
  public readonly transactionsTable: dynamodb.Table;
  public readonly replicaTable: dynamodb.Table;
  public readonly deliveriesTable: dynamodb.Table;
  public readonly fraudWindowsTable: dynamodb.Table;
  public readonly idempotencyTable: dynamodb.Table;
  /** Idempotency-Key records of the command API (Powertools layout), apart from the worker's: each function its own table. */
  public readonly commandIdempotencyTable: dynamodb.Table;
  public readonly eventsStream: kinesis.Stream;
  public readonly notifications: QueueWithDlq;
  public readonly stateTransfer: QueueWithDlq;
  public readonly failureQueues: ConsumerFailureQueues;

  public constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { removalPolicy } = props.config;

    this.eventStore = new EventStore(this, 'EventStore', { removalPolicy });

    const readModel = new Construct(this, 'ReadModel');
    this.balancesTable = dataTable(readModel, 'Balances', { partitionKey: 'accountId', removalPolicy });
    this.transactionsTable = dataTable(readModel, 'Transactions', {
      partitionKey: 'accountId',
      sortKey: { name: 'version', type: dynamodb.AttributeType.NUMBER },
      removalPolicy,
    });
    this.replicaTable = dataTable(this, 'Replica', { partitionKey: 'accountId', removalPolicy });
    this.deliveriesTable = dataTable(this, 'Deliveries', { partitionKey: 'notificationId', removalPolicy });
    this.fraudWindowsTable = dataTable(this, 'FraudWindows', { partitionKey: 'cardId', timeToLiveAttribute: 'expiresAt', removalPolicy });
    // Powertools idempotency layout: key `id`, TTL `expiration`.
    this.idempotencyTable = dataTable(this, 'Idempotency', { partitionKey: 'id', timeToLiveAttribute: 'expiration', removalPolicy });
    this.commandIdempotencyTable = dataTable(this, 'CommandIdempotency', { partitionKey: 'id', timeToLiveAttribute: 'expiration', removalPolicy });

    this.eventsStream = new EventStream(this, 'Events', {
      ...(props.config.shardCount === undefined ? {} : { shardCount: props.config.shardCount }),
      retention: props.config.streamRetention,
      removalPolicy,
    }).stream;

    this.notifications = new QueueWithDlq(this, 'Notifications', {
      consumerTimeout: Duration.seconds(props.config.notificationWorkerTimeoutSeconds),
      removalPolicy,
    });
    // Explicit deduplication ids (account#version) rather than content-based: two different
    // snapshots of the same version are the same state and must collapse into one message.
    this.stateTransfer = new QueueWithDlq(this, 'StateTransfer', {
      consumerTimeout: QUEUE_CONSUMER_TIMEOUTS.replica,
      fifo: true,
      removalPolicy,
    });

    const failures = new Construct(this, 'ConsumerFailures');
    this.failureQueues = {
      outboxRelay: new FailureQueue(failures, 'OutboxRelay', { removalPolicy }).queue,
      projector: new FailureQueue(failures, 'Projector', { removalPolicy }).queue,
      notifier: new FailureQueue(failures, 'Notifier', { removalPolicy }).queue,
      stateTransfer: new FailureQueue(failures, 'StateTransfer', { removalPolicy }).queue,
      fraudDetector: new FailureQueue(failures, 'FraudDetector', { removalPolicy }).queue,
    };

    this.addOutputs();

    Validations.of(failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'These queues are the on-failure destinations (DLQs) of the stream event source mappings: the last stop, so they have no DLQ of their own.',
    });
    Validations.of(this.eventsStream).acknowledge({
      id: 'AwsSolutions-KDS3',
      reason: 'The AWS managed key (aws/kinesis) encrypts at rest without KMS grants on every producer and consumer, keeping IAM free of kms: wildcard actions.',
    });
  }

  /** Physical names for the CLI, the tests and the local cloud (read from `cdk deploy --outputs-file`). */
  private addOutputs(): void {
    const outputs: Record<string, string> = {
      EventStoreTableName: this.eventStore.eventsTable.tableName,
      SnapshotTableName: this.eventStore.snapshotsTable.tableName,
      BalancesTableName: this.balancesTable.tableName,
      TransactionsTableName: this.transactionsTable.tableName,
      ReplicaTableName: this.replicaTable.tableName,
      DeliveriesTableName: this.deliveriesTable.tableName,
      FraudWindowsTableName: this.fraudWindowsTable.tableName,
      IdempotencyTableName: this.idempotencyTable.tableName,
      CommandIdempotencyTableName: this.commandIdempotencyTable.tableName,
      EventsStreamName: this.eventsStream.streamName,
      NotificationsQueueUrl: this.notifications.queue.queueUrl,
      NotificationsDlqUrl: this.notifications.deadLetterQueue.queueUrl,
      StateTransferQueueUrl: this.stateTransfer.queue.queueUrl,
      StateTransferDlqUrl: this.stateTransfer.deadLetterQueue.queueUrl,
      OutboxRelayDlqUrl: this.failureQueues.outboxRelay.queueUrl,
      ProjectorDlqUrl: this.failureQueues.projector.queueUrl,
      NotifierDlqUrl: this.failureQueues.notifier.queueUrl,
      StateTransferConsumerDlqUrl: this.failureQueues.stateTransfer.queueUrl,
      FraudDetectorDlqUrl: this.failureQueues.fraudDetector.queueUrl,
    };
    for (const [id, value] of Object.entries(outputs)) new CfnOutput(this, id, { value });
  }
}

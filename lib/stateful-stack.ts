import { CfnOutput, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { SluiceConfig } from './config';
import { dataTable } from './data-table';
import { FUNCTION_DEFAULTS } from './defaults';
import type { ConsumerDefinition } from './consumers/consumer-definition';
import { consumerConstructId, consumerOutputNames, workQueueOutputNames } from './consumers/consumer-names';
import { CONSUMERS } from './consumers/registry';
import { EventStore } from './event-store';
import { EventStream } from './event-stream';
import { FailureQueue, QueueWithDlq } from './queue-with-dlq';

export interface StatefulStackProps extends StackProps {
  readonly config: SluiceConfig;
  /** The consumers whose DLQs and work queues this stack makes. @default CONSUMERS (lib/consumers/registry.ts) */
  readonly consumers?: readonly ConsumerDefinition[];
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
  /** The work queues of the queue consumers (each with its DLQ), by the queue id in their registry entry. */
  public readonly workQueues: Readonly<Record<string, QueueWithDlq>>;
  /** The notifier's messages to the notification worker. */
  public readonly notifications: QueueWithDlq;
  /** The state-transfer function's FIFO messages to the replica (group = account, deduplication id = account#version). */
  public readonly stateTransfer: QueueWithDlq;
  /** The on-failure DLQ of each stream consumer, by its name in the registry. */
  public readonly failureQueues: Readonly<Record<string, sqs.IQueue>>;
  private readonly consumerOutputs: Record<string, string> = {};

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

    const consumers = props.consumers ?? CONSUMERS;
    this.workQueues = this.makeWorkQueues(consumers, props.config);
    this.notifications = this.requireWorkQueue('Notifications');
    this.stateTransfer = this.requireWorkQueue('StateTransfer');
    const failures = new Construct(this, 'ConsumerFailures');
    this.failureQueues = Object.fromEntries(
      consumers
        .filter((consumer) => consumer.source.kind !== 'queue')
        .map((consumer) => {
          const queue = new FailureQueue(failures, consumerConstructId(consumer), { removalPolicy }).queue;
          this.consumerOutputs[consumerOutputNames(consumer).dlqUrl] = queue.queueUrl;
          return [consumer.name, queue];
        }),
    );

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

  /**
   * A work queue (with its DLQ) per queue consumer, FIFO when its entry's DLQ is; the visibility
   * timeout follows the consumer's timeout. Outputs `<id>QueueUrl` and `<id>DlqUrl`.
   */
  private makeWorkQueues(consumers: readonly ConsumerDefinition[], config: SluiceConfig): Record<string, QueueWithDlq> {
    const queues: Record<string, QueueWithDlq> = {};
    for (const consumer of consumers) {
      if (consumer.source.kind !== 'queue') continue;
      const { id } = consumer.source.queue;
      if (queues[id]) throw new Error(`work queue ${id} is read by two consumers; each queue consumer has its own queue (consumer ${consumer.name})`);
      queues[id] = new QueueWithDlq(this, id, {
        consumerTimeout: consumer.timeout?.(config) ?? FUNCTION_DEFAULTS.consumerTimeout,
        ...(consumer.dlq === 'fifo' ? { fifo: true } : {}),
        removalPolicy: config.removalPolicy,
      });
      const names = workQueueOutputNames(id);
      this.consumerOutputs[names.queueUrl] = queues[id].queue.queueUrl;
      this.consumerOutputs[names.dlqUrl] = queues[id].deadLetterQueue.queueUrl;
    }
    return queues;
  }

  private requireWorkQueue(id: string): QueueWithDlq {
    const queue = this.workQueues[id];
    if (!queue) throw new Error(`no consumer reads the ${id} work queue; the registry must keep its consumer (known: ${Object.keys(this.workQueues).join(', ')})`);
    return queue;
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
      ...this.consumerOutputs,
    };
    for (const [id, value] of Object.entries(outputs)) new CfnOutput(this, id, { value });
  }
}

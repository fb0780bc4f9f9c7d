import { Match } from 'aws-cdk-lib/assertions';
import { consumerOutputNames, workQueueOutputNames } from '../../lib/consumers/consumer-names';
import { CONSUMERS } from '../../lib/consumers/registry';
import { buildTestApp, synthTemplates } from './sluice-app.fixture';

const streamConsumers = CONSUMERS.filter((consumer) => consumer.source.kind !== 'queue');
/** Each queue consumer's work queue id, and whether it is FIFO. */
const workQueues = CONSUMERS.flatMap((consumer) => (consumer.source.kind === 'queue' ? [{ id: consumer.source.queue.id, fifo: consumer.dlq === 'fifo' }] : []));

describe('StatefulStack', () => {
  const { stateful, stateless } = synthTemplates();

  describe('event store', () => {
    it('keys events by streamId and version, streams NEW_IMAGE and has PITR', () => {
      stateful.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [
          { AttributeName: 'streamId', KeyType: 'HASH' },
          { AttributeName: 'version', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: Match.arrayWith([{ AttributeName: 'version', AttributeType: 'N' }]),
        StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
    });

    it('keeps snapshots in their own table keyed by streamId', () => {
      stateful.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [{ AttributeName: 'streamId', KeyType: 'HASH' }],
      });
    });
  });

  it('creates the read model, replica, deliveries, fraud window and idempotency tables', () => {
    const keys = Object.values(stateful.findResources('AWS::DynamoDB::Table')).map((t) =>
      t.Properties.KeySchema.map((k: { AttributeName: string }) => k.AttributeName).join('+'),
    );
    expect(keys.sort()).toEqual(['accountId', 'accountId', 'accountId+version', 'cardId', 'id', 'id', 'notificationId', 'streamId', 'streamId+version'].sort());
  });

  it('encrypts every table at rest, bills on demand and enables point-in-time recovery', () => {
    const tables = Object.values(stateful.findResources('AWS::DynamoDB::Table'));
    expect(tables).toHaveLength(9);
    for (const table of tables) {
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
    }
  });

  it.each([
    ['id', 'expiration'],
    ['cardId', 'expiresAt'],
  ])('expires %s items through the TTL attribute %s', (key, ttl) => {
    stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: ttl, Enabled: true },
    });
  });

  describe('events stream', () => {
    it('is on-demand and encrypted by default, with 24 h retention on dev', () => {
      stateful.hasResourceProperties('AWS::Kinesis::Stream', {
        StreamModeDetails: { StreamMode: 'ON_DEMAND' },
        StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
        RetentionPeriodHours: 24,
      });
    });

    it('uses provisioned shards and a longer retention when configured', () => {
      const { stateful: custom } = synthTemplates({ shardCount: 4, streamRetentionHours: 72 });
      custom.hasResourceProperties('AWS::Kinesis::Stream', {
        StreamModeDetails: { StreamMode: 'PROVISIONED' },
        ShardCount: 4,
        RetentionPeriodHours: 72,
      });
    });
  });

  describe('queues', () => {
    const queues = stateful.findResources('AWS::SQS::Queue');

    it('encrypts every queue and denies requests without TLS', () => {
      // A failure queue per stream consumer, a work queue and its DLQ per queue consumer.
      expect(Object.keys(queues)).toHaveLength(streamConsumers.length + 2 * workQueues.length);
      for (const queue of Object.values(queues)) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
      const policies = Object.values(stateful.findResources('AWS::SQS::QueuePolicy'));
      const securedQueues = policies.flatMap((p) => p.Properties.Queues.map((q: { Ref: string }) => q.Ref));
      expect(securedQueues.sort()).toEqual(Object.keys(queues).sort());
      for (const policy of policies) {
        expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
          expect.objectContaining({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        );
      }
    });

    it('gives the notifications and state-transfer queues a DLQ after 5 receives', () => {
      const redriven = Object.values(queues).filter((q) => q.Properties.RedrivePolicy);
      expect(redriven).toHaveLength(workQueues.length);
      for (const queue of redriven) expect(queue.Properties.RedrivePolicy.maxReceiveCount).toBe(5);
    });

    it('makes the state-transfer queue and its DLQ FIFO, with explicit deduplication ids', () => {
      const fifo = Object.values(queues).filter((q) => q.Properties.FifoQueue);
      expect(fifo).toHaveLength(2 * workQueues.filter((queue) => queue.fifo).length);
      for (const queue of fifo) expect(queue.Properties.ContentBasedDeduplication).toBeUndefined();
    });

    it('sets each consumed queue visibility timeout to at least 6x its consumer timeout', () => {
      const consumers = Object.values(stateless.findResources('AWS::Lambda::EventSourceMapping')).filter((m) =>
        JSON.stringify(m.Properties.EventSourceArn).includes('Queue'),
      );
      expect(consumers).toHaveLength(workQueues.length);
      const functions = stateless.findResources('AWS::Lambda::Function');
      for (const mapping of consumers) {
        const fn = functions[mapping.Properties.FunctionName.Ref];
        const exportName: string = mapping.Properties.EventSourceArn['Fn::ImportValue'];
        const queue = Object.entries(queues).find(([id]) => exportName.includes(id))?.[1];
        expect(queue).toBeDefined();
        expect(queue!.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * fn.Properties.Timeout);
      }
    });
  });

  describe('stages', () => {
    it('destroys data on dev', () => {
      for (const type of ['AWS::DynamoDB::Table', 'AWS::Kinesis::Stream', 'AWS::SQS::Queue']) {
        for (const resource of Object.values(stateful.findResources(type))) expect(resource.DeletionPolicy).toBe('Delete');
      }
    });

    it('retains every table, the stream and every queue on prod', () => {
      const { stateful: prod } = synthTemplates({ stage: 'prod' });
      for (const type of ['AWS::DynamoDB::Table', 'AWS::Kinesis::Stream', 'AWS::SQS::Queue']) {
        const resources = Object.values(prod.findResources(type));
        expect(resources.length).toBeGreaterThan(0);
        for (const resource of resources) expect(resource.DeletionPolicy).toBe('Retain');
      }
      prod.hasResourceProperties('AWS::Kinesis::Stream', { RetentionPeriodHours: 168 });
    });

    it.each([
      [{ stage: 'qa' }, /stage must be one of dev, prod \(got "qa"\)/],
      [{ snapshotEvery: 0 }, /snapshotEvery must be an integer from 1 to 10000 \(got "0"\)/],
      [{ shardCount: 'many' }, /shardCount must be an integer/],
    ])('rejects bad context %j with a message that shows the value', (context, message) => {
      expect(() => buildTestApp(context)).toThrow(message);
    });
  });

  it('outputs every resource name the CLI and the tests need', () => {
    const outputs = Object.keys(stateful.toJSON().Outputs).filter((name) => !name.startsWith('ExportsOutput'));
    expect(outputs.sort()).toEqual(
      [
        'BalancesTableName',
        'CommandIdempotencyTableName',
        'DeliveriesTableName',
        'EventStoreTableName',
        'EventsStreamName',
        'FraudWindowsTableName',
        'IdempotencyTableName',
        'ReplicaTableName',
        'SnapshotTableName',
        'TransactionsTableName',
        ...streamConsumers.map((consumer) => consumerOutputNames(consumer).dlqUrl),
        ...workQueues.flatMap(({ id }) => Object.values(workQueueOutputNames(id))),
      ].sort(),
    );
  });

  it('keeps the output names the CLI, the tests and deployed stages already use', () => {
    const outputs = Object.keys(stateful.toJSON().Outputs);
    expect(outputs).toEqual(
      expect.arrayContaining([
        'FraudDetectorDlqUrl',
        'NotificationsDlqUrl',
        'NotificationsQueueUrl',
        'NotifierDlqUrl',
        'OutboxRelayDlqUrl',
        'ProjectorDlqUrl',
        'StateTransferConsumerDlqUrl',
        'StateTransferDlqUrl',
        'StateTransferQueueUrl',
      ]),
    );
  });
});

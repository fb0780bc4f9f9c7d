/**
 * The local cloud's provisioning (local/provision.ts) creates streams and queues beside the tables,
 * not after them: DynamoDB Local's cold CreateTables are the slow part of a start, and the rest
 * need not wait for them. Shown without timing: while every CreateTable is refused (a fault rule on
 * the endpoint), the stream and the queue are still created, and the table's error is the one
 * `provision` throws.
 */
import { KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { useEmulatedEndpoint } from './support/emulated-endpoint';
import { LOCAL_CREDENTIALS, provision } from '../../local/provision';
import { localApp, localQueue, localTable } from '../support/factories/local-app';

const config = { region: 'us-east-1', credentials: LOCAL_CREDENTIALS };

describe('local provisioning', () => {
  const local = useEmulatedEndpoint({ classDataDir: false });

  it('creates the streams and queues even while the tables are refused, then throws the table error', async () => {
    local.endpoint.chaos.add([
      { service: 'dynamodb', operation: 'CreateTable', error: { statusCode: 400, code: 'ValidationException', message: 'held by the test' } },
    ]);
    const app = localApp({
      tables: [localTable('provision-balances')],
      streams: [
        {
          logicalId: 'EventsStream',
          stackName: 'stateful',
          streamName: 'provision-events',
          arn: 'arn:aws:kinesis:us-east-1:000000000000:stream/provision-events',
          shardCount: 1,
          retentionHours: 24,
        },
      ],
      queues: [localQueue('provision-work', { url: `${local.endpoint.url}/000000000000/provision-work` })],
    });

    await expect(provision(app, local.endpoint.url)).rejects.toThrow('held by the test');

    const kinesis = new KinesisClient({ ...config, endpoint: local.endpoint.url });
    const sqs = new SQSClient({ ...config, endpoint: local.endpoint.url });
    try {
      expect((await kinesis.send(new ListStreamsCommand({}))).StreamNames).toContain('provision-events');
      expect((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'provision-' }))).QueueUrls ?? []).toHaveLength(1);
    } finally {
      kinesis.destroy();
      sqs.destroy();
    }
  });
});

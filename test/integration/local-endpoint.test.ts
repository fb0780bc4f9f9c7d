import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  PutRecordsCommand,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DynamoDBClient,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand as GetStreamRecordsCommand,
  GetShardIteratorCommand as GetStreamShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { useEmulatedEndpoint } from './support/emulated-endpoint';

// The emulators and the endpoint, driven by unmodified SDK v3 clients (Kinesis on its default HTTP/2 handler).
const config = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

describe('local AWS endpoint', () => {
  const local = useEmulatedEndpoint();

  it('serves Kinesis PutRecords (500) and GetRecords to the default HTTP/2 client', async () => {
    const kinesis = new KinesisClient({ ...config, endpoint: local.endpoint.url });
    try {
      await kinesis.send(new CreateStreamCommand({ StreamName: 'events', ShardCount: 2 }));
      await waitUntilStreamExists({ client: kinesis, maxWaitTime: 20 }, { StreamName: 'events' });
      const records = Array.from({ length: 500 }, (_, i) => ({ PartitionKey: `key-${i}`, Data: Buffer.from(`record-${i}`) }));

      const put = await kinesis.send(new PutRecordsCommand({ StreamName: 'events', Records: records }));

      expect(put.FailedRecordCount).toBe(0);
      const shards = await kinesis.send(new ListShardsCommand({ StreamName: 'events' }));
      let received = 0;
      for (const shard of shards.Shards ?? []) {
        const iterator = await kinesis.send(new GetShardIteratorCommand({ StreamName: 'events', ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
        const out = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator.ShardIterator, Limit: 1000 }));
        received += out.Records?.length ?? 0;
      }
      expect(received).toBe(500);
    } finally {
      kinesis.destroy();
    }
  });

  it('serves DynamoDB conditional puts, transactions and the table stream', async () => {
    const dynamodb = new DynamoDBClient({ ...config, endpoint: local.endpoint.url });
    const streams = new DynamoDBStreamsClient({ ...config, endpoint: local.endpoint.url });
    try {
      const table = await dynamodb.send(
        new CreateTableCommand({
          TableName: 'store',
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: [
            { AttributeName: 'streamId', KeyType: 'HASH' },
            { AttributeName: 'version', KeyType: 'RANGE' },
          ],
          AttributeDefinitions: [
            { AttributeName: 'streamId', AttributeType: 'S' },
            { AttributeName: 'version', AttributeType: 'N' },
          ],
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
        }),
      );
      const append = (version: number) =>
        new PutItemCommand({
          TableName: 'store',
          Item: { streamId: { S: 'account#1' }, version: { N: String(version) } },
          ConditionExpression: 'attribute_not_exists(#v)',
          ExpressionAttributeNames: { '#v': 'version' },
        });
      await dynamodb.send(append(1));
      await expect(dynamodb.send(append(1))).rejects.toBeInstanceOf(ConditionalCheckFailedException);
      await dynamodb.send(
        new TransactWriteItemsCommand({
          TransactItems: [2, 3].map((v) => ({
            Put: { TableName: 'store', Item: { streamId: { S: 'account#1' }, version: { N: String(v) } }, ConditionExpression: 'attribute_not_exists(version)' },
          })),
        }),
      );
      const conflict = dynamodb.send(
        new TransactWriteItemsCommand({
          TransactItems: [3, 4].map((v) => ({
            Put: { TableName: 'store', Item: { streamId: { S: 'account#1' }, version: { N: String(v) } }, ConditionExpression: 'attribute_not_exists(version)' },
          })),
        }),
      );
      await expect(conflict).rejects.toBeInstanceOf(TransactionCanceledException);

      const streamArn = table.TableDescription?.LatestStreamArn;
      const description = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
      const shardId = description.StreamDescription?.Shards?.[0]?.ShardId;
      const iterator = await streams.send(new GetStreamShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }));
      const out = await streams.send(new GetStreamRecordsCommand({ ShardIterator: iterator.ShardIterator }));
      expect(out.Records?.map((r) => r.dynamodb?.NewImage?.version?.N)).toEqual(['1', '2', '3']);
    } finally {
      dynamodb.destroy();
      streams.destroy();
    }
  });

  it('serves SQS FIFO send and receive with queue URLs that point at the endpoint', async () => {
    const sqs = new SQSClient({ ...config, endpoint: local.endpoint.url });
    try {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'transfers.fifo', Attributes: { FifoQueue: 'true' } }));
      expect(QueueUrl).toBe(`http://localhost:${local.endpoint.port}/000000000000/transfers.fifo`);
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: [1, 2, 3].map((v) => ({ Id: `m${v}`, MessageBody: `v${v}`, MessageGroupId: 'account-1', MessageDeduplicationId: `account-1#${v}` })),
        }),
      );
      // A duplicate inside the deduplication window is accepted and dropped.
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: [{ Id: 'dup', MessageBody: 'v1', MessageGroupId: 'account-1', MessageDeduplicationId: 'account-1#1' }],
        }),
      );

      const bodies: string[] = [];
      // Long polls: each receive returns as soon as a message is there.
      for (let round = 0; bodies.length < 3 && round < 20; round++) {
        const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
        for (const message of out.Messages ?? []) {
          bodies.push(message.Body ?? '');
          await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle }));
        }
      }
      expect(bodies).toEqual(['v1', 'v2', 'v3']);
    } finally {
      sqs.destroy();
    }
  });

  it('refuses cross-site browser requests to the /_sluice tools, and answers settled 503 until a runtime is attached', async () => {
    const crossSite = await fetch(`${local.endpoint.url}/_sluice/chaos/faults`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'text/plain' },
      body: '[{"service":"sqs"}]',
    });
    expect(crossSite.status).toBe(403);
    expect(await crossSite.json()).toMatchObject({ error: 'cross_site_refused', message: expect.stringContaining('Origin: https://evil.example') });
    expect(local.endpoint.chaos.list()).toEqual([]);
    const refused = await fetch(`${local.endpoint.url}/_sluice/settled`, { headers: { 'sec-fetch-site': 'cross-site' } });
    expect(refused.status).toBe(403);

    const notReady = await fetch(`${local.endpoint.url}/_sluice/settled?timeout=0`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ error: 'not_ready' });
    local.endpoint.attachSettled(async ({ url }) => ({ status: 200, body: { settled: true, timeout: url.searchParams.get('timeout') } }));
    try {
      const settled = await fetch(`${local.endpoint.url}/_sluice/settled?timeout=7`);
      expect(await settled.json()).toEqual({ settled: true, timeout: '7' });
    } finally {
      local.endpoint.attachSettled(undefined);
    }
  });

  it('answers a request for an unknown service with a 400 naming the supported targets', async () => {
    const response = await fetch(local.endpoint.url, { method: 'POST', headers: { 'x-amz-target': 'Lambda.Invoke' }, body: '{}' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ message: expect.stringContaining('Kinesis_20131202') });
  });
});

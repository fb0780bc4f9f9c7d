import { randomUUID } from 'node:crypto';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { clients, output } from './target';

/** A table a test created for itself, and how to drop it. */
export interface ScratchTable {
  readonly tableName: string;
  drop(): Promise<void>;
}

/**
 * A new, empty table with the key schema of a stack table (read with DescribeTable, so it is
 * exactly what the stack deployed), but no stream: for tests that write what the pipeline must
 * never see, such as an event store stream with a gap, which the outbox would publish.
 *
 * @example
 * const table = await scratchCopyOf('EventStoreTableName'); … await table.drop();
 */
export async function scratchCopyOf(outputName: string): Promise<ScratchTable> {
  const tableName = `it-scratch-${outputName}-${randomUUID().slice(0, 8)}`;
  await withTableClient(async (client) => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: output(outputName) }));
    if (!Table?.KeySchema || !Table.AttributeDefinitions) throw new Error(`DescribeTable of ${output(outputName)} (${outputName}) gave no key schema`);
    await client.send(
      new CreateTableCommand({ TableName: tableName, KeySchema: Table.KeySchema, AttributeDefinitions: Table.AttributeDefinitions, BillingMode: 'PAY_PER_REQUEST' }),
    );
    await waitUntilTableExists({ client, maxWaitTime: 120 }, { TableName: tableName });
  });
  return { tableName, drop: () => withTableClient(async (client) => void (await client.send(new DeleteTableCommand({ TableName: tableName })))) };
}

/** The TTL attribute a stack table is set up with (DescribeTimeToLive), or `undefined` when TTL is off. */
export async function ttlAttributeOf(tableName: string): Promise<string | undefined> {
  const { TimeToLiveDescription } = await withTableClient((client) => client.send(new DescribeTimeToLiveCommand({ TableName: tableName })));
  const on = TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED' || TimeToLiveDescription?.TimeToLiveStatus === 'ENABLING';
  return on ? TimeToLiveDescription?.AttributeName : undefined;
}

/** One item as the table holds it (a consistent GetItem), to look past what an adapter's read returns. */
export async function rawItem(tableName: string, key: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
  const { Item } = await clients.dynamo.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
  return Item;
}

/** Runs control-plane calls on a client of their own, destroyed after, so no socket outlives the test file. */
async function withTableClient<T>(use: (client: DynamoDBClient) => Promise<T>): Promise<T> {
  const client = new DynamoDBClient({ region: process.env.AWS_REGION ?? 'us-east-1' });
  try {
    return await use(client);
  } finally {
    client.destroy();
  }
}

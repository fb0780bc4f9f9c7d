import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { clients, output } from './target';

/** A test-unique id, so suites sharing one deployment never touch each other's accounts or cards. */
export const uniqueId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** An account's items in the event store, in version order (a consistent read). */
export async function storedEvents(accountId: string): Promise<Record<string, any>[]> {
  const { Items = [] } = await clients.dynamo.send(new QueryCommand({
    TableName: output('EventStoreTableName'),
    KeyConditionExpression: 'streamId = :s',
    ExpressionAttributeValues: { ':s': `account#${accountId}` },
    ConsistentRead: true,
  }));
  return Items;
}

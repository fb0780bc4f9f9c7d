import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { clients, output } from './target';

/** An account's rows in the read model's transactions table, by version, read consistently. */
export async function transactionRows(accountId: string): Promise<Record<string, any>[]> {
  const { Items = [] } = await clients.dynamo.send(
    new QueryCommand({
      TableName: output('TransactionsTableName'),
      KeyConditionExpression: 'accountId = :accountId',
      ExpressionAttributeValues: { ':accountId': accountId },
      ConsistentRead: true,
    }),
  );
  return Items;
}

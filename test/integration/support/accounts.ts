import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { api, type ApiResponse } from './http';
import { waitSettled } from './settled';
import { clients, output } from './target';

/**
 * Every id the integration suites create starts with this, so their data can be told apart from
 * real data on a deployed stage: the event store is append-only, so test accounts cannot be
 * deleted after `npm run test:aws`; they stay, under this prefix, and nothing else is touched.
 */
export const TEST_ID_PREFIX = 'it-';

/** A test-unique id (`it-<prefix>-<time>-<random>`), so suites sharing one deployment never touch each other's accounts or cards. */
export const uniqueId = (prefix: string) => `${TEST_ID_PREFIX}${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** An account's items in the event store, in version order (a consistent read). */
export async function storedEvents(accountId: string): Promise<Record<string, any>[]> {
  const { Items = [] } = await clients.dynamo.send(
    new QueryCommand({
      TableName: output('EventStoreTableName'),
      KeyConditionExpression: 'streamId = :s',
      ExpressionAttributeValues: { ':s': `account#${accountId}` },
      ConsistentRead: true,
    }),
  );
  return Items;
}

/**
 * `GET /accounts/{id}` once the pipeline has settled, which must then show exactly `version` (a
 * read model past it, e.g. an event applied twice, fails as much as one behind it).
 */
export function readModelAt(accountId: string, version: number): Promise<ApiResponse> {
  return waitSettled({
    probe: () => api('GET', `/accounts/${accountId}`),
    until: (r) => r.status === 200 && r.body.version === version,
    what: `read model of ${accountId} at version ${version}`,
  });
}

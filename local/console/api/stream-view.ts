/**
 * `GET streams/<streamId>`: one event-store stream's events, their fold (the CLI replay's
 * `foldAccounts`, i.e. the domain's own projection), the read-model row, and how they compare.
 * Reads the tables straight from the emulator, consistently.
 */
import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { foldAccounts } from '../../../cli/commands/replay';
import { ACCOUNT_STREAM_PREFIX } from '../../../lambdas/domain/replay';
import type { StreamAnswer } from '../contract';
import { compareFold } from './fold-compare';
import { notFound } from './refusal';

/** Events a stream view reads at most. */
export const STREAM_VIEW_LIMIT = 1000;

/** The tables a stream view reads, by their output names' values. */
export interface StreamTables {
  readonly eventStore: string;
  readonly balances: string;
}

/**
 * The stream, folded and compared with its read-model row.
 *
 * @throws ConsoleRefusal 404 when the store holds no event of that stream
 */
export async function streamView(dynamo: DynamoDBDocumentClient, tables: StreamTables, streamId: string): Promise<StreamAnswer> {
  const items = await readStream(dynamo, tables.eventStore, streamId);
  if (items.length === 0) throw notFound(`the event store holds no stream ${JSON.stringify(streamId)}; account streams are ${ACCOUNT_STREAM_PREFIX}<accountId>`);
  const events = items.map((item) => ({
    version: Number(item.version),
    eventId: String(item.eventId),
    type: String(item.type),
    time: String(item.time),
    data: item.data,
    ...traceparentOf(item),
  }));
  const { rebuilt, failures } = foldAccounts(items);
  const account = rebuilt[0];
  const foldError = account
    ? undefined
    : (failures[0]?.error ?? `only account streams (${ACCOUNT_STREAM_PREFIX}<accountId>) fold; ${JSON.stringify(streamId)} is another kind of stream`);
  const accountId = account?.accountId ?? (streamId.startsWith(ACCOUNT_STREAM_PREFIX) ? streamId.slice(ACCOUNT_STREAM_PREFIX.length) : undefined);
  const readModel = accountId ? await readRow(dynamo, tables.balances, accountId) : undefined;
  return {
    streamId,
    events,
    folded: account ? { ...account.balance } : null,
    ...(foldError ? { foldError } : {}),
    readModel: readModel ?? null,
    ...compareFold(account?.balance, readModel),
  };
}

async function readStream(dynamo: DynamoDBDocumentClient, table: string, streamId: string): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'streamId = :s',
        ExpressionAttributeValues: { ':s': streamId },
        ConsistentRead: true,
        ExclusiveStartKey: start,
        Limit: STREAM_VIEW_LIMIT - items.length,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start && items.length < STREAM_VIEW_LIMIT);
  return items;
}

async function readRow(dynamo: DynamoDBDocumentClient, table: string, accountId: string): Promise<Record<string, unknown> | undefined> {
  return (await dynamo.send(new GetCommand({ TableName: table, Key: { accountId }, ConsistentRead: true }))).Item;
}

/** The event's `traceparent`, when the store kept one in its metadata. */
function traceparentOf(item: Record<string, unknown>): { traceparent?: string } {
  const traceparent = (item.metadata as { traceparent?: unknown } | undefined)?.traceparent;
  return typeof traceparent === 'string' ? { traceparent } : {};
}

import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, type QueryCommandInput, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mapWithConcurrency } from '../batch/bounded-concurrency';
import { batchGetItems } from '../dynamodb-batch';
import { isConditionalCheckFailure } from '../dynamodb-errors';
import { ClaimTakenError, VersionConflictError } from './errors';
import type { AppendClaim, ClaimableEventStore, NewStoredEvent, ReadStreamOptions, StoredEvent, StoredEventBatchReader, StoredEventKey } from './port';
import { parseStoredEvent } from './stored-event';

/** DynamoDB allows at most 100 items in one TransactWriteItems call. */
const MAX_EVENTS_PER_APPEND = 100;

/**
 * The event store on a DynamoDB table with key `streamId` (S) + `version` (N).
 *
 * Append is a conditional put (`attribute_not_exists(#version)` on the new key), or one
 * TransactWriteItems for several events, so two writers can never both take a version.
 *
 * @example
 * const store = new DynamoDbEventStore(documentClient, process.env.EVENT_STORE_TABLE_NAME);
 * await store.append('account#a1', [opened], 0);
 */
export class DynamoDbEventStore implements ClaimableEventStore, StoredEventBatchReader {
  public constructor(
    private readonly client: Pick<DynamoDBDocumentClient, 'send'>,
    private readonly tableName: string,
  ) {}

  public readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    return queryStream(this.client, this.tableName, streamId, options);
  }

  public readEvents(keys: readonly StoredEventKey[]): Promise<StoredEvent[]> {
    return readStoredEvents(this.client, this.tableName, keys);
  }

  public async append(streamId: string, events: readonly NewStoredEvent[], expectedVersion: number): Promise<StoredEvent[]> {
    if (!Number.isInteger(expectedVersion) || expectedVersion < 0) {
      throw new RangeError(`expectedVersion must be an integer >= 0 (got ${expectedVersion})`);
    }
    if (events.length > MAX_EVENTS_PER_APPEND) {
      throw new RangeError(`at most ${MAX_EVENTS_PER_APPEND} events can be appended at once (got ${events.length}); split the append`);
    }
    const stored = events.map((event, index): StoredEvent => ({ ...event, streamId, version: expectedVersion + index + 1 }));
    if (stored.length === 0) return [];
    try {
      if (stored.length === 1) {
        await this.client.send(new PutCommand(this.conditionalPut(stored[0])));
      } else {
        await this.client.send(new TransactWriteCommand({ TransactItems: stored.map((event) => ({ Put: this.conditionalPut(event) })) }));
      }
    } catch (error) {
      if (isConditionalCheckFailure(error)) throw new VersionConflictError(streamId, expectedVersion, { cause: error });
      throw error;
    }
    return stored;
  }

  /**
   * Appends and writes the claim in one TransactWriteItems (so at most 99 events): either both
   * are stored or neither. The cancellation reason at the claim's index tells which condition failed.
   */
  public async appendClaimed(streamId: string, events: readonly NewStoredEvent[], expectedVersion: number, claim: AppendClaim): Promise<StoredEvent[]> {
    if (events.length === 0 || events.length >= MAX_EVENTS_PER_APPEND) {
      throw new RangeError(`a claimed append takes 1 to ${MAX_EVENTS_PER_APPEND - 1} events (got ${events.length})`);
    }
    const stored = events.map((event, index): StoredEvent => ({ ...event, streamId, version: expectedVersion + index + 1 }));
    const claimPut = {
      TableName: claim.tableName,
      Item: { ...claim.attributes, id: claim.id },
      ConditionExpression: 'attribute_not_exists(#id)',
      ExpressionAttributeNames: { '#id': 'id' },
    };
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: [...stored.map((event) => ({ Put: this.conditionalPut(event) })), { Put: claimPut }] }));
    } catch (error) {
      const reasons: Array<{ Code?: string }> = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? [];
      if (reasons[stored.length]?.Code === 'ConditionalCheckFailed') throw new ClaimTakenError(claim.id, { cause: error });
      if (isConditionalCheckFailure(error)) throw new VersionConflictError(streamId, expectedVersion, { cause: error });
      throw error;
    }
    return stored;
  }

  public async readClaim(tableName: string, id: string): Promise<Readonly<Record<string, unknown>> | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: tableName, Key: { id }, ConsistentRead: true }));
    return Item;
  }

  private conditionalPut(event: StoredEvent) {
    return {
      TableName: this.tableName,
      Item: { ...event },
      // The condition is evaluated against the item with this exact key: it fails only if the version is taken.
      ConditionExpression: 'attribute_not_exists(#version)',
      ExpressionAttributeNames: { '#version': 'version' },
    };
  }
}

/**
 * The events of one stream from `fromVersion` to `toVersion` (or the newest `last` of them), in
 * version order: consistent Query pages until the range is read.
 */
async function queryStream(client: Pick<DynamoDBDocumentClient, 'send'>, tableName: string, streamId: string, options: ReadStreamOptions): Promise<StoredEvent[]> {
  const from = options.fromVersion ?? 1;
  const to = options.toVersion ?? Number.MAX_SAFE_INTEGER;
  const { last } = options;
  if (last !== undefined && (!Number.isInteger(last) || last < 1))
    throw new RangeError(`last must be an integer >= 1 (got ${last}); leave it out to read every event`);
  if (to < from) return [];
  const events: StoredEvent[] = [];
  let exclusiveStartKey: QueryCommandInput['ExclusiveStartKey'];
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: '#streamId = :streamId AND #version BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#streamId': 'streamId', '#version': 'version' },
        ExpressionAttributeValues: { ':streamId': streamId, ':from': from, ':to': to },
        // Commands decide on what they read: an eventually consistent read could miss the last append.
        ConsistentRead: true,
        ExclusiveStartKey: exclusiveStartKey,
        // The newest `last`: read backwards from the top and stop there (a page may hold fewer: 1 MB).
        ...(last === undefined ? {} : { ScanIndexForward: false, Limit: last - events.length }),
      }),
    );
    for (const item of page.Items ?? []) events.push(parseStoredEvent(item));
    exclusiveStartKey = page.LastEvaluatedKey;
  } while (exclusiveStartKey && (last === undefined || events.length < last));
  return last === undefined ? events : events.reverse();
}

/** A stream's asked versions read as one range: `fromVersion`..`toVersion` holds every asked one. */
export interface StoredEventRange {
  readonly streamId: string;
  readonly fromVersion: number;
  readonly toVersion: number;
}

/** How many range Queries {@link readStoredEvents} keeps in flight at once. */
export const RANGE_QUERY_CONCURRENCY = 8;

/**
 * The fewest asked versions of one stream that {@link readStoredEvents} reads with a Query of their
 * range. On DynamoDB Local (events of ~1 KB, warm, the emulator's CPU per batch): ten Queries of 10
 * versions cost 19.5 ms against 23.7–25.8 for one BatchGetItem of the same 100 keys, but forty
 * Queries of 2 versions cost 46–66 ms against 16–21 for one BatchGetItem of the 80: a Query costs
 * about as much as four or five keys of a batch read before its items (docs/benchmarks.md).
 */
export const MIN_VERSIONS_PER_QUERY = 8;

/**
 * How {@link readStoredEvents} reads a set of keys: a stream asked for at least
 * {@link MIN_VERSIONS_PER_QUERY} versions that lie close together (its range is at most twice as
 * many versions as were asked) is one Query of its range; every other key goes into BatchGetItem
 * calls. A backlog batch of one busy account (consecutive versions) is then one Query, which
 * DynamoDB bills by the bytes it returns (one read unit per 4 KB, consistent) where BatchGetItem
 * bills each item at least one unit. Sparse versions stay with BatchGetItem, so a Query never
 * reads more than as many unasked events as asked ones.
 *
 * @example
 * planStoredEventReads([...versions 4 to 11 of 's', { streamId: 't', version: 9 }])
 * // { ranges: [{ streamId: 's', fromVersion: 4, toVersion: 11 }], keys: [{ streamId: 't', version: 9 }] }
 */
export function planStoredEventReads(keys: readonly StoredEventKey[]): { ranges: StoredEventRange[]; keys: StoredEventKey[] } {
  const byStream = new Map<string, number[]>();
  for (const { streamId, version } of keys) {
    const versions = byStream.get(streamId) ?? [];
    versions.push(version);
    byStream.set(streamId, versions);
  }
  const ranges: StoredEventRange[] = [];
  const single: StoredEventKey[] = [];
  for (const [streamId, versions] of byStream) {
    const asked = new Set(versions);
    const fromVersion = Math.min(...asked);
    const toVersion = Math.max(...asked);
    if (asked.size >= MIN_VERSIONS_PER_QUERY && toVersion - fromVersion + 1 <= 2 * asked.size) ranges.push({ streamId, fromVersion, toVersion });
    else for (const version of asked) single.push({ streamId, version });
  }
  return { ranges, keys: single };
}

/**
 * Stored events by key from an event store table: consistent reads (a consumer checks a published
 * event against the store, so the read must see the append). Close versions of one stream are
 * read by one Query of their range, the rest with BatchGetItem, 100 keys per call, unprocessed
 * keys asked again with a short backoff (see {@link planStoredEventReads} and `batchGetItems`).
 * Only the asked keys come back, in no particular order.
 *
 * @example
 * await readStoredEvents(client, table, [{ streamId: 'account#a1', version: 3 }]) // [event3]
 */
export async function readStoredEvents(client: Pick<DynamoDBDocumentClient, 'send'>, tableName: string, keys: readonly StoredEventKey[]): Promise<StoredEvent[]> {
  if (keys.length === 0) return [];
  const plan = planStoredEventReads(keys);
  const asked = new Set(keys.map(({ streamId, version }) => `${streamId}\u0000${version}`));
  const [inRanges, byKey] = await Promise.all([
    mapWithConcurrency(plan.ranges, RANGE_QUERY_CONCURRENCY, ({ streamId, fromVersion, toVersion }) =>
      queryStream(client, tableName, streamId, { fromVersion, toVersion }),
    ),
    plan.keys.length === 0
      ? Promise.resolve([])
      : batchGetItems(
          client,
          tableName,
          plan.keys.map(({ streamId, version }) => ({ streamId, version })),
          { consistentRead: true },
        ).then((items) => items.map(parseStoredEvent)),
  ]);
  return [...inRanges.flat().filter((event) => asked.has(`${event.streamId}\u0000${event.version}`)), ...byKey];
}

import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { NativeAttributeValue } from '@aws-sdk/util-dynamodb';
import type { AccountReadModel, BalanceRow, ReadModelRun, TransactionRow, VerifiedRun, VerifiedRunCommit } from '../../domain/accounts';
import { putBalancesEach, ReadModelConflictError } from '../../domain/accounts';
import { batchGetItems, batchPutItems, slices } from '../../shared/dynamodb-batch';
import { isConditionalCheckFailure } from '../../shared/dynamodb-errors';

/** A page of an account's transactions, oldest first. */
export interface TransactionPage {
  readonly items: TransactionRow[];
  /** The key to continue after, when there may be more. */
  readonly lastKey?: Record<string, NativeAttributeValue>;
}

/** Which page of an account's transactions to read. */
export interface TransactionPageOptions {
  readonly limit: number;
  /** The last key of the previous page. */
  readonly startAfter?: Record<string, NativeAttributeValue>;
  /** The highest version to list: the balance row's (the transactions it includes). */
  readonly upToVersion: number;
}

/** BatchWriteItem calls of transaction rows in flight at once (25 rows each). */
const TRANSACTION_WRITES_IN_FLIGHT = 4;

/** TransactWriteItems takes at most 100 actions per call. */
export const BALANCES_PER_TRANSACTION = 100;

/** Balance rows written one by one at once, after a transaction of several was refused. */
const BALANCE_PUTS_IN_FLIGHT = 16;

/** TransactWriteItems takes at most 100 actions per call. */
export const ACTIONS_PER_TRANSACTION = 100;

/** Table names of the CQRS read model. */
export interface AccountReadModelTables {
  readonly balances: string;
  readonly transactions: string;
  /** The event store's table, which {@link DynamoDbAccountReadModel.commitVerified} checks delivered events against. */
  readonly eventStore?: string;
}

/**
 * The accounts read model on DynamoDB: `balances` (key `accountId`) and `transactions`
 * (key `accountId` + `version`). The projector writes it, the query function reads it.
 *
 * This adapter lives outside `lambdas/domain` (it talks to DynamoDB) and implements the domain's
 * {@link AccountReadModel} port.
 *
 * @example
 * const readModel = new DynamoDbAccountReadModel(getDocumentClient(), { balances, transactions });
 */
export class DynamoDbAccountReadModel implements AccountReadModel, VerifiedRunCommit {
  public readonly maxActions = ACTIONS_PER_TRANSACTION;

  public constructor(
    private readonly client: Pick<DynamoDBDocumentClient, 'send'>,
    private readonly tables: AccountReadModelTables,
  ) {}

  public async getBalance(accountId: string): Promise<BalanceRow | undefined> {
    const { Item } = await this.client.send(
      // Consistent: the query pairs this version with the transactions it lists.
      new GetCommand({ TableName: this.tables.balances, Key: { accountId }, ConsistentRead: true }),
    );
    return Item ? toBalanceRow(Item) : undefined;
  }

  public async getBalances(accountIds: readonly string[]): Promise<ReadonlyMap<string, BalanceRow>> {
    // Consistent: the projector decides skip / apply / catch-up on these versions.
    const items = await batchGetItems(
      this.client,
      this.tables.balances,
      [...new Set(accountIds)].map((accountId) => ({ accountId })),
      { consistentRead: true },
    );
    return new Map(items.map((item) => [String(item.accountId), toBalanceRow(item)]));
  }

  /**
   * Every run's transaction rows and guarded balance row, with a ConditionCheck on each delivered
   * event's key in the event store (same id, type, time and data: DynamoDB compares maps and lists
   * by value), in one TransactWriteItems: all of it or nothing. A refused condition answers false;
   * any other error is thrown.
   */
  public async commitVerified(runs: readonly VerifiedRun[]): Promise<boolean> {
    const projectedAt = new Date().toISOString();
    const checks = runs.flatMap(({ delivered }) => delivered.map((expected) => ({ ConditionCheck: this.storedEventCheck(expected) })));
    const rows = runs.flatMap(({ run }) => run.transactions.map((row) => ({ Put: { TableName: this.tables.transactions, Item: { ...row, projectedAt } } })));
    const balances = runs.map(({ run }) => ({ Put: this.guardedBalancePut(run) }));
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: [...checks, ...rows, ...balances] }));
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  /** The condition that the event store holds `expected` at its key, as delivered. */
  private storedEventCheck(expected: VerifiedRun['delivered'][number]) {
    if (!this.tables.eventStore) {
      throw new Error('this read model was built without the event store table (tables.eventStore), so it cannot check delivered events against it');
    }
    return {
      TableName: this.tables.eventStore,
      Key: { streamId: expected.streamId, version: expected.version },
      ConditionExpression: 'eventId = :eventId AND #type = :type AND #time = :time AND #data = :data',
      ExpressionAttributeNames: { '#type': 'type', '#time': 'time', '#data': 'data' },
      ExpressionAttributeValues: { ':eventId': expected.eventId, ':type': expected.type, ':time': expected.time, ':data': expected.data },
    };
  }

  public async putTransactions(rows: readonly TransactionRow[]): Promise<ReadonlyMap<string, unknown>> {
    // projectedAt: when the row reached the read model, the projector's hop in `sluice trace`.
    const projectedAt = new Date().toISOString();
    const unwritten = await batchPutItems(
      this.client,
      this.tables.transactions,
      rows.map((row) => ({ ...row, projectedAt })),
      (item) => `${String(item.accountId)}\u0000${String(item.version)}`,
      { concurrency: TRANSACTION_WRITES_IN_FLIGHT },
    );
    const failed = new Map<string, unknown>();
    for (const { item, error } of unwritten) if (!failed.has(item.accountId)) failed.set(item.accountId, error);
    return failed;
  }

  public async putBalance(run: ReadModelRun): Promise<void> {
    try {
      await this.client.send(new PutCommand(this.guardedBalancePut(run)));
    } catch (error) {
      if (isConditionalCheckFailure(error)) {
        throw new ReadModelConflictError(run.balance.accountId, run.previousVersion, { cause: error });
      }
      throw error;
    }
  }

  /**
   * Several accounts' balance rows in one TransactWriteItems (up to {@link BALANCES_PER_TRANSACTION}
   * per call), each put guarded by its run's version: one call commits a batch's accounts, where
   * a put per account made as many (DynamoDB Local pays per call far more than per item; on AWS
   * a transactional write costs two write units per row, one row per account per batch). A
   * transaction is all or nothing: when it is refused (an account's row moved, a conflict, a
   * throttle) its rows are put again one by one, so each stands or falls on its own condition and
   * only the accounts that really failed are reported. One run is a plain conditional put.
   */
  public async putBalances(runs: readonly ReadModelRun[]): Promise<ReadonlyMap<string, unknown>> {
    if (runs.length <= 1) return putBalancesEach(this, runs, 1);
    const failures = new Map<string, unknown>();
    await Promise.all(
      slices(runs, BALANCES_PER_TRANSACTION).map(async (slice) => {
        try {
          await this.client.send(new TransactWriteCommand({ TransactItems: slice.map((run) => ({ Put: this.guardedBalancePut(run) })) }));
        } catch {
          for (const [accountId, failure] of await putBalancesEach(this, slice, BALANCE_PUTS_IN_FLIGHT)) failures.set(accountId, failure);
        }
      }),
    );
    return failures;
  }

  /** The put of a run's balance row, only if the row is still at the run's previous version (absent for 0). */
  private guardedBalancePut(run: ReadModelRun) {
    const first = run.previousVersion === 0;
    return {
      TableName: this.tables.balances,
      Item: { ...run.balance },
      ConditionExpression: first ? 'attribute_not_exists(accountId)' : '#version = :previous',
      ...(first ? {} : { ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':previous': run.previousVersion } }),
    };
  }

  /**
   * One page of an account's transactions in version order, up to `upToVersion`: the balance
   * row's version, so rows the projector wrote ahead of a balance row that has not moved yet
   * (see {@link AccountReadModel}) are never listed.
   */
  public async listTransactions(accountId: string, options: TransactionPageOptions): Promise<TransactionPage> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tables.transactions,
        KeyConditionExpression: 'accountId = :accountId',
        ExpressionAttributeValues: { ':accountId': accountId },
        // Consistent: every row at or below the balance row's version was written before the row moved.
        ConsistentRead: true,
        Limit: options.limit,
        ExclusiveStartKey: options.startAfter,
      }),
    );
    return visiblePage((page.Items ?? []).map(toTransactionRow), page.LastEvaluatedKey, options.upToVersion);
  }
}

/**
 * The rows of a page a reader may see: those at or below `upToVersion`. A row above it ends the
 * listing (rows come in version order), so the page then has no key to continue after. The cut is
 * made here, not in the key condition: DynamoDB pages a bounded range differently (a key to an
 * empty page after a short one), and the listing must page as before.
 *
 * @example
 * visiblePage([row1, row2, row3], { accountId: 'a1', version: 3 }, 2) // { items: [row1, row2] }
 */
export function visiblePage(rows: readonly TransactionRow[], lastKey: Record<string, NativeAttributeValue> | undefined, upToVersion: number): TransactionPage {
  const items = rows.filter((row) => row.version <= upToVersion);
  const cut = items.length < rows.length;
  return { items, ...(lastKey && !cut ? { lastKey } : {}) };
}

/** Picks the documented attributes, so nothing the table may hold besides them leaks into responses. */
function toBalanceRow(item: Record<string, NativeAttributeValue>): BalanceRow {
  const { accountId, owner, currency, balance, version, openedAt, updatedAt } = item;
  return { accountId, owner, currency, balance, version, openedAt, updatedAt };
}

function toTransactionRow(item: Record<string, NativeAttributeValue>): TransactionRow {
  const { accountId, version, eventId, kind, amount, balanceAfter, time } = item;
  return { accountId, version, eventId, kind, amount, balanceAfter, time };
}

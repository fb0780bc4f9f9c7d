import { type DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { NativeAttributeValue } from '@aws-sdk/util-dynamodb';
import type { AccountReadModel, BalanceRow, ReadModelChange, ReadModelRun, TransactionRow } from '../../domain/accounts';
import { ReadModelConflictError } from '../../domain/accounts';
import { isConditionalCheckFailure } from '../../shared/dynamodb-errors';

/** A page of an account's transactions, oldest first. */
export interface TransactionPage {
  readonly items: TransactionRow[];
  /** The key to continue after, when there may be more. */
  readonly lastKey?: Record<string, NativeAttributeValue>;
}

/** Table names of the CQRS read model. */
export interface AccountReadModelTables {
  readonly balances: string;
  readonly transactions: string;
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
export class DynamoDbAccountReadModel implements AccountReadModel {
  public constructor(
    private readonly client: Pick<DynamoDBDocumentClient, 'send'>,
    private readonly tables: AccountReadModelTables,
  ) {}

  public async getBalance(accountId: string): Promise<BalanceRow | undefined> {
    const { Item } = await this.client.send(
      // Consistent: the projector decides skip / apply / catch-up on this version.
      new GetCommand({ TableName: this.tables.balances, Key: { accountId }, ConsistentRead: true }),
    );
    return Item ? toBalanceRow(Item) : undefined;
  }

  /** One event's change: a run of one (kept for callers that write event by event). */
  public apply(change: ReadModelChange): Promise<void> {
    return this.applyRun({ previousVersion: change.previousVersion, balance: change.balance, transactions: [change.transaction] });
  }

  public async applyRun(run: ReadModelRun): Promise<void> {
    const first = run.previousVersion === 0;
    const projectedAt = new Date().toISOString();
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tables.balances,
                Item: { ...run.balance },
                ConditionExpression: first ? 'attribute_not_exists(accountId)' : '#version = :previous',
                ...(first ? {} : { ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':previous': run.previousVersion } }),
              },
            },
            // projectedAt: when the row reached the read model, the projector's hop in `sluice trace`.
            ...run.transactions.map((transaction) => ({ Put: { TableName: this.tables.transactions, Item: { ...transaction, projectedAt } } })),
          ],
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailure(error)) {
        throw new ReadModelConflictError(run.balance.accountId, run.previousVersion, { cause: error });
      }
      throw error;
    }
  }

  /** One page of an account's transactions in version order. */
  public async listTransactions(
    accountId: string,
    options: { readonly limit: number; readonly startAfter?: Record<string, NativeAttributeValue> },
  ): Promise<TransactionPage> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tables.transactions,
        KeyConditionExpression: 'accountId = :accountId',
        ExpressionAttributeValues: { ':accountId': accountId },
        Limit: options.limit,
        ExclusiveStartKey: options.startAfter,
      }),
    );
    return { items: (page.Items ?? []).map(toTransactionRow), ...(page.LastEvaluatedKey ? { lastKey: page.LastEvaluatedKey } : {}) };
  }
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

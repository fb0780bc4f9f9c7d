import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from '../shared/zod';
import { emptyCardWindow, FRAUD_REASONS, FraudWindowConflictError, type CardWindow, type FraudWindowStore, type StoredCardWindow } from '../domain/cards';
import { isConditionalCheckFailure } from '../shared/dynamodb-errors';

/** The stored item; checked on load so a hand-edited or foreign item fails clearly, not deep in the rules. */
const itemSchema = z.object({
  cardId: z.string(),
  swipes: z.array(z.object({ eventId: z.string(), at: z.string(), amount: z.number(), country: z.string() })),
  alerts: z.partialRecord(z.enum(FRAUD_REASONS), z.string()),
  revision: z.int().check(z.nonnegative()),
});

/**
 * Per-card fraud windows on the fraud windows table (key `cardId`, TTL attribute `expiresAt`).
 *
 * Saves are conditional on the `revision` read at load time (optimistic locking), so two writers
 * of one card can never silently overwrite each other's swipes.
 *
 * @example
 * const { window, revision } = await store.load('card-1');
 * await store.save(next, revision, expiresAt);
 */
export class DynamoDbFraudWindowStore implements FraudWindowStore {
  public constructor(
    private readonly client: Pick<DynamoDBDocumentClient, 'send'>,
    private readonly tableName: string,
  ) {}

  public async load(cardId: string): Promise<StoredCardWindow> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { cardId }, ConsistentRead: true }));
    if (!Item) return { window: emptyCardWindow(cardId), revision: 0 };
    const { swipes, alerts, revision } = itemSchema.parse(Item);
    return { window: { cardId, swipes, alerts }, revision };
  }

  public async save(window: CardWindow, expectedRevision: number, expiresAt: number): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { cardId: window.cardId, swipes: window.swipes, alerts: window.alerts, revision: expectedRevision + 1, expiresAt },
          ...(expectedRevision === 0
            ? { ConditionExpression: 'attribute_not_exists(cardId)' }
            : {
                ConditionExpression: '#revision = :expected',
                ExpressionAttributeNames: { '#revision': 'revision' },
                ExpressionAttributeValues: { ':expected': expectedRevision },
              }),
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailure(error)) throw new FraudWindowConflictError(window.cardId, expectedRevision, { cause: error });
      throw error;
    }
  }
}

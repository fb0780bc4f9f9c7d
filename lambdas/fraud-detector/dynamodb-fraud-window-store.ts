import { type AttributeValue, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
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
 * It talks to the plain DynamoDB client and converts its one item shape itself ({@link windowItem},
 * {@link plainValue}), so the fraud detector's bundle carries neither the document client nor the
 * SDK's generic marshalling (`@aws-sdk/lib-dynamodb`, `@aws-sdk/util-dynamodb`: about 18 KB with
 * what they pull in, compiled at every cold start; docs/benchmarks.md, "Cold start").
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
    private readonly client: Pick<DynamoDBClient, 'send'>,
    private readonly tableName: string,
  ) {}

  public async load(cardId: string): Promise<StoredCardWindow> {
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: { cardId: { S: cardId } }, ConsistentRead: true }));
    if (!Item) return { window: emptyCardWindow(cardId), revision: 0 };
    const { swipes, alerts, revision } = itemSchema.parse(plainValue({ M: Item }));
    return { window: { cardId, swipes, alerts }, revision };
  }

  public async save(window: CardWindow, expectedRevision: number, expiresAt: number): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: windowItem(window, expectedRevision + 1, expiresAt),
          ...(expectedRevision === 0
            ? { ConditionExpression: 'attribute_not_exists(cardId)' }
            : {
                ConditionExpression: '#revision = :expected',
                ExpressionAttributeNames: { '#revision': 'revision' },
                ExpressionAttributeValues: { ':expected': { N: String(expectedRevision) } },
              }),
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailure(error)) throw new FraudWindowConflictError(window.cardId, expectedRevision, { cause: error });
      throw error;
    }
  }
}

/** The stored item of a window: its declared fields, the revision and the TTL attribute, as DynamoDB attribute values. */
export function windowItem(window: CardWindow, revision: number, expiresAt: number): Record<string, AttributeValue> {
  return {
    cardId: { S: window.cardId },
    swipes: {
      L: window.swipes.map(({ eventId, at, amount, country }) => ({
        M: { eventId: { S: eventId }, at: { S: at }, amount: { N: String(amount) }, country: { S: country } },
      })),
    },
    alerts: { M: Object.fromEntries(Object.entries(window.alerts).map(([reason, at]) => [reason, { S: at }])) },
    revision: { N: String(revision) },
    expiresAt: { N: String(expiresAt) },
  };
}

/**
 * A DynamoDB attribute value as a plain value, for the types a window item holds (string, number,
 * list, map; booleans and null too); any other type becomes `undefined`, which the item's schema refuses.
 */
export function plainValue(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.L !== undefined) return value.L.map(plainValue);
  if (value.M !== undefined) return Object.fromEntries(Object.entries(value.M).map(([key, member]) => [key, plainValue(member)]));
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  return undefined;
}

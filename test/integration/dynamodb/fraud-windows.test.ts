import { FraudWindowConflictError, type CardWindow } from '../../../lambdas/domain/cards';
import { DynamoDbFraudWindowStore } from '../../../lambdas/fraud-detector/dynamodb-fraud-window-store';
import { uniqueId } from '../support/accounts';
import { rawItem, ttlAttributeOf } from '../support/stack-tables';
import { clients, output } from '../support/target';

/** The fraud window adapter on the stack's fraud windows table in DynamoDB Local. */
const tableName = () => output('FraudWindowsTableName');
const windows = () => new DynamoDbFraudWindowStore(clients.dynamo, tableName());

const windowOf = (cardId: string, swipes: number): CardWindow => ({
  cardId,
  swipes: Array.from({ length: swipes }, (_, n) => ({
    eventId: `swipe-${n}`,
    at: `2025-01-01T10:0${n}:00.000Z`,
    amount: 100 * (n + 1),
    country: n % 2 ? 'FR' : 'DE',
  })),
  alerts: swipes > 1 ? { velocity: '2025-01-01T10:01:00.000Z' } : {},
});
const EXPIRES_AT = 1_900_000_000;

describe('the DynamoDB fraud window store on DynamoDB Local', () => {
  it('reads an empty window at revision 0 for a card never seen', async () => {
    const cardId = uniqueId('card');

    expect(await windows().load(cardId)).toEqual({ window: { cardId, swipes: [], alerts: {} }, revision: 0 });
  });

  it("reads back what it saved, one revision on, with the expiry in the table's TTL attribute", async () => {
    const cardId = uniqueId('card');

    await windows().save(windowOf(cardId, 2), 0, EXPIRES_AT);

    expect(await windows().load(cardId)).toEqual({ window: windowOf(cardId, 2), revision: 1 });
    const ttl = await ttlAttributeOf(tableName());
    expect(ttl).toBeDefined();
    expect((await rawItem(tableName(), { cardId }))?.[ttl!]).toBe(EXPIRES_AT);
  });

  it('refuses a save from a stale revision with FraudWindowConflictError, keeping the newer window', async () => {
    const cardId = uniqueId('card');
    await windows().save(windowOf(cardId, 1), 0, EXPIRES_AT);
    await windows().save(windowOf(cardId, 2), 1, EXPIRES_AT + 60);

    await expect(windows().save(windowOf(cardId, 3), 1, EXPIRES_AT)).rejects.toBeInstanceOf(FraudWindowConflictError);
    await expect(windows().save(windowOf(cardId, 3), 0, EXPIRES_AT)).rejects.toBeInstanceOf(FraudWindowConflictError);
    expect(await windows().load(cardId)).toEqual({ window: windowOf(cardId, 2), revision: 2 });
  });
});

import { BatchGetCommand, BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetItems, batchPutItems, BATCH_ROUNDS, slices } from '../../../lambdas/shared/dynamodb-batch';

type Item = Record<string, any>;
const keyOf = (item: Item) => `${item.accountId}#${item.version}`;
const rows = (n: number, accountId = 'a1') => Array.from({ length: n }, (_, i) => ({ accountId, version: i + 1 }));
const noWait = { backoffMs: () => 0 };

/** A client whose BatchWriteItem answers with `answer(items)` for each call's items (what to leave unprocessed, or a throw). */
function writeClient(answer: (items: Item[], call: number) => Item[]) {
  const calls: Item[][] = [];
  return {
    calls,
    send: async (command: unknown) => {
      if (!(command instanceof BatchWriteCommand)) throw new Error('unexpected command');
      const items = command.input.RequestItems!.t!.map((request) => request.PutRequest!.Item as Item);
      calls.push(items);
      const unprocessed = answer(items, calls.length);
      return { UnprocessedItems: unprocessed.length > 0 ? { t: unprocessed.map((Item) => ({ PutRequest: { Item } })) } : {} };
    },
  };
}

describe('slices', () => {
  it('cuts items into consecutive slices of at most the size', () => {
    expect(slices([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(slices([], 25)).toEqual([]);
  });
});

describe('batchPutItems', () => {
  it('puts 25 items per call and asks the unprocessed ones again', async () => {
    let first = true;
    const client = writeClient((items) => {
      if (first && items.length === 25) {
        first = false;
        return items.slice(0, 2).map((item) => ({ ...item })); // copies, as the SDK hands them back
      }
      return [];
    });

    const unwritten = await batchPutItems(client, 't', rows(30), keyOf, noWait);

    expect(unwritten).toEqual([]);
    expect(client.calls.map((items) => items.length).sort((a, b) => a - b)).toEqual([2, 5, 25]);
  });

  it("answers the items of a call that failed with the call's error, and writes the others", async () => {
    const failure = new Error('InternalServerError (test)');
    const client = writeClient((items) => {
      if (items.some((item) => item.accountId === 'bad')) throw failure;
      return [];
    });
    const bad = rows(3, 'bad');

    const unwritten = await batchPutItems(client, 't', [...rows(25), ...bad], keyOf, noWait);

    expect(unwritten).toEqual(bad.map((item) => ({ item, error: failure })));
  });

  it(`gives up on items still unprocessed after ${BATCH_ROUNDS} rounds, naming the table`, async () => {
    const client = writeClient((items) => items.filter((item) => item.version === 1));

    const unwritten = await batchPutItems(client, 't', rows(3), keyOf, noWait);

    expect(unwritten.map(({ item }) => item)).toEqual([{ accountId: 'a1', version: 1 }]);
    expect(String(unwritten[0]!.error)).toMatch(/left 1 item\(s\) of t unprocessed after 5 rounds/);
    expect(client.calls).toHaveLength(BATCH_ROUNDS);
  });
});

describe('batchGetItems', () => {
  it('reads 100 keys per call, consistently when asked, and asks unprocessed keys again', async () => {
    const calls: Array<{ keys: Item[]; consistent: boolean | undefined }> = [];
    const client = {
      send: async (command: unknown) => {
        if (!(command instanceof BatchGetCommand)) throw new Error('unexpected command');
        const { Keys = [], ConsistentRead } = command.input.RequestItems!.t!;
        calls.push({ keys: Keys as Item[], consistent: ConsistentRead });
        const [held, ...served] = Keys as Item[];
        return calls.length === 1 ? { Responses: { t: served }, UnprocessedKeys: { t: { Keys: [held] } } } : { Responses: { t: Keys } };
      },
    };

    const found = await batchGetItems(client, 't', rows(150), { consistentRead: true, ...noWait });

    expect(found.map(keyOf).sort()).toEqual(rows(150).map(keyOf).sort());
    expect(calls.map((call) => call.keys.length).sort((a, b) => a - b)).toEqual([1, 50, 100]);
    expect(calls.every((call) => call.consistent === true)).toBe(true);
  });
});

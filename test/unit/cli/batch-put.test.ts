import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchPut, concurrencyGate } from '../../../cli/tables';

/**
 * A document client whose BatchWriteItem answers after a tick, leaving the first item of a call
 * unprocessed `unprocessedOnce` times, and failing every call with an item `fail` names.
 */
function fakeDynamo(unprocessedOnce = 0, fail: (id: string) => boolean = () => false) {
  let inFlight = 0;
  const calls: string[][] = [];
  const state = { maxInFlight: 0, calls };
  let left = unprocessedOnce;
  const send = async (command: { input: { RequestItems: Record<string, Array<{ PutRequest: { Item: { id: string } } }>> } }) => {
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    inFlight--;
    const [table, requests] = Object.entries(command.input.RequestItems)[0];
    calls.push(requests.map((r) => r.PutRequest.Item.id));
    if (requests.some((r) => fail(r.PutRequest.Item.id))) throw Object.assign(new Error('Internal server error (test)'), { name: 'InternalServerError' });
    if (left > 0) {
      left--;
      return { UnprocessedItems: { [table]: requests.slice(0, 1) } };
    }
    return {};
  };
  return { dynamo: { send } as unknown as DynamoDBDocumentClient, state };
}

const items = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `r${i}` }));
const keyOf = (item: Record<string, unknown>) => String(item.id);

describe('batchPut', () => {
  it('writes every item once, 25 per call, with several calls in flight and no more than the limit', async () => {
    const { dynamo, state } = fakeDynamo();
    await batchPut(dynamo, 't', items(260), keyOf, 4);
    expect(state.calls.map((c) => c.length)).toEqual([25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 10]);
    expect(state.calls.flat().sort()).toEqual(
      items(260)
        .map((i) => i.id)
        .sort(),
    );
    expect(state.maxInFlight).toBe(4);
  });

  it('puts unprocessed items again', async () => {
    const { dynamo, state } = fakeDynamo(2);
    await batchPut(dynamo, 't', items(30), keyOf, 1);
    expect(state.calls).toEqual([items(25).map((i) => i.id), ['r0'], ['r0'], ['r25', 'r26', 'r27', 'r28', 'r29']]);
  });

  it('keeps the calls of several batchPuts sharing one gate within its limit, and writes every item', async () => {
    const { dynamo, state } = fakeDynamo();
    const gate = concurrencyGate(3);

    await Promise.all([batchPut(dynamo, 'a', items(200), keyOf, 8, gate), batchPut(dynamo, 'b', items(100), keyOf, 8, gate)]);

    expect(state.maxInFlight).toBe(3);
    expect(state.calls.flat()).toHaveLength(300);
  });

  it('writes nothing for no items', async () => {
    const { dynamo, state } = fakeDynamo();
    await batchPut(dynamo, 't', [], keyOf);
    expect(state.calls).toEqual([]);
  });

  it("throws when a call fails, naming the table, how many items it left out, their keys and the call's error, after writing the rest", async () => {
    const { dynamo, state } = fakeDynamo(0, (id) => id === 'r30');

    const written = batchPut(dynamo, 'balances-rebuild', items(60), keyOf, 2);

    await expect(written).rejects.toThrow(
      /^could not write 25 of 60 item\(s\) into balances-rebuild \(r25, r26, r27, r28, r29, …\): Internal server error \(test\)$/,
    );
    await expect(written).rejects.toMatchObject({ cause: { name: 'InternalServerError' } });
    expect(state.calls.map((call) => call.length)).toEqual([25, 25, 10]);
  });

  it('asks unprocessed items again for 9 rounds, then throws naming them', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    try {
      const { dynamo, state } = fakeDynamo(Number.POSITIVE_INFINITY);

      const written = batchPut(dynamo, 't', items(3), keyOf);
      const outcome = written.catch((error: Error) => error);
      // Each call answers after a real tick; then its backoff (at most 2 s) runs on the fake clock.
      for (let round = 0; round < 9; round++) {
        await new Promise((resolve) => setImmediate(resolve));
        await jest.advanceTimersByTimeAsync(2000);
      }

      expect(await outcome).toMatchObject({
        message: expect.stringMatching(/^could not write 1 of 3 item\(s\) into t \(r0\): BatchWriteItem left 1 item\(s\) of t unprocessed after 9 rounds/),
      });
      expect(state.calls).toEqual([['r0', 'r1', 'r2'], ...Array.from({ length: 8 }, () => ['r0'])]);
    } finally {
      jest.useRealTimers();
    }
  });
});

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchPut, concurrencyGate } from '../../../cli/tables';

/** A document client whose BatchWriteItem answers after a tick, leaving the first item of a call unprocessed `unprocessedOnce` times. */
function fakeDynamo(unprocessedOnce = 0) {
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
    if (left > 0) {
      left--;
      return { UnprocessedItems: { [table]: requests.slice(0, 1) } };
    }
    return {};
  };
  return { dynamo: { send } as unknown as DynamoDBDocumentClient, state };
}

const items = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `r${i}` }));

describe('batchPut', () => {
  it('writes every item once, 25 per call, with several calls in flight and no more than the limit', async () => {
    const { dynamo, state } = fakeDynamo();
    await batchPut(dynamo, 't', items(260), 4);
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
    await batchPut(dynamo, 't', items(30), 1);
    expect(state.calls).toEqual([items(25).map((i) => i.id), ['r0'], ['r0'], ['r25', 'r26', 'r27', 'r28', 'r29']]);
  });

  it('keeps the calls of several batchPuts sharing one gate within its limit, and writes every item', async () => {
    const { dynamo, state } = fakeDynamo();
    const gate = concurrencyGate(3);

    await Promise.all([batchPut(dynamo, 'a', items(200), 8, gate), batchPut(dynamo, 'b', items(100), 8, gate)]);

    expect(state.maxInFlight).toBe(3);
    expect(state.calls.flat()).toHaveLength(300);
  });

  it('writes nothing for no items', async () => {
    const { dynamo, state } = fakeDynamo();
    await batchPut(dynamo, 't', []);
    expect(state.calls).toEqual([]);
  });
});

import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbEventStore, MIN_VERSIONS_PER_QUERY, planStoredEventReads } from '../../../../lambdas/shared/event-store/dynamodb-event-store';
import { VersionConflictError } from '../../../../lambdas/shared/event-store/errors';
import { history } from '../../../helpers/account-events';

const [opened, deposited] = history('a1').opened().deposit(5).stored();
const newEvent = ({ streamId: _s, version: _v, ...rest }: typeof opened) => rest;
const meta = { $metadata: {} };

describe('DynamoDbEventStore', () => {
  it('appends one event with a conditional put at the next version', async () => {
    const send = jest.fn().mockResolvedValue({});
    const store = new DynamoDbEventStore({ send }, 'events');

    const stored = await store.append('account#a1', [newEvent(deposited)], 1);

    expect(stored).toEqual([deposited]);
    const command = send.mock.calls[0][0];
    expect(command).toBeInstanceOf(PutCommand);
    expect(command.input).toMatchObject({ TableName: 'events', Item: deposited, ConditionExpression: 'attribute_not_exists(#version)' });
  });

  it('appends several events in one transaction', async () => {
    const send = jest.fn().mockResolvedValue({});
    const store = new DynamoDbEventStore({ send }, 'events');

    await store.append('account#a1', [newEvent(opened), newEvent(deposited)], 0);

    const command = send.mock.calls[0][0];
    expect(command).toBeInstanceOf(TransactWriteCommand);
    expect(command.input.TransactItems.map((item: { Put: { Item: { version: number } } }) => item.Put.Item.version)).toEqual([1, 2]);
  });

  it.each([
    ['a failed condition', new ConditionalCheckFailedException({ message: 'conditional', ...meta })],
    [
      'a transaction cancelled by a condition',
      new TransactionCanceledException({ message: 'cancelled', CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }], ...meta }),
    ],
  ])('turns %s into VersionConflictError', async (_, failure) => {
    const store = new DynamoDbEventStore({ send: jest.fn().mockRejectedValue(failure) }, 'events');

    const error = await store.append('account#a1', [newEvent(deposited)], 1).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(VersionConflictError);
    expect(error).toMatchObject({ streamId: 'account#a1', expectedVersion: 1, cause: failure });
  });

  it('rethrows any other error', async () => {
    const failure = new Error('throttled');
    const store = new DynamoDbEventStore({ send: jest.fn().mockRejectedValue(failure) }, 'events');

    await expect(store.append('account#a1', [newEvent(deposited)], 1)).rejects.toBe(failure);
  });

  it('reads a stream with consistent, paginated queries', async () => {
    const send = jest
      .fn()
      .mockResolvedValueOnce({ Items: [opened], LastEvaluatedKey: { streamId: 'account#a1', version: 1 } })
      .mockResolvedValueOnce({ Items: [deposited] });
    const store = new DynamoDbEventStore({ send }, 'events');

    const events = await store.readStream('account#a1', { fromVersion: 1 });

    expect(events).toEqual([opened, deposited]);
    expect(send.mock.calls[0][0]).toBeInstanceOf(QueryCommand);
    expect(send.mock.calls[0][0].input).toMatchObject({ ConsistentRead: true, ExpressionAttributeValues: { ':from': 1 } });
    expect(send.mock.calls[1][0].input.ExclusiveStartKey).toEqual({ streamId: 'account#a1', version: 1 });
  });

  it('reads the newest `last` events backwards, page after page until it has them, and returns them in version order', async () => {
    // A page can stop short of its Limit (1 MB): the next page asks only for what is still missing.
    const send = jest
      .fn()
      .mockResolvedValueOnce({ Items: [deposited], LastEvaluatedKey: { streamId: 'account#a1', version: 2 } })
      .mockResolvedValueOnce({ Items: [opened], LastEvaluatedKey: { streamId: 'account#a1', version: 1 } });
    const store = new DynamoDbEventStore({ send }, 'events');

    const events = await store.readStream('account#a1', { last: 2 });

    expect(events).toEqual([opened, deposited]);
    expect(send).toHaveBeenCalledTimes(2);
    expect(send.mock.calls[0][0].input).toMatchObject({ ConsistentRead: true, ScanIndexForward: false, Limit: 2 });
    expect(send.mock.calls[1][0].input).toMatchObject({ ScanIndexForward: false, Limit: 1, ExclusiveStartKey: { streamId: 'account#a1', version: 2 } });
  });

  it('refuses a `last` that is not a positive integer, naming it', async () => {
    const store = new DynamoDbEventStore({ send: jest.fn() }, 'events');

    await expect(store.readStream('account#a1', { last: 0 })).rejects.toThrow('last must be an integer >= 1 (got 0)');
  });

  it('reads close versions of a stream with one Query of their range and the other keys with one BatchGetItem', async () => {
    const send = jest.fn(async (command: { input: Record<string, any> }) => {
      if (command instanceof QueryCommand) return { Items: [opened, deposited] };
      return { Responses: { events: [] } };
    });
    const store = new DynamoDbEventStore({ send }, 'events');

    const found = await store.readEvents([
      ...Array.from({ length: MIN_VERSIONS_PER_QUERY }, (_, i) => ({ streamId: 'account#a1', version: i + 1 })),
      { streamId: 'account#b2', version: 9 },
    ]);

    expect(found).toEqual([opened, deposited]);
    const queries = send.mock.calls.map(([command]) => command).filter((command) => command instanceof QueryCommand);
    const batchGets = send.mock.calls.map(([command]) => command).filter((command) => command instanceof BatchGetCommand);
    expect(queries.map((command) => command.input.ExpressionAttributeValues)).toEqual([{ ':streamId': 'account#a1', ':from': 1, ':to': MIN_VERSIONS_PER_QUERY }]);
    expect(queries[0].input.ConsistentRead).toBe(true);
    expect(batchGets.map((command) => command.input.RequestItems?.events)).toEqual([{ Keys: [{ streamId: 'account#b2', version: 9 }], ConsistentRead: true }]);
  });
});

describe('planStoredEventReads', () => {
  const keysOf = (streamId: string, versions: number[]) => versions.map((version) => ({ streamId, version }));
  const run = (from: number, count: number, step = 1) => Array.from({ length: count }, (_, i) => from + i * step);

  it.each([
    ['consecutive versions', run(4, 8), { ranges: [{ streamId: 's', fromVersion: 4, toVersion: 11 }], keys: [] }],
    ['a range at most twice the asked versions', run(1, 8, 2), { ranges: [{ streamId: 's', fromVersion: 1, toVersion: 15 }], keys: [] }],
    ['versions too far apart', [...run(1, 8), 30], { ranges: [], keys: keysOf('s', [...run(1, 8), 30]) }],
    ['fewer close versions than a Query pays for', run(4, 7), { ranges: [], keys: keysOf('s', run(4, 7)) }],
    ['one version asked many times', [7, 7, 7, 7, 7, 7, 7, 7], { ranges: [], keys: keysOf('s', [7]) }],
  ])('%s', (_, versions, expected) => {
    expect(planStoredEventReads(keysOf('s', versions))).toEqual(expected);
  });

  it('plans each stream on its own', () => {
    expect(planStoredEventReads([...keysOf('a', run(1, 8)), ...keysOf('b', [3])])).toEqual({
      ranges: [{ streamId: 'a', fromVersion: 1, toVersion: 8 }],
      keys: keysOf('b', [3]),
    });
  });
});

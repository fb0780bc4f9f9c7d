import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { EventTap, TAP_COALESCE_MS } from '../../../../local/console/api/event-tap';
import type { LocalStream } from '../../../../local/model';

/** A stand-in Kinesis: two shards, each with the records `put` added since its last GetRecords; counts the GetRecords calls. */
function fakeKinesis() {
  const pending: Record<string, unknown[]> = { 'shard-0': [], 'shard-1': [] };
  let getRecords = 0;
  let sequence = 0;
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, any> }) => {
      switch (command.constructor.name) {
        case 'ListShardsCommand':
          return { Shards: Object.keys(pending).map((ShardId) => ({ ShardId })) };
        case 'GetShardIteratorCommand':
          return { ShardIterator: command.input.ShardId };
        case 'GetRecordsCommand': {
          getRecords++;
          const shard = command.input.ShardIterator as string;
          const records = pending[shard]!.splice(0);
          return { Records: records, NextShardIterator: shard, MillisBehindLatest: 0 };
        }
        default:
          throw new Error(`unexpected ${command.constructor.name}`);
      }
    },
  };
  return {
    client: client as unknown as KinesisClient,
    put(shard: string, id: string) {
      const envelope = { id, type: 'sluice.account.deposited.v2' };
      pending[shard]!.push({ SequenceNumber: String(++sequence), Data: Buffer.from(JSON.stringify(envelope)), ApproximateArrivalTimestamp: new Date() });
    },
    getRecords: () => getRecords,
  };
}

const streams = [{ streamName: 'events' }] as unknown as LocalStream[];

describe('the console event tap', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('reads the shards once for a burst of writes, a moment after the first', async () => {
    const kinesis = fakeKinesis();
    const tap = new EventTap(kinesis.client, streams);
    await tap.start();
    for (let i = 0; i < 10; i++) {
      kinesis.put(i % 2 === 0 ? 'shard-0' : 'shard-1', `e${i}`);
      tap.wake(); // the endpoint saw a PutRecords
    }
    expect(kinesis.getRecords()).toBe(0);

    await jest.advanceTimersByTimeAsync(TAP_COALESCE_MS);

    // Each shard: one page with its records, one empty page (the tip).
    expect(kinesis.getRecords()).toBe(4);
    expect(
      tap
        .recent()
        .map((event) => event.envelope.id)
        .sort(),
    ).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8', 'e9']);
    await tap.stop();
  });

  it('reads a later write in a later read, and nothing after stop', async () => {
    const kinesis = fakeKinesis();
    const tap = new EventTap(kinesis.client, streams);
    await tap.start();
    kinesis.put('shard-0', 'first');
    tap.wake();
    await jest.advanceTimersByTimeAsync(TAP_COALESCE_MS);
    kinesis.put('shard-1', 'second');
    tap.wake();
    await jest.advanceTimersByTimeAsync(TAP_COALESCE_MS);

    expect(tap.recent().map((event) => event.envelope.id)).toEqual(['second', 'first']);
    const reads = kinesis.getRecords();
    kinesis.put('shard-0', 'late');
    tap.wake();
    await tap.stop();
    await jest.advanceTimersByTimeAsync(10 * TAP_COALESCE_MS);
    expect(kinesis.getRecords()).toBe(reads);
  });
});

import { batchAccountReads } from '../../../lambdas/adapters/accounts/batch-account-reads';
import { history } from '../../helpers/account-events';
import { InMemoryEventStore, InMemorySnapshotStore } from '../../helpers/in-memory-event-store';

const stored = history('acc-a').opened().deposit(10).deposit(20).deposit(30).stored();
const streamId = stored[0]!.streamId;

function storeCountingReads() {
  const eventStore = new InMemoryEventStore();
  eventStore.seed(stored);
  const reads: Array<[number | undefined, number | undefined]> = [];
  const read = eventStore.readStream.bind(eventStore);
  eventStore.readStream = (id, options = {}) => {
    reads.push([options.fromVersion, options.toVersion]);
    return read(id, options);
  };
  return { eventStore, reads };
}

const versions = (events: ReadonlyArray<{ version: number }>) => events.map((event) => event.version);

describe('batchAccountReads', () => {
  it("answers each read up to a version the batch holds from one read up to the batch's newest, cut at that version", async () => {
    const { eventStore, reads } = storeCountingReads();
    const batch = batchAccountReads({ eventStore, snapshotStore: new InMemorySnapshotStore() }, [
      { streamId, version: 2 },
      { streamId, version: 3 },
    ]);

    const [upTo2, upTo3, from2To3] = await Promise.all([
      batch.eventStore.readStream(streamId, { toVersion: 2 }),
      batch.eventStore.readStream(streamId, { fromVersion: 1, toVersion: 3 }),
      batch.eventStore.readStream(streamId, { fromVersion: 2, toVersion: 3 }),
    ]);

    expect([versions(upTo2), versions(upTo3), versions(from2To3)]).toEqual([
      [1, 2],
      [1, 2, 3],
      [2, 3],
    ]);
    expect(reads).toEqual([
      [1, 3],
      [2, 3],
    ]);
  });

  it('sends reads the batch did not plan to the store: no upper version, above the newest, another stream', async () => {
    const { eventStore, reads } = storeCountingReads();
    const batch = batchAccountReads({ eventStore, snapshotStore: new InMemorySnapshotStore() }, [{ streamId, version: 2 }]);

    await batch.eventStore.readStream(streamId);
    await batch.eventStore.readStream(streamId, { toVersion: 4 });
    await batch.eventStore.readStream('account#other', { toVersion: 1 });

    expect(reads).toEqual([
      [undefined, undefined],
      [undefined, 4],
      [undefined, 1],
    ]);
  });

  it("loads each stream's snapshot once per batch", async () => {
    const snapshotStore = new InMemorySnapshotStore();
    const batch = batchAccountReads({ eventStore: new InMemoryEventStore(), snapshotStore }, []);

    await Promise.all([batch.snapshotStore.load(streamId), batch.snapshotStore.load(streamId), batch.snapshotStore.load('account#other')]);

    expect(snapshotStore.loads).toBe(2);
  });

  it('asks the store again after a failed read instead of keeping the failure', async () => {
    const { eventStore, reads } = storeCountingReads();
    const read = eventStore.readStream.bind(eventStore);
    let failures = 1;
    eventStore.readStream = (id, options) => (failures-- > 0 ? Promise.reject(new Error('throttled')) : read(id, options));
    const batch = batchAccountReads({ eventStore, snapshotStore: new InMemorySnapshotStore() }, [{ streamId, version: 2 }]);

    await expect(batch.eventStore.readStream(streamId, { toVersion: 2 })).rejects.toThrow('throttled');
    expect(versions(await batch.eventStore.readStream(streamId, { toVersion: 2 }))).toEqual([1, 2]);
    expect(reads).toEqual([[1, 2]]);
  });
});

import type { EventStore, ReadStreamOptions, SnapshotStore, StoredEvent } from '../../shared/event-store/port';
import type { StoredEventKey } from './prefetched-events';

/**
 * The account reads of one batch, shared by its events: the notifier loads an account as of each
 * event (snapshot, then the events up to that version), so five events of one account would read
 * its snapshot five times and its history five times. Here each account's snapshot is read once
 * per batch, and its history once per starting version, up to the newest version the batch holds
 * of it; an event's read is that one, cut at its own version. Reads the batch did not plan (no
 * upper version, or above the batch's newest) go to the store.
 *
 * @param keys the batch's account events (see `counterpartKeys`): the newest version per stream is where the shared read stops
 * @example
 * const reads = batchAccountReads({ eventStore, snapshotStore }, counterpartKeys(records));
 * await loadAccount(reads, 'a1', { upToVersion: 3 }); await loadAccount(reads, 'a1', { upToVersion: 4 }); // one snapshot read, one query
 */
export function batchAccountReads(
  deps: { eventStore: EventStore; snapshotStore: SnapshotStore },
  keys: readonly StoredEventKey[],
): { eventStore: EventStore; snapshotStore: SnapshotStore } {
  const newest = new Map<string, number>();
  for (const { streamId, version } of keys) newest.set(streamId, Math.max(version, newest.get(streamId) ?? 0));
  const histories = new Map<string, Promise<StoredEvent[]>>();
  const snapshots = new Map<string, ReturnType<SnapshotStore['load']>>();
  return {
    eventStore: {
      readStream: (streamId: string, options: ReadStreamOptions = {}) => {
        const ceiling = newest.get(streamId);
        const { fromVersion = 1, toVersion } = options;
        if (ceiling === undefined || toVersion === undefined || toVersion > ceiling) return deps.eventStore.readStream(streamId, options);
        const key = `${streamId}\u0000${fromVersion}`;
        let history = histories.get(key);
        if (!history) {
          history = deps.eventStore.readStream(streamId, { fromVersion, toVersion: ceiling });
          histories.set(key, history);
          // A failed read is not kept: the next event of the batch asks the store again.
          void history.catch(() => histories.delete(key));
        }
        return history.then((events) => events.filter((event) => event.version <= toVersion));
      },
      append: (streamId, events, expectedVersion) => deps.eventStore.append(streamId, events, expectedVersion),
    },
    snapshotStore: {
      load: (streamId: string) => {
        let snapshot = snapshots.get(streamId);
        if (!snapshot) {
          snapshot = deps.snapshotStore.load(streamId);
          snapshots.set(streamId, snapshot);
          void snapshot.catch(() => snapshots.delete(streamId));
        }
        return snapshot;
      },
      save: (snapshot) => deps.snapshotStore.save(snapshot),
    },
  };
}

import type { KinesisStreamRecord } from 'aws-lambda';
import { accountEventFromEnvelope, accountStreamId, isAccountEventType } from '../../domain/accounts';
import type { EventStore, StoredEventBatchReader, StoredEventKey } from '../../shared/event-store/port';
import { sluiceCatalog } from '../../domain/catalog';
import { decodeKinesisEnvelope } from '../../shared/batch';
import type { ReadStreamOptions } from '../../shared/event-store/port';

// The batch reader's port is the event store's (shared by the projector): re-exported for the consumers that prefetch.
export type { StoredEventBatchReader, StoredEventKey } from '../../shared/event-store/port';

const keyOf = (streamId: string, version: number) => `${streamId}\u0000${version}`;

/**
 * The stored counterparts of a batch's account events, each as `(streamId, version)`. Records that
 * do not decode as account events are left out: the batch handler deals with them.
 */
export function counterpartKeys(records: readonly KinesisStreamRecord[]): StoredEventKey[] {
  const keys = new Map<string, StoredEventKey>();
  for (const record of records) {
    try {
      const envelope = decodeKinesisEnvelope(record, sluiceCatalog);
      if (!isAccountEventType(envelope.type)) continue;
      const event = accountEventFromEnvelope(envelope);
      const streamId = accountStreamId(event.data.accountId);
      keys.set(keyOf(streamId, event.version), { streamId, version: event.version });
    } catch {
      // Poison or untrusted: the handler's own decoding reports it.
    }
  }
  return [...keys.values()];
}

/**
 * An event store whose single-version reads of the prefetched keys are answered from one batch
 * read made up front (what the notifier's trust check asks per event), and whose other reads go
 * to the store. A key the batch read did not find is answered as absent: the read was consistent
 * and made after the event was published, so the store does not hold it.
 *
 * @example
 * const store = await prefetchedEventStore(eventStore, reader, counterpartKeys(records));
 * await store.readStream('account#a1', { fromVersion: 3, toVersion: 3 }) // no request
 */
export async function prefetchedEventStore(store: EventStore, reader: StoredEventBatchReader, keys: readonly StoredEventKey[]): Promise<EventStore> {
  if (keys.length === 0) return store;
  const found = new Map((await reader.readEvents(keys)).map((event) => [keyOf(event.streamId, event.version), event]));
  const asked = new Set(keys.map((key) => keyOf(key.streamId, key.version)));
  return {
    readStream: (streamId: string, options: ReadStreamOptions = {}) => {
      const { fromVersion, toVersion } = options;
      if (fromVersion === undefined || fromVersion !== toVersion || !asked.has(keyOf(streamId, fromVersion))) return store.readStream(streamId, options);
      const event = found.get(keyOf(streamId, fromVersion));
      return Promise.resolve(event ? [event] : []);
    },
    append: (streamId, events, expectedVersion) => store.append(streamId, events, expectedVersion),
  };
}

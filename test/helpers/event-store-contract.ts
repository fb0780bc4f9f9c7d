import { randomUUID } from 'node:crypto';
import { VersionConflictError } from '../../lambdas/shared/event-store/errors';
import type { EventStore, NewStoredEvent, StoredEvent, StoredEventBatchReader } from '../../lambdas/shared/event-store/port';

/** An event store under test, and a way to write items behind its back (an unconditional PutItem). */
export interface EventStoreUnderTest {
  readonly store: EventStore & StoredEventBatchReader;
  put(events: readonly StoredEvent[]): Promise<void>;
}

const newEvent = (n: number): NewStoredEvent => ({
  eventId: `evt-${n}`,
  type: 'contract.noted.v1',
  time: new Date(Date.UTC(2025, 0, 1, 10, n)).toISOString(),
  data: { n },
  metadata: { source: 'contract', subject: 's', partitionkey: 's' },
});

const storedAt = (streamId: string, version: number): StoredEvent => ({ ...newEvent(version), streamId, version });

const versionsOf = async (store: EventStore, streamId: string) => (await store.readStream(streamId)).map((event) => event.version);

/**
 * What the event store table does under the event store port, run against the DynamoDB adapter on
 * DynamoDB Local (integration) and against the in-memory fake (unit), so the fake the unit tests
 * trust cannot drift from the table. Each case writes its own stream (a random id).
 */
export function describeEventStoreContract(name: string, setup: () => EventStoreUnderTest) {
  describe(`${name} behaves as the event store table (pk streamId, sk version)`, () => {
    let subject: EventStoreUnderTest;
    let streamId: string;
    beforeEach(() => {
      subject = setup();
      streamId = `contract#${randomUUID()}`;
    });

    it('reads [] for a stream that does not exist', async () => {
      expect(await subject.store.readStream(streamId)).toEqual([]);
    });

    it('gives appended events the versions after expectedVersion and reads them back in version order', async () => {
      const first = await subject.store.append(streamId, [newEvent(1)], 0);
      const more = await subject.store.append(streamId, [newEvent(2), newEvent(3)], 1);

      expect([...first, ...more].map((event) => event.version)).toEqual([1, 2, 3]);
      expect(await subject.store.readStream(streamId)).toEqual([...first, ...more]);
      expect(await subject.store.readStream(streamId, { fromVersion: 2, toVersion: 3 })).toEqual(more);
      expect(await subject.store.readStream(streamId, { fromVersion: 3, toVersion: 2 })).toEqual([]);
    });

    it('refuses an append onto a taken version with VersionConflictError, and writes none of its events', async () => {
      await subject.put([storedAt(streamId, 1), storedAt(streamId, 2)]);

      // Versions 2..4: the first put's condition fails, so the transaction writes nothing at all.
      const conflict = subject.store.append(streamId, [newEvent(7), newEvent(8), newEvent(9)], 1);

      await expect(conflict).rejects.toBeInstanceOf(VersionConflictError);
      expect(await subject.store.readStream(streamId)).toEqual([storedAt(streamId, 1), storedAt(streamId, 2)]);
    });

    it('refuses a transaction whose last version is taken, writing none of the versions before it', async () => {
      await subject.put([storedAt(streamId, 1), storedAt(streamId, 4)]);

      await expect(subject.store.append(streamId, [newEvent(2), newEvent(3), newEvent(4)], 1)).rejects.toBeInstanceOf(VersionConflictError);
      expect(await versionsOf(subject.store, streamId)).toEqual([1, 4]);
    });

    it('reads only the newest `last` events of a range, in version order', async () => {
      const stored = await subject.store.append(streamId, [newEvent(1), newEvent(2), newEvent(3), newEvent(4)], 0);

      expect(await subject.store.readStream(streamId, { last: 2 })).toEqual(stored.slice(2));
      expect(await subject.store.readStream(streamId, { toVersion: 3, last: 2 })).toEqual(stored.slice(1, 3));
      expect(await subject.store.readStream(streamId, { last: 10 })).toEqual(stored);
    });

    it('reads in version order whatever order the items were written in, a gap included', async () => {
      await subject.put([storedAt(streamId, 5), storedAt(streamId, 1), storedAt(streamId, 3), storedAt(streamId, 2)]);

      expect(await versionsOf(subject.store, streamId)).toEqual([1, 2, 3, 5]);
    });

    it('checks only the new versions: an append past the newest version succeeds and leaves a gap', async () => {
      await subject.store.append(streamId, [newEvent(1), newEvent(2)], 0);

      const [stored] = await subject.store.append(streamId, [newEvent(6)], 5);

      expect(stored.version).toBe(6);
      expect(await versionsOf(subject.store, streamId)).toEqual([1, 2, 6]);
      // The gap can be filled later, and a taken version is still refused.
      await subject.store.append(streamId, [newEvent(3)], 2);
      await expect(subject.store.append(streamId, [newEvent(7)], 5)).rejects.toBeInstanceOf(VersionConflictError);
      expect(await versionsOf(subject.store, streamId)).toEqual([1, 2, 3, 6]);
    });

    it('reads events by key across streams, leaving out keys it does not hold', async () => {
      const other = `${streamId}-other`;
      await subject.put([storedAt(streamId, 1), storedAt(streamId, 2), storedAt(other, 7)]);

      const found = await subject.store.readEvents([
        { streamId, version: 2 },
        { streamId: other, version: 7 },
        { streamId, version: 3 },
        { streamId: `${streamId}-absent`, version: 1 },
      ]);

      expect(found.sort((a, b) => a.version - b.version)).toEqual([storedAt(streamId, 2), storedAt(other, 7)]);
      expect(await subject.store.readEvents([])).toEqual([]);
    });

    it('reads a run of close versions with only the asked ones back: not the unasked versions between them, not a missing one', async () => {
      const sparse = `${streamId}-sparse`;
      await subject.put(Array.from({ length: 12 }, (_, i) => storedAt(streamId, i + 1)));
      await subject.put([storedAt(sparse, 1), storedAt(sparse, 40)]);

      // 2, 3 and 5 to 11 (and 13, not stored) of one stream: a range read of 2..13 must not return 4 or 12.
      const asked = [2, 3, 5, 6, 7, 8, 9, 10, 11, 13];
      const found = await subject.store.readEvents(
        asked
          .map((version) => ({ streamId, version }))
          .concat([
            { streamId: sparse, version: 1 },
            { streamId: sparse, version: 40 },
          ]),
      );

      const keys = found.map((event) => `${event.streamId}@${event.version}`).sort();
      expect(keys).toEqual([...asked.filter((version) => version !== 13).map((version) => `${streamId}@${version}`), `${sparse}@1`, `${sparse}@40`].sort());
      expect(found.find((event) => event.streamId === streamId && event.version === 5)).toEqual(storedAt(streamId, 5));
    });
  });
}

import { VersionConflictError } from '../../lambdas/shared/event-store/errors';
import type {
  EventStore,
  NewStoredEvent,
  ReadStreamOptions,
  Snapshot,
  SnapshotStore,
  StoredEvent,
  StoredEventBatchReader,
  StoredEventKey,
} from '../../lambdas/shared/event-store/port';

/** DynamoDB's TransactWriteItems limit, which bounds one append of the DynamoDB adapter. */
const MAX_EVENTS_PER_APPEND = 100;

/**
 * In-memory {@link EventStore} that behaves as the event store table (pk `streamId`, sk `version`)
 * under the DynamoDB adapter, so unit tests meet what production meets:
 * - items are keyed by version and read back in version order, whatever order they were written in;
 * - an append is one conditional put per new version (`attribute_not_exists`), all or none: if any
 *   of its versions is taken, nothing is written and it fails with {@link VersionConflictError};
 * - nothing checks that `expectedVersion` is the stream's newest version, exactly as on the table:
 *   an append past the tip succeeds and leaves a gap, and so can items written out of order
 *   ({@link seed}). Readers must cope with a gap (see test/unit/command/history-gaps.test.ts).
 *
 * The same contract runs against DynamoDB Local (test/helpers/event-store-contract.ts).
 */
export class InMemoryEventStore implements EventStore, StoredEventBatchReader {
  /** The table: items per stream, keyed by version. */
  private readonly streams = new Map<string, Map<number, StoredEvent>>();
  /** Runs before each append's version check: lets a test slip in a concurrent writer. */
  public beforeAppend?: (streamId: string) => Promise<void> | void;

  public async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const from = options.fromVersion ?? 1;
    const to = options.toVersion ?? Number.MAX_SAFE_INTEGER;
    const range = this.stream(streamId).filter((event) => event.version >= from && event.version <= to);
    return options.last === undefined ? range : range.slice(-options.last);
  }

  /** The items at these keys, as BatchGetItem answers: absent keys left out. */
  public async readEvents(keys: readonly StoredEventKey[]): Promise<StoredEvent[]> {
    return keys.flatMap(({ streamId, version }) => {
      const event = this.items(streamId).get(version);
      return event ? [structuredClone(event)] : [];
    });
  }

  public async append(streamId: string, events: readonly NewStoredEvent[], expectedVersion: number): Promise<StoredEvent[]> {
    if (!Number.isInteger(expectedVersion) || expectedVersion < 0) {
      throw new RangeError(`expectedVersion must be an integer >= 0 (got ${expectedVersion})`);
    }
    if (events.length > MAX_EVENTS_PER_APPEND) {
      throw new RangeError(`at most ${MAX_EVENTS_PER_APPEND} events can be appended at once (got ${events.length}); split the append`);
    }
    const hook = this.beforeAppend;
    this.beforeAppend = undefined;
    await hook?.(streamId);
    const stored = events.map((event, index): StoredEvent => ({ ...event, streamId, version: expectedVersion + index + 1 }));
    const items = this.items(streamId);
    // Each put's condition looks only at its own key: a taken version fails the whole transaction.
    if (stored.some((event) => items.has(event.version))) throw new VersionConflictError(streamId, expectedVersion);
    for (const event of stored) items.set(event.version, structuredClone(event));
    return stored;
  }

  /** Everything in one stream in version order (a copy), for assertions. */
  public stream(streamId: string): StoredEvent[] {
    return [...this.items(streamId).values()].sort((a, b) => a.version - b.version).map((event) => structuredClone(event));
  }

  /**
   * Puts items straight into the table (test setup), as unconditional PutItems would: versions as
   * given, in any order, gaps allowed, an item at a taken version replaced.
   */
  public seed(events: readonly StoredEvent[]): void {
    for (const event of events) this.items(event.streamId).set(event.version, structuredClone(event));
  }

  private items(streamId: string): Map<number, StoredEvent> {
    let items = this.streams.get(streamId);
    if (!items) this.streams.set(streamId, (items = new Map()));
    return items;
  }
}

/** In-memory {@link SnapshotStore}: latest snapshot per stream, newer version wins; can be told to fail. */
export class InMemorySnapshotStore implements SnapshotStore {
  public readonly snapshots = new Map<string, Snapshot>();
  public failSavesWith?: Error;
  public loads = 0;

  public async load(streamId: string): Promise<Snapshot | undefined> {
    this.loads += 1;
    return this.snapshots.get(streamId);
  }

  public async save(snapshot: Snapshot): Promise<void> {
    if (this.failSavesWith) throw this.failSavesWith;
    const current = this.snapshots.get(snapshot.streamId);
    // A round trip through JSON, as a real table would: no shared references with the caller.
    if (!current || current.version < snapshot.version) this.snapshots.set(snapshot.streamId, JSON.parse(JSON.stringify(snapshot)));
  }
}

import { VersionConflictError } from '../../lambdas/shared/event-store/errors';
import type {
  EventStore,
  NewStoredEvent,
  ReadStreamOptions,
  Snapshot,
  SnapshotStore,
  StoredEvent,
} from '../../lambdas/shared/event-store/port';

/**
 * In-memory {@link EventStore} with the same append semantics as the DynamoDB adapter:
 * versions follow `expectedVersion`, and an append after a taken version fails as a whole.
 */
export class InMemoryEventStore implements EventStore {
  private readonly streams = new Map<string, StoredEvent[]>();
  /** Runs before each append's version check: lets a test slip in a concurrent writer. */
  public beforeAppend?: (streamId: string) => Promise<void> | void;

  public async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const from = options.fromVersion ?? 1;
    const to = options.toVersion ?? Number.MAX_SAFE_INTEGER;
    return this.stream(streamId).filter((event) => event.version >= from && event.version <= to);
  }

  public async append(streamId: string, events: readonly NewStoredEvent[], expectedVersion: number): Promise<StoredEvent[]> {
    const hook = this.beforeAppend;
    this.beforeAppend = undefined;
    await hook?.(streamId);
    const stream = this.stream(streamId);
    if (stream.length !== expectedVersion) throw new VersionConflictError(streamId, expectedVersion);
    const stored = events.map((event, index) => ({ ...event, streamId, version: expectedVersion + index + 1 }));
    this.streams.set(streamId, [...stream, ...stored]);
    return stored;
  }

  /** Everything in one stream, for assertions. */
  public stream(streamId: string): StoredEvent[] {
    return this.streams.get(streamId) ?? [];
  }

  /** Puts events straight into a stream (test setup), versions as given. */
  public seed(events: readonly StoredEvent[]): void {
    for (const event of events) this.streams.set(event.streamId, [...this.stream(event.streamId), event]);
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

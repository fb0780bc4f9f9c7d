/**
 * The event store port: what the domain needs from an append-only, per-stream, versioned log.
 *
 * Core only — it knows streams, versions and opaque data, nothing about accounts. Adapters
 * (e.g. {@link DynamoDbEventStore}) implement it; unit tests use small in-memory fakes.
 */

/** Envelope fields the store keeps beside the data, so a stored event can be republished as is. */
export interface StoredEventMetadata {
  readonly source: string;
  readonly subject: string;
  readonly partitionkey: string;
  /** The W3C traceparent of the request that appended the event (absent on events stored before tracing). */
  readonly traceparent?: string;
}

/** One event as the store holds it: `(streamId, version)` is its key. */
export interface StoredEvent<TData = unknown> {
  readonly streamId: string;
  /**
   * 1 for the first event of a stream, then +1 per event, without gaps. The table cannot enforce
   * this (an append's condition looks only at its new keys: one past the newest version leaves a
   * gap), so readers check it: the account fold refuses a gap, the projector retries over one.
   */
  readonly version: number;
  /** The CloudEvents `id` (a ULID). */
  readonly eventId: string;
  readonly type: string;
  /** ISO 8601 time the event happened. */
  readonly time: string;
  readonly data: TData;
  readonly metadata: StoredEventMetadata;
}

/** An event to append; the store gives it its stream and version. */
export type NewStoredEvent<TData = unknown> = Omit<StoredEvent<TData>, 'streamId' | 'version'>;

/** Inclusive version bounds for {@link EventStore.readStream}. */
export interface ReadStreamOptions {
  /** First version to return (default 1). */
  readonly fromVersion?: number;
  /** Last version to return (default: the newest). */
  readonly toVersion?: number;
  /**
   * Only the newest `last` events of that range, still in version order (default: all of them).
   * A command that reads this tail together with its snapshot needs one round trip, not two.
   */
  readonly last?: number;
}

/** The key of one stored event. */
export interface StoredEventKey {
  readonly streamId: string;
  readonly version: number;
}

/**
 * A stored event as a delivered copy of it (an envelope off the stream) says it is: its key and the
 * attributes the copy carried before any upcasting. A writer that checks these against the store
 * in the same atomic write (a DynamoDB ConditionCheck) trusts the copy without reading the store.
 */
export interface StoredEventExpectation extends StoredEventKey {
  readonly eventId: string;
  readonly type: string;
  readonly time: string;
  readonly data: unknown;
}

/**
 * Reads many stored events by key at once, across streams (on DynamoDB: consistent, one Query per
 * run of close versions of a stream and BatchGetItem for the rest): a consumer checking a batch's
 * events against the store makes a round of calls, not one call per event.
 */
export interface StoredEventBatchReader {
  /** The stored events at these keys, in no particular order; a key the store does not hold is left out. */
  readEvents(keys: readonly StoredEventKey[]): Promise<StoredEvent[]>;
}

/**
 * An append-only log of events per stream.
 *
 * @example
 * const events = await store.readStream('account#a1', { fromVersion: 11 });
 * await store.append('account#a1', [deposited], events.at(-1)?.version ?? 10);
 */
export interface EventStore {
  /** Events of one stream in version order; `[]` for a stream that does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  /**
   * Appends events after `expectedVersion` (the stream's current version, 0 for a new stream):
   * they get versions `expectedVersion + 1`, `+ 2`, … — all or none.
   *
   * @throws {VersionConflictError} when another writer appended after `expectedVersion` first.
   */
  append(streamId: string, events: readonly NewStoredEvent[], expectedVersion: number): Promise<StoredEvent[]>;
}

/**
 * An item written in the same transaction as an append, only if no item with its `id` exists:
 * "this request has been applied", atomic with what it applied (see `ClaimingEventStore`).
 */
export interface AppendClaim {
  readonly tableName: string;
  /** Partition key value (attribute `id`). */
  readonly id: string;
  /** Further attributes of the claim item (e.g. an `expiration` for the table's TTL). */
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** An event store that can append and write an {@link AppendClaim} atomically. */
export interface ClaimableEventStore extends EventStore {
  /**
   * Appends like {@link EventStore.append} and writes the claim in the same transaction.
   *
   * @throws {ClaimTakenError} when the claim exists (the request was applied before; nothing is written);
   * {VersionConflictError} as for `append`.
   */
  appendClaimed(streamId: string, events: readonly NewStoredEvent[], expectedVersion: number, claim: AppendClaim): Promise<StoredEvent[]>;
  /** The claim item with this id (a consistent read), or `undefined`. */
  readClaim(tableName: string, id: string): Promise<Readonly<Record<string, unknown>> | undefined>;
}

/** The folded state of a stream at a version; only an optimisation, losing one loses nothing. */
export interface Snapshot<TState = unknown> {
  readonly streamId: string;
  readonly version: number;
  readonly state: TState;
  /** ISO 8601 time the snapshot was taken. */
  readonly takenAt: string;
}

/**
 * Keeps the latest snapshot per stream.
 *
 * @example
 * const snapshot = await snapshots.load('account#a1'); // undefined → fold from the start
 */
export interface SnapshotStore {
  /** The latest snapshot; its `state` is untrusted (`unknown`) until the domain parses it. */
  load(streamId: string): Promise<Snapshot | undefined>;
  /** Saves a snapshot unless a newer one is already stored. */
  save(snapshot: Snapshot): Promise<void>;
}

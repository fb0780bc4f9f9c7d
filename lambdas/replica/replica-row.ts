import type { AccountStateChangedV1 } from '../domain/accounts';

/** One row of the replica table: the account state as last transferred. */
export interface ReplicaRow extends AccountStateChangedV1 {
  readonly replicatedAt: string;
  /** The trace of the event this state came from (its message's `traceparent` attribute), for `sluice trace`. */
  readonly traceparent?: string;
  /** When state-transfer sent that message (its SentTimestamp), for `sluice trace`. */
  readonly queuedAt?: string;
}

/** What a conditional write did: `written`, or `stale` when the replica already had that version or a newer one. */
export type ReplicaWriteOutcome = 'written' | 'stale';

/** The replica table, as the replica function needs it. */
export interface ReplicaStore {
  /** Writes the row only if it is newer than what the table holds. */
  putIfNewer(row: ReplicaRow): Promise<ReplicaWriteOutcome>;
}

/**
 * The newer-version-wins rule: an incoming state replaces the replica only when the replica has no
 * row for the account or an older version. Equal versions are redeliveries; older ones arrived late.
 *
 * The DynamoDB adapter enforces the same rule atomically with
 * `attribute_not_exists(accountId) OR version < :version`.
 *
 * @example
 * isNewerThanReplica(undefined, 1) // true
 * isNewerThanReplica(3, 3)         // false
 */
export function isNewerThanReplica(replicaVersion: number | undefined, incomingVersion: number): boolean {
  return replicaVersion === undefined || replicaVersion < incomingVersion;
}

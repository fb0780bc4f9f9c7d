import { type AccountEvent, accountEventFromStored } from './account-event';
import { accountStreamId } from './account-service';
import { ProjectionOrderError, UntrustedAccountEventError } from './errors';
import type { EventStore } from '../../shared/event-store/port';
import type { AccountReadModel } from './ports';
import { chunkRun, foldChanges, TRANSACT_WRITE_LIMITS, type WriteLimits } from './projection-run';
import { assertStoredMatches } from './trusted-event';

/** What projecting into the read model needs: the read model, and the event store to fill gaps from. */
export interface ReadModelProjectorDeps {
  readonly readModel: AccountReadModel;
  readonly eventStore: EventStore;
  /** @default {@link TRANSACT_WRITE_LIMITS} */
  readonly writeLimits?: WriteLimits;
}

/** What projecting one event did: nothing (a duplicate), or applied these versions in order. */
export type ProjectionOutcome = { readonly status: 'skipped' } | { readonly status: 'applied'; readonly versions: readonly number[] };

/**
 * What projecting one account's events of a batch did. It never throws: a failure is reported
 * with how far the read model got, so the caller can tell applied events from unapplied ones.
 */
export interface AccountRunOutcome {
  /**
   * The balance row's version when the run ended: every event at or below it is in the read model.
   * `undefined` when even the row could not be read (nothing is known to be applied).
   */
  readonly appliedVersion: number | undefined;
  /** The versions this run wrote, in order (gaps filled from the store included). */
  readonly versions: readonly number[];
  /** Events (by position in the input) the store does not hold as delivered: poison, never applied. */
  readonly untrusted: ReadonlyMap<number, UntrustedAccountEventError>;
  /** Why the run stopped early (a throttle, a conflict, a gap the store could not fill); retryable. */
  readonly failure?: unknown;
}

/**
 * Projects one account's events from one batch into the read model, exactly once and in version
 * order, with as few writes as DynamoDB allows: one balance read, one event-store query, and one
 * conditional TransactWriteItems per {@link chunkRun} chunk (one for up to 99 events).
 *
 * Events at or below the row's version are redeliveries and change nothing. The others are read
 * back from the event store (consistent), from the row's next version up to the highest one
 * delivered (the delivered range while the row is read, a gap below it after), so a lost or reordered delivery heals itself and the stream only says *which*
 * version to reach. A delivered event the store does not hold at its version (a record forged
 * onto the stream) is listed in `untrusted` and reached by nobody. Each write is guarded by the
 * version the previous one left, so a concurrent or late writer makes it fail, never apply twice.
 *
 * @example
 * await projectAccountRun({ readModel, eventStore }, 'a1', [deposited3, withdrawn4])
 * // { appliedVersion: 4, versions: [3, 4], untrusted: Map {} }
 */
export async function projectAccountRun(deps: ReadModelProjectorDeps, accountId: string, events: readonly AccountEvent[]): Promise<AccountRunOutcome> {
  const untrusted = new Map<number, UntrustedAccountEventError>();
  const versions: number[] = [];
  const streamId = accountStreamId(accountId);
  // The delivered versions are read from the store while the row is read, not after it: one round
  // trip instead of two when the row is where the batch starts (the common case). Only a row
  // further behind needs a second read, for the gap below the delivered versions.
  const delivered = events.map((event) => event.version);
  const lowest = Math.min(...delivered);
  const highest = Math.max(...delivered);
  const deliveredRead = events.length > 0 ? deps.eventStore.readStream(streamId, { fromVersion: lowest, toVersion: highest }) : Promise.resolve([]);
  void deliveredRead.catch(() => undefined); // awaited below when the row is read; not an unhandled rejection before
  let row;
  try {
    row = await deps.readModel.getBalance(accountId);
  } catch (failure) {
    return { appliedVersion: undefined, versions, untrusted, failure };
  }
  let appliedVersion = row?.version ?? 0;
  try {
    const ahead = events.flatMap((event, position) => (event.version > appliedVersion ? [{ event, position }] : []));
    if (ahead.length === 0) return { appliedVersion, versions, untrusted };
    const fromVersion = appliedVersion + 1;
    const toVersion = Math.max(...ahead.map(({ event }) => event.version));
    const gap = fromVersion < lowest ? await deps.eventStore.readStream(streamId, { fromVersion, toVersion: lowest - 1 }) : [];
    const stored = [...gap, ...(await deliveredRead)].filter((event) => event.version >= fromVersion && event.version <= toVersion).map(accountEventFromStored);
    const storedByVersion = new Map(stored.map((event) => [event.version, event]));
    let target = appliedVersion;
    for (const { event, position } of ahead) {
      try {
        assertStoredMatches(storedByVersion.get(event.version), event);
        target = Math.max(target, event.version);
      } catch (error) {
        if (!(error instanceof UntrustedAccountEventError)) throw error;
        untrusted.set(position, error);
      }
    }
    const run = stored.filter((event) => event.version <= target);
    if (run.length !== target - appliedVersion) {
      throw new ProjectionOrderError(accountId, appliedVersion, target, `the event store returned ${run.length} of the versions ${fromVersion}..${target}`);
    }
    for (const write of chunkRun(foldChanges(row, run), deps.writeLimits ?? TRANSACT_WRITE_LIMITS)) {
      await deps.readModel.applyRun(write);
      appliedVersion = write.balance.version;
      versions.push(...write.transactions.map((transaction) => transaction.version));
    }
    return { appliedVersion, versions, untrusted };
  } catch (failure) {
    return { appliedVersion, versions, untrusted, failure };
  }
}

/**
 * Projects one account event into the read model (a batch of one; see {@link projectAccountRun}).
 *
 * @example
 * await projectToReadModel({ readModel, eventStore }, deposited) // { status: 'applied', versions: [3] }
 * @throws {ReadModelConflictError} when another writer moved the balance row; the record is retried.
 * @throws {UntrustedAccountEventError} when the store holds another event (or none) at the event's version: poison.
 */
export async function projectToReadModel(deps: ReadModelProjectorDeps, event: AccountEvent): Promise<ProjectionOutcome> {
  const outcome = await projectAccountRun(deps, event.data.accountId, [event]);
  const refused = outcome.untrusted.get(0);
  if (refused) throw refused;
  if (outcome.failure !== undefined) throw outcome.failure;
  return outcome.versions.length === 0 ? { status: 'skipped' } : { status: 'applied', versions: outcome.versions };
}

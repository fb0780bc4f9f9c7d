import { type AccountEvent, accountEventFromStored } from './account-event';
import { accountStreamId } from './account-service';
import { ProjectionOrderError, ReadModelConflictError, UntrustedAccountEventError } from './errors';
import type { EventStore, StoredEvent, StoredEventBatchReader } from '../../shared/event-store/port';
import { mapWithConcurrency } from '../../shared/batch/bounded-concurrency';
import type { BalanceRow } from './projection';
import type { AccountReadModel, VerifiedRun, VerifiedRunCommit } from './ports';
import { foldChanges, type ReadModelRun, runOf } from './projection-run';
import { assertStoredMatches } from './trusted-event';
import type { BalanceRowCache } from './balance-row-cache';
import { actionsOf, type DeliveredAccountEvents, planVerifiedRuns } from './verified-runs';

/** Accounts of one batch planned at once (and balance rows written one by one, when they are), unless told otherwise. */
export const DEFAULT_PROJECTION_CONCURRENCY = 16;

/** What projecting into the read model needs: the read model, and the event store to check (by key, many at once) and fill from. */
export interface ReadModelProjectorDeps {
  readonly readModel: AccountReadModel;
  readonly eventStore: EventStore & StoredEventBatchReader;
  /** Accounts planned at once (gap reads included). @default {@link DEFAULT_PROJECTION_CONCURRENCY} */
  readonly concurrency?: number;
  /**
   * One atomic write of rows, guarded balance rows and checks on the store, for batches that fit
   * it: with `rows`, a batch of remembered accounts is applied in that one call, reading nothing;
   * without them, a batch read as usual is written in that one call instead of two.
   */
  readonly verifiedCommit?: VerifiedRunCommit;
  /** The balance rows this projector last read or wrote (see {@link BalanceRowCache}). */
  readonly rows?: BalanceRowCache;
}

/** One account's events of a batch, in stream order (with their delivered copies, when the caller has them). */
export type AccountEvents = DeliveredAccountEvents;

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

/** One account after the reads: the run to write, or an outcome already final (nothing ahead, or a failure); and the row it read. */
type Plan = ({ readonly outcome: AccountRunOutcome; readonly run?: undefined } | { readonly outcome: AccountRunOutcome; readonly run: ReadModelRun }) & {
  readonly row?: BalanceRow;
  /** The row was the remembered one, not read: a refused balance write means the guess was wrong. */
  readonly guessed?: boolean;
};

const noneUntrusted: ReadonlyMap<number, UntrustedAccountEventError> = new Map();

/**
 * Projects a batch's account events into the read model, exactly once and in version order per
 * account, in one to three rounds of calls whatever the number of accounts.
 *
 * One round, no read, when the batch is small and every account's row is remembered (`rows`, a
 * container's memory of the rows it wrote; or the account starts at version 1): one atomic write
 * ({@link VerifiedRunCommit}) of the delivered events folded onto those rows, which also checks
 * that each row is still at the remembered version and that the store holds each delivered event
 * as delivered. A wrong guess, a forged record or any failure writes nothing, and the batch takes
 * the reading path below, which decides every case from the tables (and reports it).
 *
 * Otherwise, two rounds when the reads' runs fit one atomic write (rows and guarded balance rows
 * together), else three:
 *
 * 1. two reads at once: the accounts' balance rows and the stored events at the delivered
 *    versions, every account's (batch reads by key, consistent); a remembered row the batch
 *    continues is not read, its guarded write checks it ({@link projectPlanned});
 * 2. the transaction rows of every account that has events ahead of its row, together (immutable
 *    facts: a batch write, no condition);
 * 3. every such account's balance row, guarded by the version it was read at, in one write
 *    ({@link AccountReadModel.putBalances}): the commit. A reader lists only the transactions at
 *    or below the balance row's version, so rows written ahead of a balance that did not move stay
 *    invisible until a retry moves it (and writes them again, the same).
 *
 * Events at or below the row's version are redeliveries and change nothing. The others are taken
 * from the event store, not from the stream: the stream only says *which* version to reach. A
 * delivered event the store does not hold at its version (a record forged onto the stream) is
 * listed in `untrusted` and reached by nobody; versions the batch did not deliver (a lost or
 * reordered record) are read from the store (a Query, only then), so a gap heals itself.
 * An account whose read, rows or balance write fails reports how far its row got; the others stand.
 *
 * @example
 * await projectAccountBatch({ readModel, eventStore }, [{ accountId: 'a1', events: [deposited3, withdrawn4] }])
 * // [{ appliedVersion: 4, versions: [3, 4], untrusted: Map {} }]
 */
export async function projectAccountBatch(deps: ReadModelProjectorDeps, groups: readonly AccountEvents[]): Promise<AccountRunOutcome[]> {
  const committed = await commitRemembered(deps, groups);
  if (committed) return committed;
  return projectPlanned(deps, groups, true);
}

/**
 * The reading path of {@link projectAccountBatch}: plans every account from its row and the stored
 * events, writes the runs, and remembers or forgets each account's row by how it went. With
 * `guess`, an account whose remembered row the delivered events continue (the first is the row's
 * next version) is planned from that row instead of a read of it; its balance write, guarded by
 * that version, checks the guess, and an account whose guess it refuses is planned again from a
 * read in the same call, so a wrong guess costs a round and never a failed record. (Its
 * transaction rows, a pure fold of the same stored events, may then be written twice.)
 */
async function projectPlanned(deps: ReadModelProjectorDeps, groups: readonly AccountEvents[], guess: boolean): Promise<AccountRunOutcome[]> {
  const plans = await planBatch(deps, groups, guess);
  const runs = plans.flatMap((plan) => (plan.run ? [plan.run] : []));
  const { unwritten, unmoved } = await writeRuns(deps, runs);
  const outcomes = plans.map(({ outcome, run }): AccountRunOutcome => {
    if (!run) return outcome;
    const accountId = run.balance.accountId;
    if (unwritten.has(accountId)) return { ...outcome, failure: unwritten.get(accountId) };
    if (unmoved.has(accountId)) return { ...outcome, failure: unmoved.get(accountId) };
    return { ...outcome, appliedVersion: run.balance.version, versions: run.transactions.map((transaction) => transaction.version) };
  });
  outcomes.forEach((outcome, i) => {
    const accountId = groups[i]!.accountId;
    const row = plans[i]!.run && outcome.failure === undefined ? plans[i]!.run!.balance : plans[i]!.row;
    if (outcome.failure === undefined && row) deps.rows?.remember(row);
    else deps.rows?.forget(accountId);
  });
  const wrongGuesses = plans.flatMap((plan, i) => (plan.guessed && outcomes[i]!.failure instanceof ReadModelConflictError ? [i] : []));
  if (wrongGuesses.length === 0) return outcomes;
  const replanned = await projectPlanned(
    deps,
    wrongGuesses.map((i) => groups[i]!),
    false,
  );
  wrongGuesses.forEach((i, j) => (outcomes[i] = replanned[j]!));
  return outcomes;
}

/**
 * The batch in one write and no read, when every account's row is remembered and the write fits
 * ({@link planVerifiedRuns}); undefined when it does not fit or the write was refused or failed
 * (nothing is then known to be written, and the reading path decides again from the table).
 */
async function commitRemembered(deps: ReadModelProjectorDeps, groups: readonly AccountEvents[]): Promise<AccountRunOutcome[] | undefined> {
  const { verifiedCommit, rows } = deps;
  if (!verifiedCommit || !rows) return undefined;
  const verified = planVerifiedRuns(groups, rows, verifiedCommit.maxActions);
  if (!verified) return undefined;
  if (await verifiedCommit.commitVerified(verified).catch(() => false)) {
    return verified.map(({ run }) => {
      rows.remember(run.balance);
      return { appliedVersion: run.balance.version, versions: run.transactions.map((transaction) => transaction.version), untrusted: noneUntrusted };
    });
  }
  for (const { accountId } of groups) rows.forget(accountId);
  return undefined;
}

/**
 * Writes the runs of a batch read from the table: in one atomic call when they fit it (the store
 * was read, so nothing is checked there), else (or when that call is refused) the transaction
 * rows of every account together, then every balance row on its own guard.
 */
async function writeRuns(
  deps: ReadModelProjectorDeps,
  runs: readonly ReadModelRun[],
): Promise<{ unwritten: ReadonlyMap<string, unknown>; unmoved: ReadonlyMap<string, unknown> }> {
  const none = new Map<string, unknown>();
  if (runs.length === 0) return { unwritten: none, unmoved: none };
  const atOnce: VerifiedRun[] = runs.map((run) => ({ run, delivered: [] }));
  const { verifiedCommit } = deps;
  if (verifiedCommit && atOnce.reduce((actions, run) => actions + actionsOf(run), 0) <= verifiedCommit.maxActions) {
    if (await verifiedCommit.commitVerified(atOnce).catch(() => false)) return { unwritten: none, unmoved: none };
  }
  const unwritten = await deps.readModel.putTransactions(runs.flatMap((run) => run.transactions));
  const committing = runs.filter((run) => !unwritten.has(run.balance.accountId));
  const unmoved = committing.length > 0 ? await deps.readModel.putBalances(committing) : none;
  return { unwritten, unmoved };
}

/**
 * Reads the batch's balance rows and delivered events (one round trip) and plans each account's
 * run; with `guess`, the rows of accounts whose remembered row the batch continues are not read
 * (see {@link projectPlanned}).
 */
async function planBatch(deps: ReadModelProjectorDeps, groups: readonly AccountEvents[], guess: boolean): Promise<Plan[]> {
  const concurrency = deps.concurrency ?? DEFAULT_PROJECTION_CONCURRENCY;
  const remembered = new Map<string, BalanceRow>();
  for (const { accountId, events } of guess ? groups : []) {
    const row = deps.rows?.get(accountId);
    // Only the row's next version: a redelivery (at or below it) must be decided from the table, never acknowledged on a guess.
    if (row && events[0]?.version === row.version + 1) remembered.set(accountId, row);
  }
  const unread = groups.map((group) => group.accountId).filter((accountId) => !remembered.has(accountId));
  const rowsRead = unread.length > 0 ? deps.readModel.getBalances(unread) : Promise.resolve(new Map<string, BalanceRow>());
  void rowsRead.catch(() => undefined); // awaited per account below; not an unhandled rejection before
  // The delivered versions are read from the store while the rows are read: one round trip.
  const storedRead = readDelivered(deps.eventStore, groups);
  void storedRead.catch(() => undefined);
  return mapWithConcurrency(groups, concurrency, async (group): Promise<Plan> => {
    let row: BalanceRow | undefined = remembered.get(group.accountId);
    const guessed = row !== undefined;
    try {
      row ??= (await rowsRead).get(group.accountId);
    } catch (failure) {
      return { outcome: { appliedVersion: undefined, versions: [], untrusted: noneUntrusted, failure } };
    }
    const plan = await planAccount(deps, group, row, async () => (await storedRead).get(accountStreamId(group.accountId)) ?? []);
    return { ...plan, ...(row ? { row } : {}), ...(guessed ? { guessed } : {}) };
  });
}

/** The stored events at every delivered version of the batch, by stream: one batch read for all accounts. */
async function readDelivered(store: StoredEventBatchReader, groups: readonly AccountEvents[]): Promise<ReadonlyMap<string, StoredEvent[]>> {
  const keys = new Map<string, { streamId: string; version: number }>();
  for (const { accountId, events } of groups) {
    const streamId = accountStreamId(accountId);
    for (const { version } of events) keys.set(`${streamId}\u0000${version}`, { streamId, version });
  }
  const byStream = new Map<string, StoredEvent[]>();
  for (const stored of await store.readEvents([...keys.values()])) {
    const list = byStream.get(stored.streamId) ?? [];
    list.push(stored);
    byStream.set(stored.streamId, list);
  }
  return byStream;
}

/**
 * Decides one account's write from its row and the stored events: which delivered events are
 * ahead of the row, whether the store holds each as delivered (trust), which versions in between
 * the batch lacks (read from the store now), and the fold of them all onto the row.
 */
async function planAccount(
  deps: ReadModelProjectorDeps,
  group: AccountEvents,
  row: BalanceRow | undefined,
  storedRead: () => Promise<StoredEvent[]>,
): Promise<Plan> {
  const { accountId, events } = group;
  const untrusted = new Map<number, UntrustedAccountEventError>();
  const appliedVersion = row?.version ?? 0;
  const settled: AccountRunOutcome = { appliedVersion, versions: [], untrusted };
  try {
    const ahead = events.flatMap((event, position) => (event.version > appliedVersion ? [{ event, position }] : []));
    if (ahead.length === 0) return { outcome: settled };
    const storedByVersion = new Map((await storedRead()).map((stored) => accountEventFromStored(stored)).map((event) => [event.version, event]));
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
    const needed = Array.from({ length: target - appliedVersion }, (_, i) => appliedVersion + 1 + i);
    const missing = needed.filter((version) => !storedByVersion.has(version));
    if (missing.length > 0) {
      const gap = await deps.eventStore.readStream(accountStreamId(accountId), { fromVersion: missing[0]!, toVersion: missing.at(-1)! });
      for (const event of gap.map(accountEventFromStored)) if (!storedByVersion.has(event.version)) storedByVersion.set(event.version, event);
    }
    const run = needed.flatMap((version) => storedByVersion.get(version) ?? []);
    if (run.length !== needed.length) {
      throw new ProjectionOrderError(accountId, appliedVersion, target, `the event store returned ${run.length} of the versions ${appliedVersion + 1}..${target}`);
    }
    const write = runOf(foldChanges(row, run));
    return write ? { outcome: settled, run: write } : { outcome: settled };
  } catch (failure) {
    return { outcome: { ...settled, failure } };
  }
}

/**
 * Projects one account's events of a batch (a batch of one account; see {@link projectAccountBatch}).
 *
 * @example
 * await projectAccountRun({ readModel, eventStore }, 'a1', [deposited3, withdrawn4])
 * // { appliedVersion: 4, versions: [3, 4], untrusted: Map {} }
 */
export async function projectAccountRun(deps: ReadModelProjectorDeps, accountId: string, events: readonly AccountEvent[]): Promise<AccountRunOutcome> {
  const [outcome] = await projectAccountBatch(deps, [{ accountId, events }]);
  return outcome!;
}

/**
 * Projects one account event into the read model (a batch of one; see {@link projectAccountBatch}).
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

import { zodIssues } from '../../shared/envelope';
import { ValidationError } from '../../shared/errors';
import { VersionConflictError } from '../../shared/event-store/errors';
import { type AccountEventDraft, accountEventFromStored } from './account-event';
import { type AccountState, applyAccountEvent, foldAccount, initialAccountState, type OpenAccount } from './account';
import { decideDeposit, decideOpen, decideWithdraw, type DepositCommand, type MoneyCommand } from './commands';
import { AccountAlreadyExistsError, AccountHistoryError } from './errors';
import { ACCOUNT_EVENT_SOURCE, accountIdSchema } from './events';
import type { EventStore, NewStoredEvent, Snapshot, SnapshotStore } from '../../shared/event-store/port';
import type { Clock, IdGenerator } from './ports';
import { accountSnapshot, accountStateFromSnapshot, shouldSnapshot } from './snapshots';

/** What reading an account needs. */
export interface AccountReadDeps {
  readonly eventStore: EventStore;
  readonly snapshotStore: SnapshotStore;
}

/** What the account commands need: the stores, a clock, an id generator and the snapshot interval. */
export interface AccountServiceDeps extends AccountReadDeps {
  readonly clock: Clock;
  readonly newId: IdGenerator;
  /** Snapshot every N events (`SNAPSHOT_EVERY`); 0 disables snapshots. */
  readonly snapshotEvery: number;
}

/**
 * Whether the command saved a snapshot. A failed save does not fail the command (snapshots are
 * only an optimisation); the handler logs `error`.
 */
export type SnapshotOutcome = { readonly status: 'skipped' | 'saved' } | { readonly status: 'failed'; readonly error: unknown };

/** The result of a command that stored an event. */
export interface AccountCommandResult {
  readonly accountId: string;
  readonly version: number;
  readonly balance: number;
  readonly snapshot: SnapshotOutcome;
}

/** Body of `POST /accounts`: `accountId` is optional (a ULID is generated when missing). */
export interface OpenAccountRequest {
  readonly accountId?: string;
  readonly owner: string;
  readonly currency: string;
}

/** Options of {@link loadAccount}. */
export interface LoadAccountOptions {
  /** Fold only up to this version (e.g. the state as of an event being processed). */
  readonly upToVersion?: number;
  /**
   * Read the snapshot and the account's newest `newestEvents` events at once, in parallel: one
   * round trip instead of a snapshot read and then a query. Enough whenever the snapshot's version
   * is among them or they go back to version 1; otherwise (a lost or failed snapshot) the rest is
   * read as without this option. Commands pass `snapshotEvery + 1` ({@link commandLoadOptions}).
   * @default undefined - the snapshot first, then the events after it
   */
  readonly newestEvents?: number;
}

/**
 * The event-store stream id of an account.
 *
 * @example
 * accountStreamId('a1') // 'account#a1'
 */
export function accountStreamId(accountId: string): string {
  return `account#${accountId}`;
}

/**
 * Loads an account: its latest usable snapshot plus the events after it, or the full history
 * when there is no snapshot, it is corrupt, it is newer than `upToVersion`, or the store does not
 * hold the version it claims (a snapshot ahead of the store would make the next append leave a gap).
 *
 * @example
 * const state = await loadAccount(deps, 'a1');
 * if (state.status === 'open') console.log(state.balance);
 * @throws {AccountHistoryError} or {ValidationError} when the stored history itself is invalid.
 */
export async function loadAccount(deps: AccountReadDeps, accountId: string, options: LoadAccountOptions = {}): Promise<AccountState> {
  const streamId = accountStreamId(accountId);
  const { upToVersion, newestEvents } = options;
  if (newestEvents === undefined) return loadAfterSnapshot(deps, streamId, await deps.snapshotStore.load(streamId), upToVersion);
  const [snapshot, newest] = await Promise.all([
    deps.snapshotStore.load(streamId),
    deps.eventStore.readStream(streamId, { toVersion: upToVersion, last: newestEvents }),
  ]);
  const from = trustedSnapshot(snapshot, upToVersion);
  // The snapshot's own version among them proves the store reached it, as in loadAfterSnapshot.
  const anchor = from ? newest.findIndex((event) => event.version === from.version) : -1;
  if (from && anchor >= 0) return foldAccount(newest.slice(anchor + 1).map(accountEventFromStored), from);
  if (newest.length === 0 || newest[0].version === 1) return foldAccount(newest.map(accountEventFromStored), initialAccountState);
  return loadAfterSnapshot(deps, streamId, snapshot, upToVersion);
}

/**
 * How a command loads the account it decides on: the snapshot and the events since the last
 * snapshot in one parallel read (see {@link LoadAccountOptions.newestEvents}).
 */
export function commandLoadOptions(deps: Pick<AccountServiceDeps, 'snapshotEvery'>): LoadAccountOptions {
  return deps.snapshotEvery > 0 ? { newestEvents: deps.snapshotEvery + 1 } : {};
}

/**
 * An account load started ahead of the command that decides on it, e.g. while the Idempotency-Key
 * record is written, so the command's first decision waits for no read of its own. Reading early
 * changes nothing about correctness: a decision on a version another write has since passed is
 * refused by the append's condition, as any decision is (409, or decided again when unpinned).
 */
export interface PreloadedAccount {
  readonly accountId: string;
  readonly state: Promise<AccountState>;
}

/** Starts loading the account as a command would ({@link commandLoadOptions}); see {@link PreloadedAccount}. */
export function preloadAccount(deps: AccountServiceDeps, accountId: string): PreloadedAccount {
  const state = loadAccount(deps, accountId, commandLoadOptions(deps));
  // Nobody awaits it when the request is answered from its idempotency record: not an unhandled rejection then.
  state.catch(() => undefined);
  return { accountId, state };
}

/** A command's first load: the preloaded one when it is of this account, else a read now. */
function firstLoad(deps: AccountServiceDeps, accountId: string, preloaded: PreloadedAccount | undefined): Promise<AccountState> {
  return preloaded?.accountId === accountId ? preloaded.state : loadAccount(deps, accountId, commandLoadOptions(deps));
}

/** The snapshot's state when it may be folded on: no newer than `upToVersion`, and valid. */
function trustedSnapshot(snapshot: Snapshot | undefined, upToVersion: number | undefined): OpenAccount | undefined {
  const usable = snapshot && (upToVersion === undefined || snapshot.version <= upToVersion) ? snapshot : undefined;
  return usable && accountStateFromSnapshot(usable);
}

/** The snapshot's state plus the events after it, or the full history when the snapshot cannot be used. */
async function loadAfterSnapshot(deps: AccountReadDeps, streamId: string, snapshot: Snapshot | undefined, upToVersion: number | undefined): Promise<AccountState> {
  const from = trustedSnapshot(snapshot, upToVersion);
  if (from) {
    // Read from the snapshot's own version: one extra item proves the store really reached it.
    const [anchor, ...later] = await deps.eventStore.readStream(streamId, { fromVersion: from.version, toVersion: upToVersion });
    if (anchor?.version === from.version) return foldAccount(later.map(accountEventFromStored), from);
  }
  const events = await deps.eventStore.readStream(streamId, { toVersion: upToVersion });
  return foldAccount(events.map(accountEventFromStored), initialAccountState);
}

/**
 * Opens an account with a caller-chosen or generated id.
 *
 * @example
 * await openAccount(deps, { owner: 'Ada', currency: 'EUR' }) // { accountId: '01J…', version: 1, balance: 0, … }
 * @throws {ValidationError} naming bad fields; {AccountAlreadyExistsError} when the id is taken (also by a concurrent open).
 */
export async function openAccount(deps: AccountServiceDeps, request: OpenAccountRequest, preloaded?: PreloadedAccount): Promise<AccountCommandResult> {
  const accountId = request.accountId ?? deps.newId(deps.clock().getTime());
  const id = accountIdSchema.safeParse(accountId);
  if (!id.success) throw new ValidationError('the accountId is invalid', zodIssues(id.error, 'accountId'));
  const state = await firstLoad(deps, accountId, preloaded);
  const draft = decideOpen(state, { accountId, owner: request.owner, currency: request.currency });
  try {
    return await store(deps, state, draft);
  } catch (error) {
    // Losing the race for version 1 means someone else opened this very account.
    if (error instanceof VersionConflictError) throw new AccountAlreadyExistsError(accountId, { cause: error });
    throw error;
  }
}

/**
 * How many times a command without `expectedVersion` is decided and appended when concurrent
 * writes keep winning the race for the next version. Each lost race means another command was
 * stored, so N concurrent commands need at most N attempts; past this bound the conflict is the
 * caller's (409), as a command pinned to a version gets it at once.
 */
export const UNPINNED_COMMAND_ATTEMPTS = 10;

/**
 * Deposits money into an open account.
 *
 * Without `expectedVersion` the caller did not pin a version, so losing the append race to a
 * concurrent command is not its problem: the account is loaded again and the deposit decided
 * again on the new state (see {@link UNPINNED_COMMAND_ATTEMPTS}).
 *
 * @throws {ValidationError}, {AccountNotFoundError}, {StaleVersionError} (account moved past
 * `expectedVersion`), {VersionConflictError} (a concurrent write won over a pinned command, or
 * won every attempt of an unpinned one).
 */
export function deposit(deps: AccountServiceDeps, command: DepositCommand, preloaded?: PreloadedAccount): Promise<AccountCommandResult> {
  return decideAndStore(deps, command, decideDeposit, preloaded);
}

/**
 * Withdraws money from an open account; never below a zero balance. Re-decided after a lost race
 * like {@link deposit}, so the balance check always sees the state the withdrawal is appended to.
 *
 * @example
 * await withdraw(deps, { accountId: 'a1', amount: 500, expectedVersion: 3 }) // { version: 4, balance: … }
 * @throws as {@link deposit}, and {InsufficientFundsError} when the balance is too low (nothing is stored).
 */
export function withdraw(deps: AccountServiceDeps, command: MoneyCommand, preloaded?: PreloadedAccount): Promise<AccountCommandResult> {
  return decideAndStore(deps, command, decideWithdraw, preloaded);
}

/** Loads the account, decides, stores; again after a lost race when the command is not pinned to a version. */
async function decideAndStore<C extends MoneyCommand>(
  deps: AccountServiceDeps,
  command: C,
  decide: (state: AccountState, command: C) => AccountEventDraft,
  preloaded: PreloadedAccount | undefined,
): Promise<AccountCommandResult> {
  for (let attempt = 1; ; attempt += 1) {
    const state = await (attempt === 1 ? firstLoad(deps, command.accountId, preloaded) : loadAccount(deps, command.accountId, commandLoadOptions(deps)));
    try {
      return await store(deps, state, decide(state, command));
    } catch (error) {
      const retry = error instanceof VersionConflictError && command.expectedVersion === undefined && attempt < UNPINNED_COMMAND_ATTEMPTS;
      if (!retry) throw error;
    }
  }
}

/** Appends the decided event right after the version it was decided on, then maybe snapshots. */
async function store(deps: AccountServiceDeps, state: AccountState, draft: AccountEventDraft): Promise<AccountCommandResult> {
  const now = deps.clock();
  const accountId = draft.data.accountId;
  const event: NewStoredEvent = {
    eventId: deps.newId(now.getTime()),
    type: draft.type,
    time: now.toISOString(),
    data: draft.data,
    metadata: { source: ACCOUNT_EVENT_SOURCE, subject: accountId, partitionkey: accountId },
  };
  const streamId = accountStreamId(accountId);
  const [stored] = await deps.eventStore.append(streamId, [event], state.version);
  const next = applyAccountEvent(state, accountEventFromStored(stored));
  // Unreachable after any account event; narrows the state for the result.
  if (next.status !== 'open') throw new AccountHistoryError(accountId, `event ${stored.eventId} left the account unopened`);
  const snapshot = await maybeSnapshot(deps, streamId, next);
  return { accountId, version: next.version, balance: next.balance, snapshot };
}

async function maybeSnapshot(deps: AccountServiceDeps, streamId: string, state: AccountState): Promise<SnapshotOutcome> {
  if (!shouldSnapshot(state.version, deps.snapshotEvery)) return { status: 'skipped' };
  try {
    await deps.snapshotStore.save(accountSnapshot(streamId, state, deps.clock()));
    return { status: 'saved' };
  } catch (error) {
    return { status: 'failed', error };
  }
}

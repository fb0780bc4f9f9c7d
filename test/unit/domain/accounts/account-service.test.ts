import { foldAccount } from '../../../../lambdas/domain/accounts/account';
import { type AccountServiceDeps, accountStreamId, deposit, loadAccount, openAccount, withdraw } from '../../../../lambdas/domain/accounts/account-service';
import { AccountAlreadyExistsError, AccountNotFoundError, InsufficientFundsError, StaleVersionError } from '../../../../lambdas/domain/accounts/errors';
import { accountSnapshot } from '../../../../lambdas/domain/accounts/snapshots';
import { ValidationError } from '../../../../lambdas/shared/errors';
import { VersionConflictError } from '../../../../lambdas/shared/event-store/errors';
import { ACCOUNT_ID, history, sequentialIds, steppingClock, T0 } from '../../../helpers/account-events';
import { InMemoryEventStore, InMemorySnapshotStore } from '../../../helpers/in-memory-event-store';

const STREAM = accountStreamId(ACCOUNT_ID);

function setup(snapshotEvery = 0) {
  const eventStore = new InMemoryEventStore();
  const snapshotStore = new InMemorySnapshotStore();
  const deps: AccountServiceDeps = { eventStore, snapshotStore, clock: steppingClock(), newId: sequentialIds(), snapshotEvery };
  return { deps, eventStore, snapshotStore };
}

describe('account service', () => {
  describe('accountStreamId', () => {
    it('prefixes the account id', () => {
      expect(accountStreamId('a1')).toBe('account#a1');
    });
  });

  describe('openAccount', () => {
    it('stores an opened event at version 1 with envelope metadata', async () => {
      const { deps, eventStore } = setup();

      const result = await openAccount(deps, { accountId: ACCOUNT_ID, owner: 'Ada', currency: 'EUR' });

      expect(result).toEqual({ accountId: ACCOUNT_ID, version: 1, balance: 0, snapshot: { status: 'skipped' } });
      expect(eventStore.stream(STREAM)).toEqual([
        {
          streamId: STREAM,
          version: 1,
          eventId: 'id-0001',
          type: 'sluice.account.opened.v1',
          time: new Date(T0).toISOString(),
          data: { accountId: ACCOUNT_ID, owner: 'Ada', currency: 'EUR' },
          metadata: { source: 'sluice/accounts', subject: ACCOUNT_ID, partitionkey: ACCOUNT_ID },
        },
      ]);
    });

    it('generates the account id when none is given', async () => {
      const { deps, eventStore } = setup();

      const result = await openAccount(deps, { owner: 'Ada', currency: 'EUR' });

      expect(result.accountId).toBe('id-0001');
      expect(eventStore.stream('account#id-0001')).toHaveLength(1);
    });

    it('fails with AccountAlreadyExistsError for a taken id', async () => {
      const { deps } = setup();
      await openAccount(deps, { accountId: ACCOUNT_ID, owner: 'Ada', currency: 'EUR' });

      await expect(openAccount(deps, { accountId: ACCOUNT_ID, owner: 'Bob', currency: 'USD' })).rejects.toThrow(AccountAlreadyExistsError);
    });

    it('turns losing a concurrent open into AccountAlreadyExistsError', async () => {
      const { deps, eventStore } = setup();
      eventStore.beforeAppend = () => eventStore.seed(history().opened('Rival').stored());

      const error = await openAccount(deps, { accountId: ACCOUNT_ID, owner: 'Ada', currency: 'EUR' }).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(AccountAlreadyExistsError);
      expect((error as Error).cause).toBeInstanceOf(VersionConflictError);
    });

    it('fails with a ValidationError naming accountId for an unsafe id, storing nothing', async () => {
      const { deps, eventStore } = setup();

      await expect(openAccount(deps, { accountId: 'a/b', owner: 'Ada', currency: 'EUR' })).rejects.toMatchObject({
        code: 'validation_failed',
        details: [expect.objectContaining({ field: 'accountId' })],
      });
      expect(eventStore.stream('account#a/b')).toEqual([]);
    });
  });

  describe('deposit and withdraw', () => {
    it('append the next version and return the new balance', async () => {
      const { deps, eventStore } = setup();
      eventStore.seed(history().opened().stored());

      const first = await deposit(deps, { accountId: ACCOUNT_ID, amount: 1000 });
      const second = await withdraw(deps, { accountId: ACCOUNT_ID, amount: 300, expectedVersion: 2 });

      expect(first).toMatchObject({ version: 2, balance: 1000 });
      expect(second).toMatchObject({ accountId: ACCOUNT_ID, version: 3, balance: 700 });
      expect(eventStore.stream(STREAM).map((event) => event.type)).toEqual([
        'sluice.account.opened.v1',
        'sluice.account.deposited.v2',
        'sluice.account.withdrawn.v1',
      ]);
    });

    it('fails with AccountNotFoundError for an account never opened', async () => {
      const { deps } = setup();

      await expect(deposit(deps, { accountId: 'ghost', amount: 1 })).rejects.toThrow(AccountNotFoundError);
    });

    it('refuses an overdraft and stores nothing', async () => {
      const { deps, eventStore } = setup();
      eventStore.seed(history().opened().deposit(100).stored());

      await expect(withdraw(deps, { accountId: ACCOUNT_ID, amount: 101 })).rejects.toThrow(InsufficientFundsError);
      expect(eventStore.stream(STREAM)).toHaveLength(2);
    });

    it('refuses an invalid amount', async () => {
      const { deps, eventStore } = setup();
      eventStore.seed(history().opened().stored());

      await expect(deposit(deps, { accountId: ACCOUNT_ID, amount: -1 })).rejects.toThrow(ValidationError);
    });

    it('fails with StaleVersionError when the account moved past expectedVersion', async () => {
      const { deps, eventStore } = setup();
      eventStore.seed(history().opened().deposit(5).stored());

      await expect(deposit(deps, { accountId: ACCOUNT_ID, amount: 1, expectedVersion: 1 })).rejects.toThrow(StaleVersionError);
    });

    it('fails with VersionConflictError when a concurrent append wins over a command pinned to a version', async () => {
      const { deps, eventStore } = setup();
      const both = history().opened().deposit(50).deposit(20).stored();
      eventStore.seed(both.slice(0, 2));
      // Another command appends version 3 between this command's read (version 2) and its append.
      eventStore.beforeAppend = () => eventStore.seed(both.slice(2));

      const error = await withdraw(deps, { accountId: ACCOUNT_ID, amount: 10, expectedVersion: 2 }).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(VersionConflictError);
      expect(error).toMatchObject({ name: 'VersionConflictError', code: 'version_conflict', streamId: STREAM, expectedVersion: 2 });
      expect(eventStore.stream(STREAM).map((event) => event.version)).toEqual([1, 2, 3]);
    });

    it('decides an unpinned command again on the new state when a concurrent append wins', async () => {
      const { deps, eventStore } = setup();
      const both = history().opened().deposit(50).deposit(20).stored();
      eventStore.seed(both.slice(0, 2));
      eventStore.beforeAppend = () => eventStore.seed(both.slice(2));

      const result = await withdraw(deps, { accountId: ACCOUNT_ID, amount: 10 });

      // Appended after the concurrent deposit of 20, not in its place: 50 + 20 - 10.
      expect(result).toMatchObject({ version: 4, balance: 60 });
      expect(eventStore.stream(STREAM).map((event) => event.version)).toEqual([1, 2, 3, 4]);
    });
  });

  describe('snapshots', () => {
    it('saves a snapshot every N versions', async () => {
      const { deps, eventStore, snapshotStore } = setup(3);
      eventStore.seed(history().opened().deposit(10).stored());

      const result = await deposit(deps, { accountId: ACCOUNT_ID, amount: 5 });

      expect(result.snapshot).toEqual({ status: 'saved' });
      expect(snapshotStore.snapshots.get(STREAM)).toMatchObject({ version: 3, state: { balance: 15, version: 3 } });
    });

    it('does not fail the command when saving the snapshot fails', async () => {
      const { deps, eventStore, snapshotStore } = setup(2);
      eventStore.seed(history().opened().stored());
      const failure = new Error('throttled');
      snapshotStore.failSavesWith = failure;

      const result = await deposit(deps, { accountId: ACCOUNT_ID, amount: 5 });

      expect(result).toEqual({ accountId: ACCOUNT_ID, version: 2, balance: 5, snapshot: { status: 'failed', error: failure } });
      expect(eventStore.stream(STREAM)).toHaveLength(2);
    });
  });

  describe('loadAccount', () => {
    const events = history().opened().deposit(1000).withdraw(300).deposit(50).withdraw(20);
    const full = foldAccount(events.events);

    it('folds the full history without a snapshot', async () => {
      const { deps, eventStore } = setup();
      eventStore.seed(events.stored());

      expect(await loadAccount(deps, ACCOUNT_ID)).toEqual(full);
    });

    it('returns the unopened state for an unknown account', async () => {
      const { deps } = setup();

      expect(await loadAccount(deps, 'ghost')).toEqual({ status: 'unopened', version: 0 });
    });

    it('gives the same state from a snapshot plus later events as from the full fold', async () => {
      const { deps, eventStore, snapshotStore } = setup();
      eventStore.seed(events.stored());
      const readStream = jest.spyOn(eventStore, 'readStream');
      await snapshotStore.save(accountSnapshot(STREAM, foldAccount(events.events.slice(0, 3)), new Date(T0)));

      const state = await loadAccount(deps, ACCOUNT_ID);

      expect(state).toEqual(full);
      // From the snapshot's own version: the extra item proves the store reached it.
      expect(readStream).toHaveBeenCalledWith(STREAM, { fromVersion: 3, toVersion: undefined });
      expect(readStream).toHaveBeenCalledTimes(1);
    });

    it('falls back to the full fold when the snapshot is corrupt', async () => {
      const { deps, eventStore, snapshotStore } = setup();
      eventStore.seed(events.stored());
      snapshotStore.snapshots.set(STREAM, { streamId: STREAM, version: 3, state: { balance: 'lots' }, takenAt: new Date(T0).toISOString() });
      const readStream = jest.spyOn(eventStore, 'readStream');

      expect(await loadAccount(deps, ACCOUNT_ID)).toEqual(full);
      expect(readStream).toHaveBeenCalledWith(STREAM, { toVersion: undefined });
    });

    it('falls back to the full fold when the snapshot is ahead of the store, so the next append leaves no gap', async () => {
      const { deps, eventStore, snapshotStore } = setup();
      eventStore.seed(events.stored());
      const ahead = { ...full, version: 9 } as typeof full;
      snapshotStore.snapshots.set(STREAM, { streamId: STREAM, version: 9, state: ahead, takenAt: new Date(T0).toISOString() });

      expect(await loadAccount(deps, ACCOUNT_ID)).toEqual(full);
    });

    it('falls back to the full fold when the snapshot version disagrees with its state', async () => {
      const { deps, eventStore, snapshotStore } = setup();
      eventStore.seed(events.stored());
      const state = foldAccount(events.events.slice(0, 3));
      snapshotStore.snapshots.set(STREAM, { streamId: STREAM, version: 2, state, takenAt: new Date(T0).toISOString() });

      expect(await loadAccount(deps, ACCOUNT_ID)).toEqual(full);
    });

    it('folds a history with superseded deposited.v1 events, upcast to v2', async () => {
      const { deps, eventStore } = setup();
      const stored = events.stored();
      eventStore.seed(
        stored.map((event) => (event.version === 2 ? { ...event, type: 'sluice.account.deposited.v1', data: { accountId: ACCOUNT_ID, amount: 1000 } } : event)),
      );

      expect(await loadAccount(deps, ACCOUNT_ID)).toEqual(full);
    });

    describe('with newestEvents (how commands load)', () => {
      it('reads the snapshot and the newest events at once, and folds from the snapshot when its version is among them', async () => {
        const { deps, eventStore, snapshotStore } = setup();
        eventStore.seed(events.stored());
        await snapshotStore.save(accountSnapshot(STREAM, foldAccount(events.events.slice(0, 3)), new Date(T0)));
        let snapshotLoaded!: () => void;
        const load = snapshotStore.load.bind(snapshotStore);
        jest.spyOn(snapshotStore, 'load').mockImplementation((streamId) => new Promise((resolve) => (snapshotLoaded = () => resolve(load(streamId)))));
        const readStream = jest.spyOn(eventStore, 'readStream');

        const loading = loadAccount(deps, ACCOUNT_ID, { newestEvents: 3 });
        // The events are asked for while the snapshot read is still out: one round trip, not two in a row.
        expect(readStream).toHaveBeenCalledWith(STREAM, { toVersion: undefined, last: 3 });
        snapshotLoaded();

        expect(await loading).toEqual(full);
        expect(readStream).toHaveBeenCalledTimes(1);
      });

      it('folds the newest events alone when they go back to version 1', async () => {
        const { deps, eventStore } = setup();
        eventStore.seed(events.stored());
        const readStream = jest.spyOn(eventStore, 'readStream');

        expect(await loadAccount(deps, ACCOUNT_ID, { newestEvents: 10 })).toEqual(full);
        expect(readStream).toHaveBeenCalledTimes(1);
      });

      it('reads the rest when the newest events reach neither the snapshot nor version 1', async () => {
        const { deps, eventStore, snapshotStore } = setup();
        eventStore.seed(events.stored());
        await snapshotStore.save(accountSnapshot(STREAM, foldAccount(events.events.slice(0, 2)), new Date(T0)));

        expect(await loadAccount(deps, ACCOUNT_ID, { newestEvents: 2 })).toEqual(full);
        snapshotStore.snapshots.clear();
        expect(await loadAccount(deps, ACCOUNT_ID, { newestEvents: 2 })).toEqual(full);
      });

      it('does not trust a snapshot ahead of the store', async () => {
        const { deps, eventStore, snapshotStore } = setup();
        eventStore.seed(events.stored());
        snapshotStore.snapshots.set(STREAM, { streamId: STREAM, version: 9, state: { ...full, version: 9 }, takenAt: new Date(T0).toISOString() });

        expect(await loadAccount(deps, ACCOUNT_ID, { newestEvents: 2 })).toEqual(full);
      });

      it('is what deposits load with: snapshotEvery + 1 events', async () => {
        const { deps, eventStore } = setup(4);
        eventStore.seed(events.stored());
        const readStream = jest.spyOn(eventStore, 'readStream');

        await deposit(deps, { accountId: ACCOUNT_ID, amount: 1, channel: 'api' });

        expect(readStream).toHaveBeenCalledWith(STREAM, { toVersion: undefined, last: 5 });
      });
    });

    it('folds only up to upToVersion, ignoring a newer snapshot', async () => {
      const { deps, eventStore, snapshotStore } = setup();
      eventStore.seed(events.stored());
      await snapshotStore.save(accountSnapshot(STREAM, foldAccount(events.events.slice(0, 4)), new Date(T0)));

      const state = await loadAccount(deps, ACCOUNT_ID, { upToVersion: 2 });

      expect(state).toMatchObject({ version: 2, balance: 1000 });
    });
  });
});

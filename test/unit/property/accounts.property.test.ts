import fc from 'fast-check';
import { applyAccountEvent, foldAccount, initialAccountState, type AccountState } from '../../../lambdas/domain/accounts/account';
import type { AccountEvent, AccountEventDraft } from '../../../lambdas/domain/accounts/account-event';
import { decideDeposit, decideOpen, decideWithdraw } from '../../../lambdas/domain/accounts/commands';
import { projectToReadModel } from '../../../lambdas/domain/accounts/read-model-projector';
import { accountSnapshot, accountStateFromSnapshot } from '../../../lambdas/domain/accounts/snapshots';
import { SluiceError } from '../../../lambdas/shared/errors';
import { T0, at, toStored } from '../../helpers/account-events';
import { InMemoryEventStore } from '../../helpers/in-memory-event-store';
import { InMemoryReadModel } from '../../helpers/in-memory-read-model';

/**
 * Property tests of the account fold and its projection: random command sequences give the only
 * histories the domain can produce; a failure prints fast-check's seed and the shrunk counterexample.
 */
const SEED = 20_261_130;

type Command =
  | { readonly kind: 'open'; readonly owner: string; readonly currency: string }
  | { readonly kind: 'deposit' | 'withdraw'; readonly amount: number; readonly expectedVersion?: number };

/** Mostly valid amounts, plus the invalid ones a client could send (zero, negative, fractional, unsafe). */
const amount = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 50_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, -50_000, 0.5, 12.34, Number.NaN, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, Infinity) },
);
/** Mostly without `expectedVersion` (a random one is almost always stale, so it would refuse most commands). */
const expectedVersion = fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 60 }) });
const moneyCommand = fc.record({ kind: fc.constantFrom('deposit' as const, 'withdraw' as const), amount, expectedVersion });
const openCommand = fc.record({
  kind: fc.constant('open' as const),
  owner: fc.constantFrom('Ada', 'Grace Hopper', ' ', 'x'.repeat(201)),
  currency: fc.constantFrom('EUR', 'USD', 'eur'),
});
const validOpen = fc.record({ kind: fc.constant('open' as const), owner: fc.constantFrom('Ada', 'Grace Hopper'), currency: fc.constantFrom('EUR', 'USD') });
/** An account's commands: opened first (mostly validly), then deposits, withdrawals and the odd repeated open. */
const commands = fc
  .tuple(
    fc.oneof({ weight: 5, arbitrary: validOpen }, { weight: 1, arbitrary: openCommand }),
    fc.array(fc.oneof({ weight: 15, arbitrary: moneyCommand }, { weight: 1, arbitrary: openCommand }), { maxLength: 60, size: 'max' }),
  )
  .map(([first, rest]): Command[] => [first, ...rest]);

/** Runs commands as the command handler does (decide on the folded state, store what is accepted), checking the balance after each. */
function historyOf(accountId: string, list: readonly Command[]): { events: AccountEvent[]; refused: number } {
  let state: AccountState = initialAccountState;
  const events: AccountEvent[] = [];
  let refused = 0;
  for (const command of list) {
    let draft: AccountEventDraft;
    try {
      draft =
        command.kind === 'open'
          ? decideOpen(state, { accountId, owner: command.owner, currency: command.currency })
          : (command.kind === 'deposit' ? decideDeposit : decideWithdraw)(state, { accountId, amount: command.amount, expectedVersion: command.expectedVersion });
    } catch (error) {
      // A refusal is one of the domain's own errors (a 4xx), never a crash.
      expect(error).toBeInstanceOf(SluiceError);
      refused++;
      continue;
    }
    const version = state.version + 1;
    const event = { ...draft, eventId: `evt-${accountId}-${version}`, version, time: at(version) } as AccountEvent;
    state = applyAccountEvent(state, event);
    events.push(event);
    if (state.status === 'open') {
      expect(Number.isSafeInteger(state.balance)).toBe(true);
      expect(state.balance).toBeGreaterThanOrEqual(0);
    }
  }
  return { events, refused };
}

const ACCOUNTS = ['acc-1', 'acc-2', 'acc-3'];
/** One to three accounts' histories, each from its own random commands. */
const histories = fc
  .array(commands, { minLength: 1, maxLength: ACCOUNTS.length })
  .map((lists) => lists.map((list, n) => historyOf(ACCOUNTS[n], list).events).filter((events) => events.length > 0))
  .filter((accounts) => accounts.length > 0);

/** The read model's rows, in a stable order, for comparison. */
function rowsOf(readModel: InMemoryReadModel) {
  return {
    balances: [...readModel.balances.values()].sort((a, b) => a.accountId.localeCompare(b.accountId)),
    transactions: [...readModel.transactions].sort((a, b) => a.accountId.localeCompare(b.accountId) || a.version - b.version),
  };
}

async function project(store: InMemoryEventStore, delivery: readonly AccountEvent[]): Promise<InMemoryReadModel> {
  const readModel = new InMemoryReadModel();
  for (const event of delivery) await projectToReadModel({ readModel, eventStore: store }, event);
  return readModel;
}

describe('account fold and projection properties', () => {
  it('never lets an accepted command make a balance negative (or unsafe), and refuses the rest with a domain error', () => {
    fc.assert(
      fc.property(commands, (list) => {
        const { events, refused } = historyOf('acc-1', list);
        expect(events.length + refused).toBe(list.length);
        const state = foldAccount(events);
        if (state.status === 'open') expect(state.balance).toBeGreaterThanOrEqual(0);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('converges to the rebuilt rows whatever the delivery order, with every event duplicated at random', async () => {
    const delivered = histories.chain((accounts) => {
      const all = accounts.flat();
      return fc.tuple(fc.constant(accounts), fc.array(fc.constantFrom(...all), { maxLength: all.length })).chain(([accs, duplicates]) => {
        const delivery = [...all, ...duplicates];
        return fc.tuple(fc.constant(accs), fc.shuffledSubarray(delivery, { minLength: delivery.length, maxLength: delivery.length }));
      });
    });
    await fc.assert(
      fc.asyncProperty(delivered, async ([accounts, delivery]) => {
        const store = new InMemoryEventStore();
        store.seed(accounts.flat().map(toStored));
        const rebuilt = rowsOf(await project(store, accounts.flat()));
        const converged = rowsOf(await project(store, delivery));
        expect(converged).toEqual(rebuilt);
        // And the rebuilt balance rows are the fold of each history.
        for (const events of accounts) {
          const { status, ...row } = foldAccount(events) as Extract<AccountState, { status: 'open' }>;
          expect(status).toBe('open');
          expect(rebuilt.balances.find((balance) => balance.accountId === row.accountId)).toEqual(row);
        }
        expect(rebuilt.transactions).toHaveLength(accounts.flat().length);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('folds a snapshot plus the remaining events to the same state as the full history', () => {
    const historyAndCut = commands
      .map((list) => historyOf('acc-1', list).events)
      .chain((events) => fc.tuple(fc.constant(events), fc.integer({ min: 1, max: Math.max(1, events.length) })));
    fc.assert(
      fc.property(historyAndCut, ([events, cut]) => {
        fc.pre(events.length > 0);
        const full = foldAccount(events);
        // The snapshot goes through JSON, as it does through DynamoDB.
        const snapshot = JSON.parse(JSON.stringify(accountSnapshot('account#acc-1', foldAccount(events.slice(0, cut)), new Date(T0))));
        const restored = accountStateFromSnapshot(snapshot);
        expect(restored).toBeDefined();
        expect(foldAccount(events.slice(cut), restored)).toEqual(full);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});

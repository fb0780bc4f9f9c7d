import type { AccountReadModel, BalanceRow, ReadModelRun, TransactionRow } from '../../../../lambdas/domain/accounts';
import { projectToReadModel } from '../../../../lambdas/domain/accounts/read-model-projector';
import { history } from '../../../helpers/account-events';
import { InMemoryEventStore } from '../../../helpers/in-memory-event-store';
import { InMemoryReadModel } from '../../../helpers/in-memory-read-model';

describe('projectToReadModel', () => {
  const account = history().opened().deposit(100).deposit(50).withdraw(30);
  const [opened, first, second, third] = account.events;

  function setup() {
    const eventStore = new InMemoryEventStore();
    eventStore.seed(account.stored());
    return { readModel: new InMemoryReadModel(), eventStore };
  }

  it('applies events in order and skips redeliveries', async () => {
    const deps = setup();

    await projectToReadModel(deps, opened);
    await projectToReadModel(deps, first);
    const again = await projectToReadModel(deps, first);

    expect(again).toEqual({ status: 'skipped' });
    expect(deps.readModel.balances.get('acc-1')).toMatchObject({ balance: 100, version: 2 });
    expect(deps.readModel.transactions.map((row: TransactionRow) => row.version)).toEqual([1, 2]);
  });

  it('reads missing versions from the event store before applying a later event', async () => {
    const deps = setup();
    await projectToReadModel(deps, opened);

    const outcome = await projectToReadModel(deps, third);

    expect(outcome).toEqual({ status: 'applied', versions: [2, 3, 4] });
    expect(deps.readModel.balances.get('acc-1')).toMatchObject({ balance: 120, version: 4 });
    expect(await projectToReadModel(deps, second)).toEqual({ status: 'skipped' });
  });

  it('fails, to be retried, when the event store has a gap before the event', async () => {
    const eventStore = new InMemoryEventStore();
    eventStore.seed(account.stored().filter((event) => event.version !== 3));
    const deps = { readModel: new InMemoryReadModel(), eventStore };

    await expect(projectToReadModel(deps, third)).rejects.toMatchObject({ code: 'projection_out_of_order' });
  });

  it.each([
    ['no event at its version', () => ({ ...third, version: 9 })],
    ['another event at its version', () => ({ ...first, eventId: 'forged-1' })],
  ])('refuses an event the store does not hold (%s) as untrusted, and changes nothing', async (_, forged) => {
    const deps = setup();
    await projectToReadModel(deps, opened);

    await expect(projectToReadModel(deps, forged())).rejects.toMatchObject({ code: 'untrusted_event' });
    expect(deps.readModel.balances.get('acc-1')).toMatchObject({ balance: 0, version: 1 });
  });

  it('refuses a copy whose data differs from the stored event, and changes nothing', async () => {
    const deps = setup();
    await projectToReadModel(deps, opened);

    const altered = projectToReadModel(deps, { ...first, data: { ...first.data, amount: 999_999 } } as typeof first);

    await expect(altered).rejects.toMatchObject({ code: 'untrusted_event' });
    expect(deps.readModel.balances.get('acc-1')).toMatchObject({ balance: 0, version: 1 });
  });

  it('passes the read model a change conditioned on the version it read', async () => {
    const changes: ReadModelRun[] = [];
    const row: BalanceRow = { accountId: 'acc-1', owner: 'Ada', currency: 'EUR', balance: 100, version: 2, openedAt: 'x', updatedAt: 'x' };
    const readModel: AccountReadModel = {
      getBalance: async () => row,
      getBalances: async () => new Map([[row.accountId, row]]),
      putTransactions: async () => new Map(),
      putBalance: async () => {
        throw new Error('the projector commits through putBalances');
      },
      putBalances: async (runs) => {
        changes.push(...runs);
        return new Map();
      },
    };

    await projectToReadModel({ readModel, eventStore: setup().eventStore }, second);

    expect(changes).toEqual([expect.objectContaining({ previousVersion: 2, balance: expect.objectContaining({ balance: 150 }) })]);
  });
});

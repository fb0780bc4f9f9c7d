import { handleCommand } from '../../../lambdas/command/handler';
import { foldAccount } from '../../../lambdas/domain/accounts/account';
import { accountSnapshot } from '../../../lambdas/domain/accounts/snapshots';
import { logger } from '../../../lambdas/shared/observability';
import { history, T0 } from '../../helpers/account-events';
import { apiEvent, bodyOf } from '../../helpers/api-gateway-events';
import { commandDeps } from '../../helpers/command-deps';

logger.setLogLevel('SILENT');

/**
 * The event store table checks only that an appended version is free, not that it follows the
 * newest one, so a stream can hold a gap (see test/helpers/event-store-contract.ts). The command
 * side must never build on one: these run on the in-memory store, which keeps gaps as the table does.
 */
describe('commands on a history with a gap', () => {
  const account = history('a1').opened().deposit(100).deposit(50).deposit(25);
  const deposit = (amount: number) => apiEvent('POST', '/accounts/{id}/deposits', { id: 'a1' }, { amount });

  it('refuse to decide on it: 500 internal_error, and nothing is appended after the gap', async () => {
    const { deps, eventStore } = commandDeps();
    eventStore.seed(account.stored().filter((event) => event.version !== 3));

    const response = await handleCommand(deposit(5), deps);

    expect([response.statusCode, bodyOf(response).error]).toEqual([500, 'internal_error']);
    expect(eventStore.stream('account#a1').map((event) => event.version)).toEqual([1, 2, 4]);
  });

  it('append right after the stored history when a snapshot claims a version the store lacks, leaving no gap', async () => {
    const { deps, eventStore } = commandDeps();
    eventStore.seed(account.stored());
    const state = foldAccount(account.events);
    const ahead = { ...state, version: 9 } as typeof state;
    await deps.snapshotStore.save({ ...accountSnapshot('account#a1', ahead, new Date(T0)), version: 9 });

    const response = await handleCommand(deposit(5), deps);

    expect([response.statusCode, bodyOf(response)]).toEqual([201, { accountId: 'a1', version: 5, balance: 180 }]);
    expect(eventStore.stream('account#a1').map((event) => event.version)).toEqual([1, 2, 3, 4, 5]);
  });
});

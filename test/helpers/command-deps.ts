import type { AccountServiceDeps } from '../../lambdas/domain/accounts';
import { history, sequentialIds, steppingClock } from './account-events';
import { InMemoryEventStore, InMemorySnapshotStore } from './in-memory-event-store';

/**
 * The command handler's dependencies on in-memory stores, with account `a1` opened and holding 100
 * and a stepping clock, sequential ids and no snapshots, so answers are predictable.
 */
export function commandDeps(): { deps: AccountServiceDeps; eventStore: InMemoryEventStore } {
  const eventStore = new InMemoryEventStore();
  const deps: AccountServiceDeps = {
    eventStore,
    snapshotStore: new InMemorySnapshotStore(),
    clock: steppingClock(),
    newId: sequentialIds(),
    snapshotEvery: 0,
  };
  eventStore.seed(history('a1').opened().deposit(100).stored());
  return { deps, eventStore };
}

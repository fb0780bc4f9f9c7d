import { type AccountEvent, accountEventFromStored } from './account-event';
import { accountStreamId } from './account-service';
import { ProjectionOrderError } from './errors';
import type { EventStore } from '../../shared/event-store/port';
import type { AccountReadModel } from './ports';
import { planProjection, projectAccountEvent } from './projection';
import { assertStoredMatches } from './trusted-event';

/** What projecting into the read model needs: the read model, and the event store to fill gaps from. */
export interface ReadModelProjectorDeps {
  readonly readModel: AccountReadModel;
  readonly eventStore: EventStore;
}

/** What projecting one event did: nothing (a duplicate), or applied these versions in order. */
export type ProjectionOutcome = { readonly status: 'skipped' } | { readonly status: 'applied'; readonly versions: readonly number[] };

/**
 * Projects one account event into the read model, exactly once and in version order.
 *
 * A version the read model already has is skipped (at-least-once delivery redelivers); otherwise
 * the versions from the read model's next one up to the event's are read from the event store
 * (a consistent read) and applied from there: a lost or reordered delivery heals itself, and the
 * stream only says *which* version to reach — the store, the single source of truth, says what it
 * holds. An event the store does not hold at its version (a record forged onto the stream) is refused.
 *
 * @example
 * await projectToReadModel({ readModel, eventStore }, deposited) // { status: 'applied', versions: [3] }
 * @throws {ReadModelConflictError} when another writer moved the balance row; the record is retried.
 * @throws {UntrustedAccountEventError} when the store holds another event (or none) at the event's version: poison.
 */
export async function projectToReadModel(deps: ReadModelProjectorDeps, event: AccountEvent): Promise<ProjectionOutcome> {
  const accountId = event.data.accountId;
  let row = await deps.readModel.getBalance(accountId);
  const step = planProjection(row?.version ?? 0, event.version);
  if (step.action === 'skip') return { status: 'skipped' };

  const fromVersion = step.action === 'catch-up' ? step.fromVersion : event.version;
  const stored = await readStored(deps.eventStore, event, fromVersion);
  const versions: number[] = [];
  for (const next of stored) {
    const change = projectAccountEvent(row, next);
    await deps.readModel.apply(change);
    row = change.balance;
    versions.push(next.version);
  }
  return { status: 'applied', versions };
}

/** Versions `fromVersion..event.version` as the store holds them, the last one checked to be this event. */
async function readStored(eventStore: EventStore, event: AccountEvent, fromVersion: number): Promise<AccountEvent[]> {
  const accountId = event.data.accountId;
  const toVersion = event.version;
  const stored = await eventStore.readStream(accountStreamId(accountId), { fromVersion, toVersion });
  const last = stored.at(-1);
  assertStoredMatches(last && last.version === toVersion ? accountEventFromStored(last) : undefined, event);
  if (stored.length !== toVersion - fromVersion + 1) {
    throw new ProjectionOrderError(
      accountId,
      fromVersion - 1,
      toVersion + 1,
      `the event store returned ${stored.length} of the missing versions ${fromVersion}..${toVersion}`,
    );
  }
  return stored.map(accountEventFromStored);
}

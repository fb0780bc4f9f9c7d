import { type AccountEvent, accountEventFromStored } from './account-event';
import { accountStreamId } from './account-service';
import { ProjectionOrderError } from './errors';
import type { AccountReadModel, EventStore } from './ports';
import { planProjection, projectAccountEvent } from './projection';

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
 * A version the read model already has is skipped (at-least-once delivery redelivers); a version
 * ahead of it first applies the missing versions, read from the event store, so a lost or
 * reordered delivery heals itself.
 *
 * @example
 * await projectToReadModel({ readModel, eventStore }, deposited) // { status: 'applied', versions: [3] }
 * @throws {ReadModelConflictError} when another writer moved the balance row; the record is retried.
 */
export async function projectToReadModel(deps: ReadModelProjectorDeps, event: AccountEvent): Promise<ProjectionOutcome> {
  const accountId = event.data.accountId;
  let row = await deps.readModel.getBalance(accountId);
  const step = planProjection(row?.version ?? 0, event.version);
  if (step.action === 'skip') return { status: 'skipped' };

  const missing = step.action === 'catch-up' ? await readMissing(deps.eventStore, accountId, step.fromVersion, step.toVersion) : [];
  const versions: number[] = [];
  for (const next of [...missing, event]) {
    const change = projectAccountEvent(row, next);
    await deps.readModel.apply(change);
    row = change.balance;
    versions.push(next.version);
  }
  return { status: 'applied', versions };
}

async function readMissing(eventStore: EventStore, accountId: string, fromVersion: number, toVersion: number): Promise<AccountEvent[]> {
  const stored = await eventStore.readStream(accountStreamId(accountId), { fromVersion, toVersion });
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

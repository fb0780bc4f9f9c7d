import type { AccountEvent } from './account-event';
import { accountEventFromStored } from './account-event';
import { accountStreamId } from './account-service';
import { UntrustedAccountEventError } from './errors';
import type { EventStore } from '../../shared/event-store/port';

/**
 * Checks that a delivered account event is the one the event store holds at its version: same
 * event id, same data. The stream only carries copies; a copy that differs from the store (a
 * record forged onto the stream, or altered on the way) must never reach a balance or a message.
 *
 * @throws {UntrustedAccountEventError} naming what the store holds instead.
 */
export function assertStoredMatches(stored: AccountEvent | undefined, delivered: AccountEvent): void {
  const { accountId } = delivered.data;
  if (!stored || stored.version !== delivered.version) {
    throw new UntrustedAccountEventError(delivered.eventId, `the event store holds no event at version ${delivered.version} of account ${accountId}`);
  }
  if (stored.eventId !== delivered.eventId) {
    throw new UntrustedAccountEventError(delivered.eventId, `the event store holds event ${stored.eventId} at version ${delivered.version} of account ${accountId}`);
  }
  if (stored.type !== delivered.type || JSON.stringify(sorted(stored.data)) !== JSON.stringify(sorted(delivered.data))) {
    throw new UntrustedAccountEventError(delivered.eventId, `its data differs from the stored event at version ${delivered.version} of account ${accountId}`);
  }
}

/**
 * The stored event a delivered account event stands for (a consistent read of its one version).
 *
 * @throws {UntrustedAccountEventError} when the store holds another event, or none, there.
 */
export async function storedCounterpart(eventStore: EventStore, delivered: AccountEvent): Promise<AccountEvent> {
  const [stored] = await eventStore.readStream(accountStreamId(delivered.data.accountId), {
    fromVersion: delivered.version,
    toVersion: delivered.version,
  });
  const event = stored && accountEventFromStored(stored);
  assertStoredMatches(event, delivered);
  return event!;
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, inner]) => [key, sorted(inner)]),
    );
  }
  return value;
}

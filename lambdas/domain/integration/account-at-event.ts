import { accountEventFromEnvelope, loadAccount, storedCounterpart, type AccountReadDeps, type OpenAccount } from '../accounts';
import type { EventEnvelope } from '../../shared/envelope';
import { AccountStateUnavailableError } from './errors';

/**
 * The account exactly as it was right after an account event: the store is queried up to the
 * event's `streamversion`, so a late or replayed event still gets the state of its own moment.
 * The event itself must be the one the store holds at that version (see `storedCounterpart`).
 *
 * @example
 * const account = await accountAtEvent(deps, depositedEnvelope); // balance after that deposit
 * @throws {ValidationError} for an envelope that is not an account event; {UntrustedAccountEventError}
 * for one that is not from the outbox or not what the store holds;
 * {AccountStateUnavailableError} when the store does not hold that version.
 */
export async function accountAtEvent(deps: AccountReadDeps, envelope: EventEnvelope): Promise<OpenAccount> {
  const event = accountEventFromEnvelope(envelope);
  await storedCounterpart(deps.eventStore, event);
  const state = await loadAccount(deps, event.data.accountId, { upToVersion: event.version });
  if (state.status !== 'open' || state.version !== event.version) {
    throw new AccountStateUnavailableError(event.data.accountId, event.version, state.version);
  }
  return state;
}

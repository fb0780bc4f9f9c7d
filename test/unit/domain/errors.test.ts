import {
  AccountAlreadyExistsError,
  AccountError,
  AccountHistoryError,
  AccountNotFoundError,
  InsufficientFundsError,
  ProjectionOrderError,
  ReadModelConflictError,
  StaleVersionError,
  UntrustedAccountEventError,
} from '../../../lambdas/domain/accounts/errors';
import { CardError, CardWindowMismatchError, FraudWindowConflictError } from '../../../lambdas/domain/cards/errors';
import { AccountStateUnavailableError, NotNotifiableError } from '../../../lambdas/domain/integration/errors';

// What a user sees of a domain error: `code` is the API body's `error` (and the metric dimension),
// `name` the errorType in logs and on-failure records, `message` says what was wrong and how to fix it.
// Each error is built inside its test (not in the table), so a mutation run sees the constructor run.
describe('domain errors', () => {
  it.each([
    ['AccountError', () => new AccountError('some_rule', 'a1', 'broke a rule'), 'some_rule', 'broke a rule'],
    ['AccountNotFoundError', () => new AccountNotFoundError('a1'), 'account_not_found', 'account a1 does not exist; open it first with POST /accounts'],
    ['AccountAlreadyExistsError', () => new AccountAlreadyExistsError('a1'), 'account_exists', 'account a1 already exists; choose another accountId or omit it to get a generated one'],
    ['InsufficientFundsError', () => new InsufficientFundsError('a1', 50, 80), 'insufficient_funds', 'account a1 has a balance of 50, less than the 80 requested; withdraw at most 50'],
    ['StaleVersionError', () => new StaleVersionError('a1', 3, 5), 'version_conflict', 'account a1 is at version 5, not the expected version 3; reload the account and retry'],
    ['AccountHistoryError', () => new AccountHistoryError('a1', 'gap at 4'), 'account_history_invalid', 'the history of account a1 is invalid: gap at 4'],
    ['ProjectionOrderError', () => new ProjectionOrderError('a1', 2, 4, 'a version is missing'), 'projection_out_of_order', 'cannot project version 4 of account a1 onto version 2: a version is missing'],
    ['ReadModelConflictError', () => new ReadModelConflictError('a1', 7), 'read_model_conflict', 'the balance row of account a1 is no longer at version 7; retry to project onto the new row'],
    ['UntrustedAccountEventError', () => new UntrustedAccountEventError('e1', 'forged'), 'untrusted_event', "event e1 is not from the account event store's outbox: forged"],
    ['CardError', () => new CardError('some_card_rule', 'broke a card rule'), 'some_card_rule', 'broke a card rule'],
    ['CardWindowMismatchError', () => new CardWindowMismatchError('card-1', 'card-2'), 'card_window_mismatch', 'a swipe of card card-2 was offered to the window of card card-1'],
    ['FraudWindowConflictError', () => new FraudWindowConflictError('card-1', 3), 'fraud_window_conflict', 'the fraud window of card card-1 is no longer at revision 3; reload it and retry'],
    ['AccountStateUnavailableError', () => new AccountStateUnavailableError('a1', 4, 3), 'account_state_unavailable', 'the event store has account a1 at version 3, but an event says it reached version 4'],
    ['NotNotifiableError', () => new NotNotifiableError('sluice.card.swiped.v1'), 'not_notifiable', 'no notification is defined for sluice.card.swiped.v1; check isNotifiable before composing'],
  ] as const)('%s has its name, code and message', (name, build, code, message) => {
    const error = build();

    expect({ name: error.name, code: error.code, message: error.message }).toEqual({ name, code, message });
  });

  it('keeps the values a caller acts on', () => {
    expect(new InsufficientFundsError('a1', 50, 80)).toMatchObject({ accountId: 'a1', balance: 50, requested: 80 });
    expect(new StaleVersionError('a1', 3, 5)).toMatchObject({ accountId: 'a1', expectedVersion: 3, actualVersion: 5 });
    expect(new ProjectionOrderError('a1', 2, 4, 'gap')).toMatchObject({ accountId: 'a1', currentVersion: 2, eventVersion: 4 });
    expect(new ReadModelConflictError('a1', 7)).toMatchObject({ accountId: 'a1', previousVersion: 7 });
    expect(new UntrustedAccountEventError('e1', 'forged')).toMatchObject({ eventId: 'e1' });
    expect(new AccountStateUnavailableError('a1', 4, 3)).toMatchObject({ accountId: 'a1', version: 4 });
    expect(new NotNotifiableError('t.v1')).toMatchObject({ type: 't.v1' });
  });
});

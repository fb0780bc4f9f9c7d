import * as accounts from '../../../lambdas/domain/accounts/errors';
import { CardError, CardWindowMismatchError, FraudWindowConflictError } from '../../../lambdas/domain/cards/errors';
import { AccountStateUnavailableError, NotNotifiableError } from '../../../lambdas/domain/integration/errors';

// What a user sees of a domain error: `code` is the API body's `error` (and the metric dimension),
// `httpStatus` the API's status for it (none: the caller gets 500 internal_error), `name` the
// errorType in logs and on-failure records, `message` says what was wrong and how to fix it.
// Each error is built inside its test (not in the table), so a mutation run sees the constructor run.
describe('domain errors', () => {
  it.each([
    ['AccountError', () => new accounts.AccountError('some_rule', 'a1', 'broke a rule'), 'some_rule', undefined, 'broke a rule'],
    [
      'AccountNotFoundError',
      () => new accounts.AccountNotFoundError('a1'),
      'account_not_found',
      404,
      'account a1 does not exist; open it first with POST /accounts',
    ],
    [
      'AccountAlreadyExistsError',
      () => new accounts.AccountAlreadyExistsError('a1'),
      'account_exists',
      409,
      'account a1 already exists; choose another accountId or omit it to get a generated one',
    ],
    [
      'InsufficientFundsError',
      () => new accounts.InsufficientFundsError('a1', 50, 80),
      'insufficient_funds',
      422,
      'account a1 has a balance of 50, less than the 80 requested; withdraw at most 50',
    ],
    [
      'StaleVersionError',
      () => new accounts.StaleVersionError('a1', 3, 5),
      'version_conflict',
      409,
      'account a1 is at version 5, not the expected version 3; reload the account and retry',
    ],
    [
      'AccountHistoryError',
      () => new accounts.AccountHistoryError('a1', 'gap at 4'),
      'account_history_invalid',
      undefined,
      'the history of account a1 is invalid: gap at 4',
    ],
    [
      'ProjectionOrderError',
      () => new accounts.ProjectionOrderError('a1', 2, 4, 'a version is missing'),
      'projection_out_of_order',
      undefined,
      'cannot project version 4 of account a1 onto version 2: a version is missing',
    ],
    [
      'ReadModelConflictError',
      () => new accounts.ReadModelConflictError('a1', 7),
      'read_model_conflict',
      undefined,
      'the balance row of account a1 is no longer at version 7; retry to project onto the new row',
    ],
    [
      'UntrustedAccountEventError',
      () => new accounts.UntrustedAccountEventError('e1', 'forged'),
      'untrusted_event',
      undefined,
      "event e1 is not from the account event store's outbox: forged",
    ],
    ['CardError', () => new CardError('some_card_rule', 'broke a card rule'), 'some_card_rule', undefined, 'broke a card rule'],
    [
      'CardWindowMismatchError',
      () => new CardWindowMismatchError('card-1', 'card-2'),
      'card_window_mismatch',
      undefined,
      'a swipe of card card-2 was offered to the window of card card-1',
    ],
    [
      'FraudWindowConflictError',
      () => new FraudWindowConflictError('card-1', 3),
      'fraud_window_conflict',
      undefined,
      'the fraud window of card card-1 is no longer at revision 3; reload it and retry',
    ],
    [
      'AccountStateUnavailableError',
      () => new AccountStateUnavailableError('a1', 4, 3),
      'account_state_unavailable',
      undefined,
      'the event store has account a1 at version 3, but an event says it reached version 4',
    ],
    [
      'NotNotifiableError',
      () => new NotNotifiableError('sluice.card.swiped.v1'),
      'not_notifiable',
      undefined,
      'no notification is defined for sluice.card.swiped.v1; check isNotifiable before composing',
    ],
  ] as const)('%s has its name, code, status and message', (name, build, code, httpStatus, message) => {
    const error = build();

    expect({ name: error.name, code: error.code, httpStatus: error.httpStatus, message: error.message }).toEqual({ name, code, httpStatus, message });
  });

  it('keeps the values a caller acts on', () => {
    expect(new accounts.InsufficientFundsError('a1', 50, 80)).toMatchObject({ accountId: 'a1', balance: 50, requested: 80 });
    expect(new accounts.StaleVersionError('a1', 3, 5)).toMatchObject({ accountId: 'a1', expectedVersion: 3, actualVersion: 5 });
    expect(new accounts.ProjectionOrderError('a1', 2, 4, 'gap')).toMatchObject({ accountId: 'a1', currentVersion: 2, eventVersion: 4 });
    expect(new accounts.ReadModelConflictError('a1', 7)).toMatchObject({ accountId: 'a1', previousVersion: 7 });
    expect(new accounts.UntrustedAccountEventError('e1', 'forged')).toMatchObject({ eventId: 'e1' });
    expect(new AccountStateUnavailableError('a1', 4, 3)).toMatchObject({ accountId: 'a1', version: 4 });
    expect(new NotNotifiableError('t.v1')).toMatchObject({ type: 't.v1' });
  });
});

import { SluiceError, type SluiceErrorOptions } from '../../shared/errors';

/** Base class of the account rules' errors; `code` says which rule, the fields say why. */
export class AccountError extends SluiceError {
  public readonly accountId: string;

  public constructor(code: string, accountId: string, message: string, options?: SluiceErrorOptions) {
    super(code, message, options);
    this.name = 'AccountError';
    this.accountId = accountId;
  }
}

/** No account with this id has been opened. HTTP 404. */
export class AccountNotFoundError extends AccountError {
  public constructor(accountId: string, options?: ErrorOptions) {
    super('account_not_found', accountId, `account ${accountId} does not exist; open it first with POST /accounts`, { ...options, httpStatus: 404 });
    this.name = 'AccountNotFoundError';
  }
}

/** An account with this id is already open. HTTP 409. */
export class AccountAlreadyExistsError extends AccountError {
  public constructor(accountId: string, options?: ErrorOptions) {
    super('account_exists', accountId, `account ${accountId} already exists; choose another accountId or omit it to get a generated one`, {
      ...options,
      httpStatus: 409,
    });
    this.name = 'AccountAlreadyExistsError';
  }
}

/** A withdrawal larger than the balance: sluice allows no overdraft. HTTP 422. */
export class InsufficientFundsError extends AccountError {
  public readonly balance: number;
  public readonly requested: number;

  public constructor(accountId: string, balance: number, requested: number, options?: ErrorOptions) {
    super('insufficient_funds', accountId, `account ${accountId} has a balance of ${balance}, less than the ${requested} requested; withdraw at most ${balance}`, {
      ...options,
      httpStatus: 422,
    });
    this.name = 'InsufficientFundsError';
    this.balance = balance;
    this.requested = requested;
  }
}

/** The caller decided on an older (or unknown) version of the account than the current one. HTTP 409. */
export class StaleVersionError extends AccountError {
  public readonly expectedVersion: number;
  public readonly actualVersion: number;

  public constructor(accountId: string, expectedVersion: number, actualVersion: number, options?: ErrorOptions) {
    super(
      'version_conflict',
      accountId,
      `account ${accountId} is at version ${actualVersion}, not the expected version ${expectedVersion}; reload the account and retry`,
      { ...options, httpStatus: 409 },
    );
    this.name = 'StaleVersionError';
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }
}

/** The stored history breaks an account invariant (a gap, or an event before `opened`): a bug or tampering. */
export class AccountHistoryError extends AccountError {
  public constructor(accountId: string, problem: string, options?: ErrorOptions) {
    super('account_history_invalid', accountId, `the history of account ${accountId} is invalid: ${problem}`, options);
    this.name = 'AccountHistoryError';
  }
}

/** An event cannot be projected onto the balance row it was given (not its next version, or never opened). */
export class ProjectionOrderError extends AccountError {
  public readonly currentVersion: number;
  public readonly eventVersion: number;

  public constructor(accountId: string, currentVersion: number, eventVersion: number, problem: string, options?: ErrorOptions) {
    super(
      'projection_out_of_order',
      accountId,
      `cannot project version ${eventVersion} of account ${accountId} onto version ${currentVersion}: ${problem}`,
      options,
    );
    this.name = 'ProjectionOrderError';
    this.currentVersion = currentVersion;
    this.eventVersion = eventVersion;
  }
}

/**
 * An account-typed event that did not come from the outbox: not from the account source, without
 * a `streamversion`, about another account than its subject, or not the event the store holds at
 * that version. Only the event store writes account history; anything else on the stream claiming
 * to be account history (a forged or misrouted record) is poison: it goes to the DLQ, never into
 * a balance. Permanent (code `untrusted_event`).
 */
export class UntrustedAccountEventError extends SluiceError {
  public readonly eventId: string;

  public constructor(eventId: string, problem: string, options?: ErrorOptions) {
    super('untrusted_event', `event ${eventId} is not from the account event store's outbox: ${problem}`, options);
    this.name = 'UntrustedAccountEventError';
    this.eventId = eventId;
  }
}

/** The balance row moved while a change was being written; the record is retried and sees the new row. */
export class ReadModelConflictError extends AccountError {
  public readonly previousVersion: number;

  public constructor(accountId: string, previousVersion: number, options?: ErrorOptions) {
    super(
      'read_model_conflict',
      accountId,
      `the balance row of account ${accountId} is no longer at version ${previousVersion}; retry to project onto the new row`,
      options,
    );
    this.name = 'ReadModelConflictError';
    this.previousVersion = previousVersion;
  }
}

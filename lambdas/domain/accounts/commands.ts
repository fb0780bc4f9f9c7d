import { zodIssues } from '../../shared/envelope';
import { ValidationError } from '../../shared/errors';
import type { AccountEventDraft } from './account-event';
import type { AccountState, OpenAccount } from './account';
import { AccountAlreadyExistsError, AccountNotFoundError, InsufficientFundsError, StaleVersionError } from './errors';
import { ACCOUNT_EVENT_TYPES, accountOpenedV1Schema, amountSchema, type DepositChannel, referenceSchema } from './events';

/** Open an account; `accountId` is already chosen (caller-provided or generated). */
export interface OpenAccountCommand {
  readonly accountId: string;
  readonly owner: string;
  readonly currency: string;
}

/** Move money into or out of an account. */
export interface MoneyCommand {
  readonly accountId: string;
  /** Positive integer in minor units (cents). */
  readonly amount: number;
  /** The version the caller last saw; when given, the command is refused if the account moved on. */
  readonly expectedVersion?: number;
}

/** Pay money into an account; the command route records where it came from. */
export interface DepositCommand extends MoneyCommand {
  /** The payer's reference, kept on the event (at most 140 characters). */
  readonly reference?: string;
  /** How the money came in; the HTTP route says `api`. @default 'api' */
  readonly channel?: Exclude<DepositChannel, 'unknown'>;
}

/**
 * Decides the `opened` event for an account that does not exist yet.
 *
 * @example
 * decideOpen(initialAccountState, { accountId: 'a1', owner: 'Ada', currency: 'EUR' })
 * // { type: 'sluice.account.opened.v1', data: { accountId: 'a1', owner: 'Ada', currency: 'EUR' } }
 * @throws {ValidationError} naming bad fields; {AccountAlreadyExistsError} when the account is open.
 */
export function decideOpen(state: AccountState, command: OpenAccountCommand): AccountEventDraft {
  const result = accountOpenedV1Schema.safeParse(command);
  if (!result.success) throw new ValidationError('the account cannot be opened with these values', zodIssues(result.error));
  if (state.status === 'open') throw new AccountAlreadyExistsError(command.accountId);
  return { type: ACCOUNT_EVENT_TYPES.opened, data: result.data };
}

/**
 * Decides the `deposited` (v2) event for an open account.
 *
 * @example
 * decideDeposit(account, { accountId: 'a1', amount: 1250 }) // { type: 'sluice.account.deposited.v2', data: { accountId: 'a1', amount: 1250, channel: 'api' } }
 * @throws {ValidationError}, {AccountNotFoundError}, {StaleVersionError}.
 */
export function decideDeposit(state: AccountState, command: DepositCommand): AccountEventDraft {
  const reference = command.reference === undefined ? undefined : referenceSchema.safeParse(command.reference);
  if (reference && !reference.success) throw new ValidationError('the reference is invalid', zodIssues(reference.error, 'reference'));
  const account = checkMoneyCommand(state, command);
  if (!Number.isSafeInteger(account.balance + command.amount)) {
    throw new ValidationError('the deposit would overflow the balance', [
      { field: 'amount', message: `must be at most ${Number.MAX_SAFE_INTEGER - account.balance} for this account` },
    ]);
  }
  return {
    type: ACCOUNT_EVENT_TYPES.deposited,
    data: {
      accountId: account.accountId,
      amount: command.amount,
      ...(reference?.data === undefined ? {} : { reference: reference.data }),
      channel: command.channel ?? 'api',
    },
  };
}

/**
 * Decides the `withdrawn` event; there is no overdraft, so a refused withdrawal stores nothing.
 *
 * @example
 * decideWithdraw(accountWith(1000), { accountId: 'a1', amount: 1500 }) // throws InsufficientFundsError
 * @throws {ValidationError}, {AccountNotFoundError}, {StaleVersionError}, {InsufficientFundsError}.
 */
export function decideWithdraw(state: AccountState, command: MoneyCommand): AccountEventDraft {
  const account = checkMoneyCommand(state, command);
  if (command.amount > account.balance) throw new InsufficientFundsError(account.accountId, account.balance, command.amount);
  return { type: ACCOUNT_EVENT_TYPES.withdrawn, data: { accountId: account.accountId, amount: command.amount } };
}

/** The rules deposits and withdrawals share: a valid amount, an open account, the version the caller saw. */
function checkMoneyCommand(state: AccountState, command: MoneyCommand): OpenAccount {
  const amount = amountSchema.safeParse(command.amount);
  if (!amount.success) throw new ValidationError('the amount is invalid', zodIssues(amount.error, 'amount'));
  if (state.status !== 'open') throw new AccountNotFoundError(command.accountId);
  if (command.expectedVersion !== undefined && command.expectedVersion !== state.version) {
    throw new StaleVersionError(state.accountId, command.expectedVersion, state.version);
  }
  return state;
}

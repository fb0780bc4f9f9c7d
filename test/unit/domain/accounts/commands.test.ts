import { foldAccount, initialAccountState } from '../../../../lambdas/domain/accounts/account';
import { decideDeposit, decideOpen, decideWithdraw } from '../../../../lambdas/domain/accounts/commands';
import { AccountAlreadyExistsError, AccountNotFoundError, InsufficientFundsError, StaleVersionError } from '../../../../lambdas/domain/accounts/errors';
import { ValidationError } from '../../../../lambdas/shared/errors';
import { ACCOUNT_ID, history } from '../../../helpers/account-events';
import { captureError } from '../../../helpers/capture-error';

const withBalance = (balance: number) => foldAccount(history().opened().deposit(balance).events); // version 2

describe('account commands', () => {
  describe('decideOpen', () => {
    it('decides an opened event for a new account', () => {
      const draft = decideOpen(initialAccountState, { accountId: 'a-1', owner: 'Ada', currency: 'EUR' });

      expect(draft).toEqual({ type: 'sluice.account.opened.v1', data: { accountId: 'a-1', owner: 'Ada', currency: 'EUR' } });
    });

    it('fails with AccountAlreadyExistsError when the account is open', () => {
      expect(() => decideOpen(withBalance(1), { accountId: ACCOUNT_ID, owner: 'Ada', currency: 'EUR' })).toThrow(AccountAlreadyExistsError);
    });

    it.each([
      ['currency', { accountId: 'a-1', owner: 'Ada', currency: 'eur' }],
      ['currency', { accountId: 'a-1', owner: 'Ada', currency: 'EURO' }],
      ['owner', { accountId: 'a-1', owner: '  ', currency: 'EUR' }],
      ['accountId', { accountId: 'has space', owner: 'Ada', currency: 'EUR' }],
      ['accountId', { accountId: 'x'.repeat(65), owner: 'Ada', currency: 'EUR' }],
    ])('fails with a ValidationError naming %s for %j', (field, command) => {
      const error = captureError(() => decideOpen(initialAccountState, command));

      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).details?.map((issue) => issue.field)).toEqual([field]);
    });
  });

  describe('decideDeposit', () => {
    it('decides a deposited event for an open account', () => {
      expect(decideDeposit(withBalance(100), { accountId: ACCOUNT_ID, amount: 250 })).toEqual({
        type: 'sluice.account.deposited.v2',
        data: { accountId: ACCOUNT_ID, amount: 250, channel: 'api' },
      });
    });

    it('fails with AccountNotFoundError for an account never opened', () => {
      expect(() => decideDeposit(initialAccountState, { accountId: 'nobody', amount: 1 })).toThrow(AccountNotFoundError);
    });

    it.each([0, -5, 1.5, Number.NaN])('fails with a ValidationError on the amount %p', (amount) => {
      expect(() => decideDeposit(withBalance(100), { accountId: ACCOUNT_ID, amount })).toThrow(
        expect.objectContaining({ code: 'validation_failed', details: [expect.objectContaining({ field: 'amount' })] }),
      );
    });

    it('refuses a deposit that would overflow a safe integer balance', () => {
      expect(() => decideDeposit(withBalance(Number.MAX_SAFE_INTEGER - 1), { accountId: ACCOUNT_ID, amount: 2 })).toThrow(ValidationError);
    });

    it('fails with StaleVersionError when the account moved past expectedVersion', () => {
      const error = captureError(() => decideDeposit(withBalance(100), { accountId: ACCOUNT_ID, amount: 1, expectedVersion: 1 }));

      expect(error).toBeInstanceOf(StaleVersionError);
      expect(error).toMatchObject({ code: 'version_conflict', expectedVersion: 1, actualVersion: 2 });
    });

    it('keeps the payer reference and the channel', () => {
      expect(decideDeposit(withBalance(100), { accountId: ACCOUNT_ID, amount: 5, reference: ' invoice 42 ', channel: 'transfer' }).data).toEqual({
        accountId: ACCOUNT_ID,
        amount: 5,
        reference: 'invoice 42',
        channel: 'transfer',
      });
    });

    it('fails with ValidationError naming the reference when it is too long', () => {
      expect(() => decideDeposit(withBalance(100), { accountId: ACCOUNT_ID, amount: 5, reference: 'x'.repeat(141) })).toThrow(
        expect.objectContaining({ code: 'validation_failed', details: [expect.objectContaining({ field: 'reference' })] }),
      );
    });

    it('accepts the command when expectedVersion is the current version', () => {
      expect(decideDeposit(withBalance(100), { accountId: ACCOUNT_ID, amount: 1, expectedVersion: 2 }).data).toEqual({
        accountId: ACCOUNT_ID,
        amount: 1,
        channel: 'api',
      });
    });
  });

  describe('decideWithdraw', () => {
    it('allows withdrawing the whole balance', () => {
      expect(decideWithdraw(withBalance(300), { accountId: ACCOUNT_ID, amount: 300 })).toEqual({
        type: 'sluice.account.withdrawn.v1',
        data: { accountId: ACCOUNT_ID, amount: 300 },
      });
    });

    it('fails with InsufficientFunds when the balance is too low (no overdraft)', () => {
      const error = captureError(() => decideWithdraw(withBalance(300), { accountId: ACCOUNT_ID, amount: 301 }));

      expect(error).toBeInstanceOf(InsufficientFundsError);
      expect(error).toMatchObject({ name: 'InsufficientFundsError', code: 'insufficient_funds', balance: 300, requested: 301 });
      expect((error as Error).message).toMatch(/withdraw at most 300/);
    });

    it('checks the version before the funds', () => {
      expect(() => decideWithdraw(withBalance(1), { accountId: ACCOUNT_ID, amount: 5, expectedVersion: 7 })).toThrow(StaleVersionError);
    });
  });
});

import { applyAccountEvent, foldAccount, initialAccountState } from '../../../../lambdas/domain/accounts/account';
import { AccountHistoryError } from '../../../../lambdas/domain/accounts/errors';
import { ACCOUNT_ID, at, history } from '../../../helpers/account-events';

describe('Account aggregate', () => {
  describe('foldAccount', () => {
    it('starts unopened at version 0 with no events', () => {
      expect(foldAccount([])).toEqual({ status: 'unopened', version: 0 });
    });

    it('opens the account with a zero balance at version 1', () => {
      const state = foldAccount(history().opened('Ada', 'EUR').events);

      expect(state).toEqual({
        status: 'open',
        accountId: ACCOUNT_ID,
        owner: 'Ada',
        currency: 'EUR',
        balance: 0,
        version: 1,
        openedAt: at(1),
        updatedAt: at(1),
      });
    });

    it('folds deposits and withdrawals into the balance, version = last event applied', () => {
      const { events } = history().opened().deposit(1000).withdraw(250).deposit(40);

      const state = foldAccount(events);

      expect(state).toMatchObject({ balance: 790, version: 4, openedAt: at(1), updatedAt: at(4) });
    });

    it('continues from a given state exactly like the full fold', () => {
      const { events } = history().opened().deposit(500).withdraw(100).deposit(7);

      const resumed = foldAccount(events.slice(2), foldAccount(events.slice(0, 2)));

      expect(resumed).toEqual(foldAccount(events));
    });

    it('does not mutate the state it starts from', () => {
      const { events } = history().opened().deposit(500);
      const opened = foldAccount(events.slice(0, 1));

      foldAccount(events.slice(1), opened);

      expect(opened).toMatchObject({ balance: 0, version: 1 });
      expect(initialAccountState).toEqual({ status: 'unopened', version: 0 });
    });
  });

  describe('applyAccountEvent', () => {
    it('fails with AccountHistoryError on a gap in versions', () => {
      const { events } = history().opened().deposit(1).deposit(2);

      expect(() => foldAccount([events[0], events[2]])).toThrow(AccountHistoryError);
      expect(() => foldAccount([events[0], events[2]])).toThrow(/version 3, expected 2/);
    });

    it('fails when money moves before the account was opened', () => {
      const deposit = { ...history().opened().deposit(5).events[1], version: 1 };

      expect(() => applyAccountEvent(initialAccountState, deposit)).toThrow(/before the account was opened/);
    });

    it('fails when an account is opened twice', () => {
      const { events } = history().opened();
      const again = { ...events[0], version: 2 };

      expect(() => foldAccount([events[0], again])).toThrow(/already open/);
    });
  });
});

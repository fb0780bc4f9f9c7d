import { planProjection, projectAccountEvent } from '../../../../lambdas/domain/accounts/projection';
import { ProjectionOrderError } from '../../../../lambdas/domain/accounts/errors';
import { ACCOUNT_ID, at, history } from '../../../helpers/account-events';

describe('read-model projection', () => {
  describe('planProjection', () => {
    it.each([
      [3, 2, { action: 'skip' }],
      [3, 3, { action: 'skip' }],
      [3, 4, { action: 'apply' }],
      [0, 1, { action: 'apply' }],
      [3, 6, { action: 'catch-up', fromVersion: 4, toVersion: 5 }],
    ])('read model at %i, event version %i → %j', (current, version, expected) => {
      expect(planProjection(current, version)).toEqual(expected);
    });
  });

  describe('projectAccountEvent', () => {
    const [opened, deposited, withdrawn] = history().opened('Ada', 'EUR').deposit(500).withdraw(120).events;

    it('creates the balance row and an opened transaction for the first event', () => {
      expect(projectAccountEvent(undefined, opened)).toEqual({
        previousVersion: 0,
        balance: { accountId: ACCOUNT_ID, owner: 'Ada', currency: 'EUR', balance: 0, version: 1, openedAt: at(1), updatedAt: at(1) },
        transaction: { accountId: ACCOUNT_ID, version: 1, eventId: opened.eventId, kind: 'opened', amount: 0, balanceAfter: 0, time: at(1) },
      });
    });

    it('moves the balance and records deposits and withdrawals', () => {
      const afterOpen = projectAccountEvent(undefined, opened).balance;
      const afterDeposit = projectAccountEvent(afterOpen, deposited);
      const afterWithdrawal = projectAccountEvent(afterDeposit.balance, withdrawn);

      expect(afterDeposit.transaction).toMatchObject({ kind: 'deposit', amount: 500, balanceAfter: 500, version: 2 });
      expect(afterWithdrawal).toMatchObject({
        previousVersion: 2,
        balance: { balance: 380, version: 3, openedAt: at(1), updatedAt: at(3) },
        transaction: { kind: 'withdrawal', amount: 120, balanceAfter: 380 },
      });
    });

    it('fails with ProjectionOrderError for an event that is not the next version', () => {
      const afterOpen = projectAccountEvent(undefined, opened).balance;

      expect(() => projectAccountEvent(afterOpen, withdrawn)).toThrow(ProjectionOrderError);
    });
  });
});

import { foldAccount } from '../../../../lambdas/domain/accounts/account';
import { accountSnapshot, accountStateFromSnapshot, shouldSnapshot } from '../../../../lambdas/domain/accounts/snapshots';
import { history, T0 } from '../../../helpers/account-events';

describe('account snapshots', () => {
  describe('shouldSnapshot', () => {
    it.each([
      [10, 10, true],
      [20, 10, true],
      [11, 10, false],
      [1, 1, true],
      [0, 10, false],
      [10, 0, false],
    ])('version %i every %i → %p', (version, every, expected) => {
      expect(shouldSnapshot(version, every)).toBe(expected);
    });
  });

  describe('accountStateFromSnapshot', () => {
    const state = foldAccount(history().opened().deposit(900).withdraw(400).events);
    const snapshot = accountSnapshot('account#acc-1', state, new Date(T0));

    it('restores the state it was taken from', () => {
      expect(snapshot).toMatchObject({ streamId: 'account#acc-1', version: 3, takenAt: new Date(T0).toISOString() });
      expect(accountStateFromSnapshot(JSON.parse(JSON.stringify(snapshot)))).toEqual(state);
    });

    it.each([
      ['a state that is not an object', { ...snapshot, state: 'garbage' }],
      ['a negative balance', { ...snapshot, state: { ...state, balance: -1 } }],
      ['a missing currency', { ...snapshot, state: { ...state, currency: undefined } }],
      ['a version that disagrees with its state', { ...snapshot, version: 4 }],
      ['an unopened state', { ...snapshot, state: { status: 'unopened', version: 0 } }],
    ])('ignores a corrupt snapshot with %s', (_, corrupt) => {
      expect(accountStateFromSnapshot(corrupt)).toBeUndefined();
    });
  });
});

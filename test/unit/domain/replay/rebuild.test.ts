import type { StoredEvent } from '../../../../lambdas/shared/event-store/port';
import { diffRows, groupByStream, rebuildAccount } from '../../../../lambdas/domain/replay';

const metadata = { source: 'sluice/accounts', subject: 'a1', partitionkey: 'a1' };
const event = (version: number, type: string, data: Record<string, unknown>): StoredEvent => ({
  streamId: 'account#a1', version, eventId: `e${version}`, type, time: `2025-01-31T12:00:0${version}Z`, data: { accountId: 'a1', ...data }, metadata,
});
const history = [
  event(1, 'sluice.account.opened.v1', { owner: 'Ada', currency: 'EUR' }),
  event(2, 'sluice.account.deposited.v1', { amount: 500 }),
  event(3, 'sluice.account.withdrawn.v1', { amount: 200 }),
];

describe('rebuild', () => {
  describe('groupByStream', () => {
    it('groups events per stream in version order', () => {
      const groups = groupByStream([history[2], { ...history[0], streamId: 'account#b' }, history[0], history[1]]);
      expect(groups.get('account#a1')!.map((e) => e.version)).toEqual([1, 2, 3]);
      expect(groups.get('account#b')).toHaveLength(1);
    });
  });

  describe('rebuildAccount', () => {
    it('gives the balance row, one transaction row per event and the replica state', () => {
      const rebuilt = rebuildAccount(history);
      expect(rebuilt.balance).toEqual({ accountId: 'a1', owner: 'Ada', currency: 'EUR', balance: 300, version: 3, openedAt: history[0].time, updatedAt: history[2].time });
      expect(rebuilt.transactions.map((t) => [t.kind, t.amount, t.balanceAfter])).toEqual([['opened', 0, 0], ['deposit', 500, 500], ['withdrawal', 200, 300]]);
      expect(rebuilt.replica).toEqual(rebuilt.balance);
    });

    it('fails for a history with a gap', () => {
      expect(() => rebuildAccount([history[0], history[2]])).toThrow(/expected version 2/);
    });
  });

  describe('diffRows', () => {
    it('names differing fields and rows missing on either side, ignoring the given fields', () => {
      const live = new Map([['a', { id: 'a', balance: 1, at: 'x' }], ['b', { id: 'b' }]]);
      const rebuilt = new Map([['a', { id: 'a', balance: 2, at: 'y' }], ['c', { id: 'c' }]]);
      expect(diffRows('t', live, rebuilt, ['at'])).toEqual([
        { table: 't', key: 'a', field: 'balance', live: 1, rebuilt: 2, issue: 'field differs' },
        { table: 't', key: 'b', issue: 'missing in rebuilt' },
        { table: 't', key: 'c', issue: 'missing in live' },
      ]);
    });
  });
});

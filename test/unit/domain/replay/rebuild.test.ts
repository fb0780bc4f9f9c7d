import type { StoredEvent } from '../../../../lambdas/shared/event-store/port';
import { diffRows, groupByStream, rebuildAccount } from '../../../../lambdas/domain/replay';

const metadata = { source: 'sluice/accounts', subject: 'a1', partitionkey: 'a1' };
const event = (version: number, type: string, data: Record<string, unknown>): StoredEvent => ({
  streamId: 'account#a1',
  version,
  eventId: `e${version}`,
  type,
  time: `2025-01-31T12:00:0${version}Z`,
  data: { accountId: 'a1', ...data },
  metadata,
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
      expect(rebuilt.balance).toEqual({
        accountId: 'a1',
        owner: 'Ada',
        currency: 'EUR',
        balance: 300,
        version: 3,
        openedAt: history[0].time,
        updatedAt: history[2].time,
      });
      expect(rebuilt.transactions.map((t) => [t.kind, t.amount, t.balanceAfter])).toEqual([
        ['opened', 0, 0],
        ['deposit', 500, 500],
        ['withdrawal', 200, 300],
      ]);
      expect(rebuilt.replica).toEqual(rebuilt.balance);
    });

    it('fails for a history with a gap', () => {
      expect(() => rebuildAccount([history[0], history[2]])).toThrow(/expected version 2/);
    });

    it('refuses an empty history as an invalid account history', () => {
      expect(() => rebuildAccount([])).toThrow(
        expect.objectContaining({ code: 'account_history_invalid', message: expect.stringContaining('stream (empty) has no opened account') }),
      );
    });

    it('refuses a history that starts with a deposit, naming the account', () => {
      expect(() => rebuildAccount([{ ...history[1], version: 1 }])).toThrow(
        expect.objectContaining({ accountId: 'a1', message: expect.stringContaining('never opened') }),
      );
    });

    it('counts the events it rebuilt from and names the stream', () => {
      expect(rebuildAccount(history)).toMatchObject({ streamId: 'account#a1', accountId: 'a1', events: 3 });
    });
  });

  describe('diffRows', () => {
    it('names differing fields and rows missing on either side, ignoring the given fields', () => {
      const live = new Map([
        ['a', { id: 'a', balance: 1, at: 'x' }],
        ['b', { id: 'b' }],
      ]);
      const rebuilt = new Map([
        ['a', { id: 'a', balance: 2, at: 'y' }],
        ['c', { id: 'c' }],
      ]);
      expect(diffRows('t', live, rebuilt, ['at'])).toEqual([
        { table: 't', key: 'a', field: 'balance', live: 1, rebuilt: 2, issue: 'field differs' },
        { table: 't', key: 'b', issue: 'missing in rebuilt' },
        { table: 't', key: 'c', issue: 'missing in live' },
      ]);
    });

    it('compares nested values by content, whatever their key order, and sees a changed list item', () => {
      const live = new Map([['a', { id: 'a', meta: { x: 1, y: [{ p: 1, q: 2 }] } }]]);
      const same = new Map([['a', { meta: { y: [{ q: 2, p: 1 }], x: 1 }, id: 'a' }]]);
      const changed = new Map([['a', { id: 'a', meta: { x: 1, y: [{ p: 1, q: 3 }] } }]]);

      expect(diffRows('t', live, same)).toEqual([]);
      expect(diffRows('t', live, changed)).toEqual([
        { table: 't', key: 'a', field: 'meta', live: live.get('a')!.meta, rebuilt: changed.get('a')!.meta, issue: 'field differs' },
      ]);
    });

    it('lists the rows in key order and the fields of a row in name order', () => {
      const live = new Map([
        ['b', { z: 1, a: 1 }],
        ['a', { k: 1 }],
      ]);
      const rebuilt = new Map([
        ['b', { z: 2, a: 2 }],
        ['a', { k: 2 }],
      ]);

      expect(diffRows('t', live, rebuilt).map((d) => `${d.key}.${d.field}`)).toEqual(['a.k', 'b.a', 'b.z']);
    });
  });
});

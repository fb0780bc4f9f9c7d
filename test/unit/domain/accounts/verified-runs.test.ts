import { type AccountEvent, BalanceRowCache, foldChanges, planVerifiedRuns, runOf } from '../../../../lambdas/domain/accounts';
import { deliveredExpectation, storedEventToEnvelope } from '../../../../lambdas/shared/event-store/stored-event';
import { history } from '../../../helpers/account-events';

const stored = history('a1').opened().deposit(10).deposit(20).withdraw(5).stored();
const events = history('a1').opened().deposit(10).deposit(20).withdraw(5).events;
const delivered = stored.map((event) => deliveredExpectation(event.streamId, storedEventToEnvelope(event)));
const rowAt = (version: number) => runOf(foldChanges(undefined, events.slice(0, version)))!.balance;

/** The group of `a1`'s events at these versions, each with its delivered copy. */
const group = (...versions: number[]) => ({
  accountId: 'a1',
  events: versions.map((v) => events[v - 1]!) as AccountEvent[],
  delivered: versions.map((v) => delivered[v - 1]!),
});

describe('planVerifiedRuns: the one write of a batch, when the remembered rows allow it', () => {
  it('folds the delivered events onto the remembered row, guarded by its version', () => {
    const rows = new BalanceRowCache();
    rows.remember(rowAt(2));

    const [verified] = planVerifiedRuns([group(3, 4)], rows, 100)!;

    expect(verified!.run).toMatchObject({ previousVersion: 2, balance: { balance: 25, version: 4 } });
    expect(verified!.delivered.map((copy) => copy.version)).toEqual([3, 4]);
  });

  it('starts an account at version 1 without a remembered row', () => {
    expect(planVerifiedRuns([group(1, 2)], new BalanceRowCache(), 100)![0]!.run.previousVersion).toBe(0);
  });

  it.each([
    ['no row is remembered for a later version', [], group(3)],
    ['the events skip a version after the row', [2], group(4)],
    ['the events are a redelivery', [2], group(2, 3)],
    ['an event comes twice', [2], group(3, 3)],
    ['the events have no delivered copies', [2], { ...group(3), delivered: undefined }],
    ['the delivered copies do not line up with the events', [2], { ...group(3, 4), delivered: [delivered[3]!, delivered[2]!] }],
    [
      'a deposit would go onto no account',
      [],
      { accountId: 'a1', events: [{ ...events[1]!, version: 1 }] as AccountEvent[], delivered: [{ ...delivered[1]!, version: 1 }] },
    ],
  ])('is undefined when %s', (_, remembered, input) => {
    const rows = new BalanceRowCache();
    for (const version of remembered as number[]) rows.remember(rowAt(version));

    expect(planVerifiedRuns([input], rows, 100)).toBeUndefined();
  });

  it('is undefined when the batch needs more actions than one write takes: a check and a row per event, and the balance row', () => {
    const rows = new BalanceRowCache();
    rows.remember(rowAt(1));

    expect(planVerifiedRuns([group(2, 3, 4)], rows, 7)).toHaveLength(1);
    expect(planVerifiedRuns([group(2, 3, 4)], rows, 6)).toBeUndefined();
  });
});

describe('BalanceRowCache', () => {
  it('forgets the least recently used row beyond its limit, and a row it is told to', () => {
    const rows = new BalanceRowCache(2);
    const row = (accountId: string) => ({ ...rowAt(1), accountId });
    rows.remember(row('a'));
    rows.remember(row('b'));
    rows.get('a'); // a is now the most recently used
    rows.remember(row('c'));

    expect([rows.get('a')?.accountId, rows.get('b'), rows.get('c')?.accountId]).toEqual(['a', undefined, 'c']);
    rows.forget('a');
    expect(rows.get('a')).toBeUndefined();
    expect(rows.size).toBe(1);
  });

  it('keeps the row it was given last, even an older version (a consistent read is the truth)', () => {
    const rows = new BalanceRowCache();
    rows.remember(rowAt(3));
    rows.remember(rowAt(1));

    expect(rows.get('a1')?.version).toBe(1);
  });

  it('refuses a limit below 1, naming it', () => {
    expect(() => new BalanceRowCache(0)).toThrow('a balance row cache holds at least 1 row; got a limit of 0');
  });
});

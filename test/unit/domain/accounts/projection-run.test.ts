import { chunkRun, estimatedItemBytes, foldChanges, TRANSACT_WRITE_LIMITS } from '../../../../lambdas/domain/accounts';
import { history } from '../../../helpers/account-events';

function changes(n: number, reference?: string) {
  const builder = history('a1').opened();
  for (let i = 1; i < n; i++) builder.deposit(10, reference ? { reference } : {});
  return foldChanges(undefined, builder.events);
}

describe('foldChanges', () => {
  it('chains each change onto the row the previous one produced', () => {
    const folded = changes(3);

    expect(folded.map((change) => [change.previousVersion, change.balance.version, change.balance.balance])).toEqual([
      [0, 1, 0],
      [1, 2, 10],
      [2, 3, 20],
    ]);
  });

  it('refuses events that are not the next versions', () => {
    const [opened, , third] = history('a1').opened().deposit(1).deposit(2).events;

    expect(() => foldChanges(undefined, [opened!, third!])).toThrow(/expected version 2/);
  });
});

describe('chunkRun', () => {
  it('writes up to 99 events with their balance row in one transaction (100 items)', () => {
    const runs = chunkRun(changes(99));

    expect(runs).toHaveLength(1);
    expect(runs[0]!.transactions).toHaveLength(99);
    expect(runs[0]!.balance.version).toBe(99);
  });

  it('splits at the item limit, each chunk guarded by the version the previous one wrote', () => {
    const runs = chunkRun(changes(250));

    expect(runs.map((run) => [run.previousVersion, run.balance.version, run.transactions.length])).toEqual([
      [0, 99, 99],
      [99, 198, 99],
      [198, 250, 52],
    ]);
    expect(runs.every((run) => run.transactions.length + 1 <= TRANSACT_WRITE_LIMITS.maxItems)).toBe(true);
  });

  it('splits at the byte limit before the item limit when rows are large', () => {
    const folded = changes(10, 'x'.repeat(140));
    // Room for the balance row once and three transaction rows.
    const maxBytes = estimatedItemBytes(folded[5]!.balance) + 3 * estimatedItemBytes(folded[5]!.transaction);

    const runs = chunkRun(folded, { maxItems: 100, maxBytes });

    expect(runs.map((run) => run.transactions.length)).toEqual([3, 3, 3, 1]);
    expect(runs.map((run) => run.previousVersion)).toEqual([0, 3, 6, 9]);
  });

  it('returns no write for no changes', () => {
    expect(chunkRun([])).toEqual([]);
  });

  it('refuses limits that cannot hold one event and its balance row, naming them', () => {
    expect(() => chunkRun(changes(2), { maxItems: 1, maxBytes: 1_000_000 })).toThrow(/allow at least 2 items/);
    expect(() => chunkRun(changes(2), { maxItems: 100, maxBytes: 10 })).toThrow(/"maxBytes":10/);
  });
});

describe('estimatedItemBytes', () => {
  it('counts UTF-8 bytes, not characters, plus room per attribute', () => {
    expect(estimatedItemBytes({ a: 'é' })).toBe(Buffer.byteLength('{"a":"é"}') + 8);
  });
});

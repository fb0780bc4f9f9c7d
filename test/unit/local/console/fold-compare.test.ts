import { compareFold } from '../../../../local/console/api/fold-compare';

const row = { accountId: 'a1', owner: 'Ada', currency: 'EUR', balance: 1200, version: 3, openedAt: '2025-01-01T00:00:00Z', updatedAt: '2025-01-02T00:00:00Z' };

describe('compareFold', () => {
  it('matches a read model row equal to the fold', () => {
    expect(compareFold(row, { ...row })).toEqual({ matches: true, differences: [] });
  });

  it('does not match when balance or version differ, and names each field with both values', () => {
    expect(compareFold(row, { ...row, balance: 700, version: 2 })).toEqual({
      matches: false,
      differences: ['balance: read model 700, fold 1200', 'version: read model 2, fold 3'],
    });
  });

  it.each([
    ['balance', { balance: 1100 }],
    ['version', { version: 2 }],
  ])('does not match when only the %s differs', (_field, change) => {
    expect(compareFold(row, { ...row, ...change }).matches).toBe(false);
  });

  it('still matches when only another field differs, but lists it', () => {
    expect(compareFold(row, { ...row, owner: 'Bob' })).toEqual({ matches: true, differences: ['owner: read model "Bob", fold "Ada"'] });
  });

  it('does not match a missing row, and says so', () => {
    expect(compareFold(row, undefined)).toEqual({ matches: false, differences: [expect.stringContaining('the read model has no row for a1')] });
  });

  it('does not match when the events do not fold', () => {
    expect(compareFold(undefined, { ...row })).toEqual({ matches: false, differences: ['the events do not fold, so the read model row cannot be checked'] });
    expect(compareFold(undefined, undefined)).toEqual({ matches: false, differences: [] });
  });
});

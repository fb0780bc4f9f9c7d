import { formatTable, makeFigure, meets, round, toJsonFigure } from '../../../bench/lib/figures';

describe('bench figures', () => {
  describe('makeFigure', () => {
    it('divides the value by the baseline and judges a ratio target', () => {
      const row = makeFigure({ name: 'ingest', value: 7000, unit: 'events/s', baseline: 10000, target: { on: 'ratio', op: '>=', limit: 0.8 } });

      expect(toJsonFigure(row)).toEqual({ name: 'ingest', value: 7000, unit: 'events/s', baseline: 10000, ratio: 0.7, target: 'ratio >= 0.8', pass: false });
    });

    it('judges a value target regardless of the ratio', () => {
      const row = makeFigure({ name: 'p50', value: 90, unit: 'ms', baseline: 9, target: { on: 'value', op: '<=', limit: 100 } });

      expect(row).toMatchObject({ ratio: 10, target: '<= 100 ms', pass: true });
    });

    it('leaves ratio and pass empty when nothing was measured', () => {
      const row = makeFigure({ name: 'p50', value: null, unit: 'ms', baseline: 9, target: { on: 'value', op: '<=', limit: 100 } });

      expect(row).toMatchObject({ value: null, ratio: null, pass: null });
    });

    it('has no ratio without a baseline and no verdict without a target', () => {
      expect(makeFigure({ name: 'tests', value: 12, unit: 's' })).toMatchObject({ baseline: null, ratio: null, target: null, pass: null });
    });

    it('prints exactly the JSON fields, in order', () => {
      const row = makeFigure({ name: 'x', value: 1, unit: 'ms', baselineLabel: 'label', note: 'note' });

      expect(Object.keys(toJsonFigure(row))).toEqual(['name', 'value', 'unit', 'baseline', 'ratio', 'target', 'pass']);
    });
  });

  it.each([
    [{ on: 'value', op: '<=', limit: 100 } as const, 100, null, true],
    [{ on: 'value', op: '<=', limit: 100 } as const, 100.1, null, false],
    [{ on: 'ratio', op: '>=', limit: 0.5 } as const, 1, 0.5, true],
    [{ on: 'ratio', op: '>=', limit: 0.5 } as const, 1, null, null],
  ])('meets(%j, value %p, ratio %p) is %p', (target, value, ratio, expected) => {
    expect(meets(target, value, ratio)).toBe(expected);
  });

  it('rounds to three significant digits', () => {
    expect([round(1234.567), round(0.012345), round(9.999)]).toEqual([1235, 0.0123, 10]);
  });

  it('formats a table with a verdict per row and the notes under it', () => {
    const table = formatTable([
      makeFigure({ name: 'p50', value: 120, unit: 'ms', baseline: 10, baselineLabel: 'Put+Get', target: { on: 'value', op: '<=', limit: 100 }, note: 'poll 5 ms' }),
      makeFigure({ name: 'tests', value: null, unit: 's' }),
    ]);

    expect(table).toMatch(/p50\s+120\s+ms\s+10 \(Put\+Get\)\s+12\s+<= 100 ms\s+FAIL/);
    expect(table).toMatch(/tests\s+–\s+s\s+–\s+–\s+–\s+n\/a/);
    expect(table).toContain('p50: poll 5 ms');
  });
});

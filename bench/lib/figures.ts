/**
 * A benchmark figure: a measured value, the baseline measured in the same run, their ratio and
 * the target it is judged against. Pure, so the pass/fail rules are unit tested.
 */

/** A limit on the value itself (`<= 100` ms) or on value ÷ baseline (`>= 0.8`). */
export interface Target {
  readonly on: 'value' | 'ratio';
  readonly op: '<=' | '>=';
  readonly limit: number;
}

/** One row of the result, in the shape `--json` prints. */
export interface Figure {
  readonly name: string;
  /** `null` when it could not be measured (the reason is in `note`). */
  readonly value: number | null;
  readonly unit: string;
  /** Same unit as `value`; `null` when the figure has no same-run baseline. */
  readonly baseline: number | null;
  readonly ratio: number | null;
  /** Human-readable target, e.g. `ratio >= 0.8` or `<= 100 ms`; `null` = informational. */
  readonly target: string | null;
  /** `null` when there is no target or no value. */
  readonly pass: boolean | null;
  /** For a figure from interleaved rounds: the rounds' lowest and highest ratio (the figure is their median). */
  readonly spread?: Spread;
}

export interface Spread {
  readonly ratioMin: number;
  readonly ratioMax: number;
  readonly rounds: number;
}

/** A figure plus what the table shows beside it (not part of the JSON). */
export interface Row extends Figure {
  /** What the baseline is, e.g. `raw PutRecords`. */
  readonly baselineLabel?: string;
  readonly note?: string;
}

export interface FigureInput {
  readonly name: string;
  readonly value: number | null;
  readonly unit: string;
  readonly baseline?: number | null;
  readonly baselineLabel?: string;
  readonly target?: Target;
  readonly note?: string;
  /** The ratio when it is not value ÷ baseline: the median of interleaved rounds' ratios. */
  readonly ratio?: number | null;
  readonly spread?: Spread;
}

/** Rounds to a few significant digits so JSON and tables don't carry float noise. */
export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.max(0, digits - 1 - magnitude);
  return Number(value.toFixed(Math.min(decimals, 6)));
}

export function describeTarget(target: Target, unit: string): string {
  return target.on === 'ratio' ? `ratio ${target.op} ${round(target.limit)}` : `${target.op} ${round(target.limit)} ${unit}`;
}

/** Whether `measured` meets `target`; `null` when there is nothing to judge. */
export function meets(target: Target | undefined, value: number | null, ratio: number | null): boolean | null {
  if (!target) return null;
  const measured = target.on === 'ratio' ? ratio : value;
  if (measured === null || !Number.isFinite(measured)) return null;
  return target.op === '<=' ? measured <= target.limit : measured >= target.limit;
}

/**
 * Builds a row: ratio = value ÷ baseline (when both exist and the baseline is not zero),
 * target text and pass.
 *
 * @example
 * makeFigure({ name: 'ingest', value: 8000, unit: 'events/s', baseline: 10000, target: { on: 'ratio', op: '>=', limit: 0.8 } })
 * // { …, ratio: 0.8, target: 'ratio >= 0.8', pass: true }
 */
export function makeFigure(input: FigureInput): Row {
  const baseline = input.baseline ?? null;
  const value = input.value;
  const ratio = input.ratio !== undefined ? input.ratio : value !== null && baseline !== null && baseline !== 0 ? value / baseline : null;
  return {
    name: input.name,
    value: value === null ? null : round(value),
    unit: input.unit,
    baseline: baseline === null ? null : round(baseline),
    ratio: ratio === null ? null : round(ratio),
    target: input.target ? describeTarget(input.target, input.unit) : null,
    pass: meets(input.target, value, ratio),
    ...(input.spread ? { spread: { ratioMin: round(input.spread.ratioMin), ratioMax: round(input.spread.ratioMax), rounds: input.spread.rounds } } : {}),
    ...(input.baselineLabel ? { baselineLabel: input.baselineLabel } : {}),
    ...(input.note ? { note: input.note } : {}),
  };
}

/** Just the JSON fields, in a fixed order (`spread` only when the figure has one). */
export function toJsonFigure(row: Row): Figure {
  const { name, value, unit, baseline, ratio, target, pass, spread } = row;
  return { name, value, unit, baseline, ratio, target, pass, ...(spread ? { spread } : {}) };
}

const show = (value: number | null): string => (value === null ? '–' : String(value));

/** A plain-text table of the rows, with notes listed under it. */
export function formatTable(rows: readonly Row[]): string {
  const header = ['figure', 'value', 'unit', 'baseline', 'ratio', 'target', 'result'];
  const cells = rows.map((row) => [
    row.name,
    show(row.value),
    row.unit,
    row.baseline === null ? '–' : `${row.baseline}${row.baselineLabel ? ` (${row.baselineLabel})` : ''}`,
    show(row.ratio),
    row.target ?? '–',
    row.pass === null ? (row.value === null ? 'n/a' : 'info') : row.pass ? 'PASS' : 'FAIL',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: readonly string[]) =>
    c
      .map((cell, i) => (i === 1 || i === 4 ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)];
  const notes = rows.filter((row) => row.note).map((row) => `  ${row.name}: ${row.note}`);
  if (notes.length > 0) out.push('', 'notes:', ...notes);
  return out.join('\n');
}

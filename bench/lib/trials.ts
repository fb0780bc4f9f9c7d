/**
 * Interleaved, repeated trials for the ratio figures: baseline, measurement, baseline,
 * measurement… so a swing in the machine's load hits both halves of a round alike, and the
 * figure is the median of the rounds' ratios with their spread, not one noisy pair.
 */
import { median } from './stats';

export interface Round {
  readonly baseline: number;
  readonly value: number;
}

export interface TrialSummary {
  readonly rounds: number;
  /** Median over the rounds (each of value, baseline and value ÷ baseline on its own). */
  readonly value: number;
  readonly baseline: number;
  readonly ratio: number;
  /** The rounds' lowest and highest ratio. */
  readonly ratioMin: number;
  readonly ratioMax: number;
}

/**
 * Median and min–max of the rounds' ratios (rounds with a zero baseline are left out).
 *
 * @example
 * summarizeRounds([{ baseline: 10, value: 8 }, { baseline: 10, value: 9 }, { baseline: 5, value: 2 }])
 * // { rounds: 3, value: 8, baseline: 10, ratio: 0.8, ratioMin: 0.4, ratioMax: 0.9 }
 * @throws Error when no round has a positive baseline
 */
export function summarizeRounds(rounds: readonly Round[]): TrialSummary {
  const usable = rounds.filter((round) => round.baseline > 0);
  if (usable.length === 0) throw new Error(`no trial round has a positive baseline (got ${rounds.length} rounds)`);
  const ratios = usable.map((round) => round.value / round.baseline);
  return {
    rounds: usable.length,
    value: median(usable.map((round) => round.value)),
    baseline: median(usable.map((round) => round.baseline)),
    ratio: median(ratios),
    ratioMin: Math.min(...ratios),
    ratioMax: Math.max(...ratios),
  };
}

/** `min–max over N rounds`, the spread as the table notes it. */
export function describeSpread(summary: TrialSummary, digits = 2): string {
  return `ratio median ${summary.ratio.toFixed(digits)}, ${summary.ratioMin.toFixed(digits)}–${summary.ratioMax.toFixed(digits)} over ${summary.rounds} interleaved rounds`;
}

/**
 * Runs `rounds` rounds of baseline then measurement, alternating, and summarizes them. The
 * order flips every round (A B, B A, A B…) so neither half always runs on the warmer machine.
 */
export async function interleave(
  rounds: number,
  baseline: (round: number) => Promise<number>,
  measure: (round: number) => Promise<number>,
): Promise<TrialSummary & { readonly all: Round[] }> {
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`rounds must be a positive integer (got ${rounds})`);
  const all: Round[] = [];
  for (let round = 0; round < rounds; round++) {
    let base: number;
    let value: number;
    if (round % 2 === 0) {
      base = await baseline(round);
      value = await measure(round);
    } else {
      value = await measure(round);
      base = await baseline(round);
    }
    all.push({ baseline: base, value });
  }
  return { ...summarizeRounds(all), all };
}

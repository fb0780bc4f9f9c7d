import { describeSpread, interleave, summarizeRounds } from '../../../bench/lib/trials';

describe('interleaved trials', () => {
  it("takes the median of the rounds' ratios and their min–max", () => {
    const summary = summarizeRounds([
      { baseline: 10, value: 8 },
      { baseline: 10, value: 9 },
      { baseline: 5, value: 2 },
    ]);

    expect(summary).toEqual({ rounds: 3, value: 8, baseline: 10, ratio: 0.8, ratioMin: 0.4, ratioMax: 0.9 });
  });

  it('does not let one noisy round decide the ratio', () => {
    const summary = summarizeRounds([
      { baseline: 100, value: 90 },
      { baseline: 100, value: 85 },
      { baseline: 400, value: 88 },
    ]);

    expect(summary.ratio).toBe(0.85);
    expect(summary.ratioMin).toBe(0.22);
  });

  it('leaves out rounds with no baseline, and fails when none is left', () => {
    expect(
      summarizeRounds([
        { baseline: 0, value: 5 },
        { baseline: 10, value: 5 },
      ]),
    ).toMatchObject({ rounds: 1, ratio: 0.5 });
    expect(() => summarizeRounds([{ baseline: 0, value: 5 }])).toThrow('no trial round has a positive baseline (got 1 rounds)');
  });

  it('words the spread for the table', () => {
    expect(
      describeSpread(
        summarizeRounds([
          { baseline: 10, value: 8 },
          { baseline: 10, value: 12 },
        ]),
      ),
    ).toBe('ratio median 0.80, 0.80–1.20 over 2 interleaved rounds');
  });

  it('alternates which half goes first, one round after the other', async () => {
    const calls: string[] = [];
    const result = await interleave(
      3,
      async (round) => {
        calls.push(`A${round}`);
        return 10;
      },
      async (round) => {
        calls.push(`B${round}`);
        return round + 1;
      },
    );

    expect(calls).toEqual(['A0', 'B0', 'B1', 'A1', 'A2', 'B2']);
    expect(result.all).toEqual([
      { baseline: 10, value: 1 },
      { baseline: 10, value: 2 },
      { baseline: 10, value: 3 },
    ]);
    expect(result.ratio).toBe(0.2);
  });

  it('refuses a round count that is not a positive integer', async () => {
    await expect(
      interleave(
        0,
        async () => 1,
        async () => 1,
      ),
    ).rejects.toThrow('rounds must be a positive integer (got 0)');
  });
});

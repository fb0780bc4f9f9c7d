// eslint-disable-next-line @typescript-eslint/no-require-imports
const { shuffle, fileOrderSeed, serialFirst } = require('../../random-sequencer') as {
  shuffle<T>(items: readonly T[], seed: number): T[];
  serialFirst<T extends { path: string; context: { config: { rootDir: string } } }>(tests: readonly T[]): T[];
  fileOrderSeed(env: Record<string, string | undefined>, globalConfig?: { randomize?: boolean; seed: number }): number | undefined;
};

describe('random test sequencer', () => {
  const files = Array.from({ length: 12 }, (_, i) => `suite-${i}.test.ts`);

  it('gives the same order for the same seed, a permutation of every file', () => {
    expect(shuffle(files, 42)).toEqual(shuffle(files, 42));
    expect([...shuffle(files, 42)].sort()).toEqual([...files].sort());
  });

  it('gives different orders for different seeds', () => {
    const orders = new Set([1, 2, 3, 4, 5].map((seed) => shuffle(files, seed).join(',')));
    expect(orders.size).toBe(5);
  });

  it('takes the seed from SLUICE_TEST_SEED, else from --randomize, else none', () => {
    expect(fileOrderSeed({ SLUICE_TEST_SEED: '1234' }, { randomize: true, seed: 7 })).toBe(1234);
    expect(fileOrderSeed({}, { randomize: true, seed: 7 })).toBe(7);
    expect(fileOrderSeed({}, { randomize: false, seed: 7 })).toBeUndefined();
    expect(() => fileOrderSeed({ SLUICE_TEST_SEED: 'abc' })).toThrow('SLUICE_TEST_SEED must be an integer (got "abc")');
  });

  it('runs the serial files first, then the independent ones, then the shared ones, keeping the order within each group', () => {
    const rootDir = '/repo';
    const test = (file: string) => ({ path: `${rootDir}/${file}`, context: { config: { rootDir } } });
    const order = [
      'test/integration/fuzz.test.ts',
      'test/integration/dead-letters.test.ts',
      'test/integration/local-inspect.test.ts',
      'test/unit/a.test.ts',
      'test/integration/cli/cli.test.ts',
      'test/integration/cli/settle.test.ts',
      'test/integration/local-hot-reload.test.ts',
    ];
    expect(serialFirst(order.map(test)).map((t) => t.path.slice(rootDir.length + 1))).toEqual([
      'test/integration/dead-letters.test.ts',
      'test/integration/cli/cli.test.ts',
      'test/integration/cli/settle.test.ts',
      'test/integration/local-inspect.test.ts',
      'test/integration/local-hot-reload.test.ts',
      'test/integration/fuzz.test.ts',
      'test/unit/a.test.ts',
    ]);
    expect(serialFirst([test('test/unit/a.test.ts')])).toHaveLength(1);
  });
});

/**
 * Jest test sequencer that runs the test files in a random order, to prove each suite passes
 * whatever ran before it (no dependency on another file's leftovers or on jest's cache order).
 *
 * The seed comes from `SLUICE_TEST_SEED`, else from jest's own seed when `--randomize` is on
 * (which also shuffles the tests inside each file); without either, jest's default order. The
 * seed is printed, so a failing order can be run again:
 *   SLUICE_TEST_SEED=1234 npx jest --selectProjects integration --runInBand --randomize --seed=1234
 */
const Sequencer = require('@jest/test-sequencer').default;
const path = require('node:path');
const { seededRandom } = require('./seeded-random');
const { fileGroup } = require('./integration/support/file-groups');

/** A copy of `items` in the order the seed gives (Fisher-Yates). */
function shuffle(items, seed) {
  const next = seededRandom(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * The file-order seed: `SLUICE_TEST_SEED` (an integer), else jest's seed under `--randomize`.
 *
 * @throws Error when SLUICE_TEST_SEED is not an integer
 */
function fileOrderSeed(env, globalConfig) {
  const raw = env.SLUICE_TEST_SEED;
  if (raw !== undefined && raw !== '') {
    if (!/^-?\d+$/.test(raw)) throw new Error(`SLUICE_TEST_SEED must be an integer (got "${raw}")`);
    return Number(raw);
  }
  return globalConfig && globalConfig.randomize ? globalConfig.seed : undefined;
}

/** A file's group in `integration/support/file-groups.js` (any file outside the integration project is shared). */
function groupOf(test) {
  return fileGroup(path.relative(test.context.config.rootDir, test.path).split(path.sep).join('/'));
}

/**
 * The integration run's order: the serial files first (each runs alone on the suite's cloud, as in
 * band, where their timing-sensitive scenarios were proven; the other worker waits), then the
 * independent files (they never use that cloud, so the first of them starts beside the last serial
 * file), then the shared ones, two at a time. Each group keeps the order given (jest's: longest first).
 */
function serialFirst(tests) {
  const serial = tests.filter((test) => groupOf(test) === 'serial');
  const independent = tests.filter((test) => groupOf(test) === 'independent');
  const shared = tests.filter((test) => groupOf(test) === 'shared');
  return [...serial, ...independent, ...shared];
}

class RandomOrderSequencer extends Sequencer {
  constructor(options) {
    super(options);
    this.globalConfig = options.globalConfig;
  }

  sort(tests) {
    const seed = fileOrderSeed(process.env, this.globalConfig);
    if (seed === undefined) return serialFirst(super.sort(tests));
    // Sorted by path first, so the order depends on the seed alone, not on how jest found the files.
    const ordered = shuffle(
      [...tests].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
      seed,
    );
    const root = (this.globalConfig && this.globalConfig.rootDir) || process.cwd();
    process.stderr.write(
      `sluice: test files in random order, seed ${seed} (SLUICE_TEST_SEED=${seed}):\n${ordered.map((t) => `  ${t.path.replace(`${root}/`, '')}`).join('\n')}\n`,
    );
    return ordered;
  }
}

module.exports = RandomOrderSequencer;
module.exports.shuffle = shuffle;
module.exports.fileOrderSeed = fileOrderSeed;
module.exports.serialFirst = serialFirst;

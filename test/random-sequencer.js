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
const { SERIAL_FILES } = require('./integration/support/serial-files');

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

/** True for a file of `integration/support/serial-files.js` (a path relative to its project's root). */
function isSerial(test) {
  const relative = path.relative(test.context.config.rootDir, test.path).split(path.sep).join('/');
  return Object.hasOwn(SERIAL_FILES, relative);
}

/**
 * The files that must run alone first, each group in the order given: while a serial file runs the
 * other worker waits (`integration/support/run-lock.ts`), and it waits least at the start, before the
 * two workers are busy with the longest shared files (jest's order puts those first).
 */
function serialFirst(tests) {
  return [...tests.filter(isSerial), ...tests.filter((test) => !isSerial(test))];
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

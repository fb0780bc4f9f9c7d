// StrykerJS mutation testing of the core (lambdas/domain, lambdas/shared) against the unit tests.
// Run with `npm run mutation` (not part of `npm test`: see docs/mutation.md for why and the scores).
// Stryker 9.x: 10.x needs Node 22 and the project runs on Node 20.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// The jest runner gets the project's own `unit` project (same @swc/jest transform, same testMatch),
// not the multi-project config, so the local-cloud suites never start. (Stryker reads jest.config.js
// for rootDir, in its sandbox; `projects: null` drops its project list.)
const { projects } = require('./jest.config.js');
const { displayName: _displayName, ...unitProject } = projects.find((project) => project.displayName === 'unit');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    // Only the core's own unit tests (test/unit/domain, test/unit/shared). Left out for time: the
    // property tests (fast-check, hundreds of runs: up to 14 s for every mutant they reach) and the
    // handlers' tests.
    config: { ...unitProject, projects: null, testMatch: ['<rootDir>/test/unit/{domain,shared}/**/*.test.ts'] },
    enableFindRelatedTests: true,
  },
  mutate: ['lambdas/domain/**/*.ts', 'lambdas/shared/**/*.ts'],
  // perTest: each mutant runs only the unit tests that reached it in the dry run.
  coverageAnalysis: 'perTest',
  // Static mutants (module-level code: zod schemas, constant tables) run every related test for each
  // mutant: 15 % of the mutants but ~75 % of the time. They are skipped and reported as ignored.
  ignoreStatic: true,
  // The machine is shared: one test runner at a time (run it through the heavy-job wrapper).
  concurrency: 1,
  ignorePatterns: ['cdk.out', '.sluice', 'coverage', 'bench/results', '*.log'],
  tempDirName: '.sluice/stryker-tmp',
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: '.sluice/mutation/mutation.html' },
  jsonReporter: { fileName: '.sluice/mutation/mutation.json' },
  incrementalFile: '.sluice/mutation/stryker-incremental.json',
  thresholds: { high: 90, low: 80, break: null },
};

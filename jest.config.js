/** Jest projects: unit (pure logic), infra (CDK templates + cdk-nag), integration and conformance (local cloud). */
const transform = { '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { target: 'es2022' } }] };
const common = { transform, testEnvironment: 'node', moduleFileExtensions: ['ts', 'js', 'json'] };

module.exports = {
  // Random file order with SLUICE_TEST_SEED or --randomize (see the file); jest's order otherwise.
  testSequencer: '<rootDir>/test/random-sequencer.js',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...common, displayName: 'infra', testMatch: ['<rootDir>/test/infra/**/*.test.ts'] },
    // End to end over HTTP and the real SDK. The global setup starts the local cloud (unless
    // SLUICE_TEST_TARGET=external). npm run test:integration runs two workers on it: the files of
    // test/integration/support/file-groups.js run alone (first), the others two at a time; the
    // environment takes the run lock around each file (test/integration/support/run-lock.ts).
    {
      ...common,
      displayName: 'integration',
      testEnvironment: '<rootDir>/test/integration/support/shared-cloud-environment.ts',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/integration/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/integration/support/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/integration/support/close-clients.ts'],
    },
    // One test per documented AWS behaviour, against the probe app (test/conformance/app) on the
    // local cloud the global setup starts, or on a deployed probe stack (SLUICE_TEST_TARGET=external).
    {
      ...common,
      displayName: 'conformance',
      testMatch: ['<rootDir>/test/conformance/**/*.test.ts'],
      globalSetup: '<rootDir>/test/conformance/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/conformance/support/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/conformance/support/close-clients.ts'],
    },
  ],
};

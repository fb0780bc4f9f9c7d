// ESLint (flat config): typescript-eslint's `recommended` set plus a few rules that catch real bugs
// here. Layout is prettier's job (.prettierrc.json): neither @eslint/js nor typescript-eslint
// `recommended` enables a layout rule, and none may be added here (eslint-config-prettier's split).
// `npm run lint` runs it; docs/contributing.md says how to lint and format.
//
// Not type-aware on purpose: with `projectService`, no-floating-promises / no-misused-promises /
// await-thenable cost ~80 s of CPU and 2.5 GB for the whole tree (the syntax-only run: ~15 s) and
// found nothing; tsc (strict, noUnusedLocals) already runs first in `npm test`.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Node's own globals (read from the running Node, so no `globals` package) plus CommonJS's. */
const nodeGlobals = Object.fromEntries(
  [...Object.getOwnPropertyNames(globalThis), 'require', 'module', 'exports', '__dirname', '__filename'].map((name) => [name, 'readonly']),
);

export default defineConfig([
  // Build output, emulator state, bundles and reports: generated, never linted.
  globalIgnores(['**/node_modules/', '**/cdk.out/', '**/coverage/', '**/dist/', '.sluice/', 'reports/', 'bench/results/']),
  // A disable comment that no longer silences anything is an error (`eslint --fix` removes it).
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  {
    files: ['**/*.{ts,js,mjs,cjs}'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    rules: {
      // `==` coerces ('0' == 0); `x == null` (null or undefined) stays allowed as the one idiom.
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // `let x;` read by a closure (a signal handler) before its one assignment must stay `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Same convention as tsc's noUnusedParameters: a leading `_` marks a deliberately unused
      // name (a callback's parameter, a field dropped by destructuring with a rest).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Reading the version from package.json is the one require() TypeScript code needs.
      '@typescript-eslint/no-require-imports': ['error', { allow: ['/package\\.json$'] }],
    },
  },
  {
    // The .js/.cjs files are CommonJS by design (bin shim, jest config and sequencer, preinstall
    // scripts, the Lambda runtime bootstrap that runs before any transpiler).
    files: ['**/*.{js,cjs}'],
    languageOptions: { sourceType: 'commonjs', globals: nodeGlobals },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  { files: ['**/*.mjs'], languageOptions: { sourceType: 'module', globals: nodeGlobals } },
  {
    // Deployed code: functions log through the Powertools logger (structured, sampled, with the
    // request id) and the CDK app must not print during synth. The CLI, the local cloud, benches,
    // scripts and tests may print.
    files: ['lambdas/**', 'lib/**'],
    rules: { 'no-console': 'error' },
  },
  {
    // Tests, benches, scripts and the CLI read untyped JSON (HTTP bodies, queue messages, table
    // items, CloudFormation templates) and assert on its shape; `any` there is deliberate.
    // Deployed and local-cloud code (lambdas/, lib/, local/) stays without `any`.
    files: ['test/**', 'bench/**', 'scripts/**', 'cli/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
]);

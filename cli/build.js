/**
 * Builds the `sluice` CLI once into self-contained files under `dist/` (esbuild: every dependency
 * bundled, minified), so a call starts without compiling TypeScript and runs without
 * devDependencies. `npm ci` builds it (`prepare`), `npm run build:cli` rebuilds it, and the
 * integration suite's global setup rebuilds it before any test runs it, so a stale build is never tested.
 *
 * Two files, because `sluice --help` must not pay for the AWS SDK (parsing and evaluating it is
 * most of a call's time otherwise):
 * - `dist/cli.cjs`: the CLI. Its imports of `@aws-sdk/*` and `@smithy/*` are stand-ins with one
 *   getter per export (names read from the real module at build time) that load the real module on
 *   the first read (`new SQSClient(…)`), which esbuild's compiled imports only do when code runs.
 * - `dist/aws-sdk.cjs`: those SDK modules, loaded by the first stand-in that is read.
 *
 * Within `dist/cli.cjs`, a command's own code (`cli/commands/`) is evaluated only when the command
 * runs: the program imports it on demand (see `cli/program/lazy-action.ts`), which esbuild turns
 * into a wrapper called on the first import, in the same file.
 *
 * Plain JavaScript on purpose: it runs before anything else is built.
 */
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
/** The built CLI; `bin/sluice-cli.js` loads it. */
const CLI_BUNDLE = path.join(DIST, 'cli.cjs');
const SDK_BUNDLE_NAME = 'aws-sdk.cjs';
const SDK_MODULE = /^@(aws-sdk|smithy)\//;
const NAMESPACE = 'lazy-aws-sdk';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: true, sourcemap: 'external', logLevel: 'warning' };

/**
 * Node built-ins the CLI (or a package it bundles) imports at load but uses only inside some
 * commands: loading `node:crypto`, `node:http` or `readline` is a measurable part of
 * `sluice --help` otherwise. Each import gets a stand-in with one getter per export, like the SDK's.
 */
const LAZY_BUILTINS = /^(node:)?(crypto|http|https|readline|readline\/promises|child_process|zlib)$/;
const BUILTINS_NAMESPACE = 'lazy-builtin';

/**
 * Replaces imports of {@link LAZY_BUILTINS} with stand-ins that `require` the real module on the
 * first read of an export. No `__esModule` marker: a default or namespace import gets the stand-in
 * itself, whose getters forward to the real module, as `module.exports` of a built-in would.
 */
function lazyBuiltins() {
  return {
    name: BUILTINS_NAMESPACE,
    setup(build) {
      build.onResolve({ filter: LAZY_BUILTINS }, (args) =>
        args.namespace === BUILTINS_NAMESPACE ? { path: args.path, external: true } : { path: args.path, namespace: BUILTINS_NAMESPACE },
      );
      build.onLoad({ filter: /.*/, namespace: BUILTINS_NAMESPACE }, (args) => {
        const id = args.path.startsWith('node:') ? args.path : `node:${args.path}`;
        const names = Object.keys(require(id)).filter((name) => name !== 'default');
        return {
          loader: 'js',
          contents: [
            'let real;',
            `const load = () => (real ??= require(${JSON.stringify(id)}));`,
            `for (const name of ${JSON.stringify(names)}) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });`,
          ].join('\n'),
        };
      });
    },
  };
}

/** Whether an import of an SDK module is the CLI's own (stood in for) rather than a bundled package's. */
const ownSdkImport = (args) => SDK_MODULE.test(args.path) && !args.pluginData?.real && !args.importer.includes(`${path.sep}node_modules${path.sep}`);

/**
 * The SDK exports the CLI's code uses, per module: a first, unminified ESM build with the SDK
 * external lists them in its (tree-shaken) import statements. A stand-in defines only these, since
 * esbuild copies every export of a stand-in at load (`__toESM`), ~1,600 for all the clients.
 * A module imported as a namespace, a default or with `import()` gets every export (`'*'`).
 */
async function usedSdkExports(esbuild, entry) {
  const result = await esbuild.build({
    ...common,
    minify: false,
    sourcemap: false,
    format: 'esm',
    write: false,
    entryPoints: [entry],
    outfile: path.join(DIST, 'sdk-imports.mjs'),
    plugins: [
      {
        name: 'sdk-external',
        setup: (build) => build.onResolve({ filter: SDK_MODULE }, (args) => (ownSdkImport(args) ? { path: args.path, external: true } : undefined)),
      },
    ],
  });
  const code = result.outputFiles[0].text;
  const used = new Map();
  const add = (id, names) => used.set(id, used.get(id) === '*' || names === '*' ? '*' : [...new Set([...(used.get(id) ?? []), ...names])]);
  for (const [, clause, id] of code.matchAll(/^import\s+([^;]*?)\s+from\s+"([^"]+)";/gm)) {
    const named = /^\{([^}]*)\}$/.exec(clause.trim());
    add(
      id,
      named
        ? named[1]
            .split(',')
            .map((part) => part.trim().split(/\s+as\s+/)[0])
            .filter(Boolean)
        : '*',
    );
  }
  for (const [, id] of code.matchAll(/\bimport\("([^"]+)"\)/g)) add(id, '*');
  return used;
}

/** Replaces our own SDK imports with stand-ins (see above), recording which modules they stand for. */
function lazySdk(modules, used) {
  return {
    name: NAMESPACE,
    setup(build) {
      build.onResolve({ filter: new RegExp(`^\\./${SDK_BUNDLE_NAME.replace('.', '\\.')}$`), namespace: NAMESPACE }, (args) => ({ path: args.path, external: true }));
      build.onResolve({ filter: SDK_MODULE }, async (args) => {
        if (!ownSdkImport(args)) return undefined;
        const real = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: { real: true } });
        if (real.errors.length) return { errors: real.errors };
        modules.add(args.path);
        return { path: args.path, namespace: NAMESPACE, pluginData: { file: real.path } };
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
        const all = Object.keys(require(args.pluginData.file)).filter((name) => name !== '__esModule');
        const wanted = used.get(args.path);
        const names = wanted && wanted !== '*' ? all.filter((name) => wanted.includes(name)) : all;
        return {
          resolveDir: DIST,
          loader: 'js',
          contents: [
            'let real;',
            `const load = () => (real ??= require('./${SDK_BUNDLE_NAME}')(${JSON.stringify(args.path)}));`,
            "Object.defineProperty(exports, '__esModule', { value: true });",
            `for (const name of ${JSON.stringify(names)}) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });`,
          ].join('\n'),
        };
      });
    },
  };
}

/** Deletes the V8 code caches `bin/sluice-cli.js` keeps beside the old bundles (Node 20); the next call writes one for the new bundle. */
function removeCodeCaches() {
  const fs = require('node:fs');
  const names = [path.basename(CLI_BUNDLE), SDK_BUNDLE_NAME];
  for (const file of fs.readdirSync(DIST)) {
    if (file.endsWith('.v8cache') && names.some((name) => file.startsWith(`${name}.`))) fs.rmSync(path.join(DIST, file), { force: true });
  }
}

/** Builds `dist/cli.cjs` and `dist/aws-sdk.cjs` (with source maps, which nothing loads unless asked) and resolves with the CLI's path. */
async function buildCli() {
  const esbuild = require('esbuild');
  const modules = new Set();
  const entry = path.join(ROOT, 'cli', 'entry.ts');
  const used = await usedSdkExports(esbuild, entry);
  await esbuild.build({ ...common, entryPoints: [entry], outfile: CLI_BUNDLE, plugins: [lazySdk(modules, used), lazyBuiltins()] });
  removeCodeCaches();
  const cases = [...modules].sort().map((id) => `    case ${JSON.stringify(id)}: return require(${JSON.stringify(id)});`);
  await esbuild.build({
    ...common,
    stdin: {
      contents: `module.exports = (id) => {\n  switch (id) {\n${cases.join('\n')}\n    default: throw new Error('not in the CLI build: ' + id);\n  }\n};\n`,
      resolveDir: ROOT,
      sourcefile: 'aws-sdk-modules.js',
    },
    outfile: path.join(DIST, SDK_BUNDLE_NAME),
  });
  return CLI_BUNDLE;
}

module.exports = { buildCli, CLI_BUNDLE };

/**
 * Whether building must be skipped, not failed: `npm ci --omit=dev` runs `prepare` without
 * esbuild (a devDependency), and failing there would fail the whole install. The CLI is then
 * built wherever devDependencies are installed (`npm run build:cli`), and `dist/` copied.
 */
function skipWithoutEsbuild(error, env = process.env) {
  return env.npm_lifecycle_event === 'prepare' && error?.code === 'MODULE_NOT_FOUND' && /'esbuild'/.test(error.message);
}

if (require.main === module) {
  buildCli().then(
    (file) => {
      if (!process.argv.includes('--quiet')) process.stdout.write(`built ${path.relative(process.cwd(), file)}\n`);
    },
    (error) => {
      if (skipWithoutEsbuild(error)) {
        process.stderr.write(
          'sluice: the CLI is not built: esbuild, a devDependency, is not installed (npm ci --omit=dev). ' +
            'Build it where devDependencies are (npm run build:cli) and copy dist/ here; it runs without any node_modules.\n',
        );
        return;
      }
      process.stderr.write(`cannot build the sluice CLI: ${error.message}\n`);
      process.exitCode = 1;
    },
  );
}

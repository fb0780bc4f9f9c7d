#!/usr/bin/env node
// The `sluice` CLI: runs the bundle `npm ci` built (dist/cli.cjs, see cli/build.js), so no
// TypeScript is compiled on a call and no devDependency is needed.
const path = require('node:path');
const bundle = path.join(__dirname, '..', 'dist', 'cli.cjs');
try {
  require.resolve(bundle);
} catch {
  process.stderr.write(`sluice: the CLI is not built (no ${path.relative(process.cwd(), bundle) || bundle}); run npm run build:cli (npm ci builds it)\n`);
  process.exit(1);
}
const { enableCompileCache } = require('node:module');
if (enableCompileCache) {
  // Node 22+ keeps the compiled bundle in its compile cache (a temp directory): later calls skip parsing it.
  enableCompileCache();
  require(bundle);
} else if (process.sourceMapsEnabled) {
  // --enable-source-maps maps stack traces only for modules Node compiles itself.
  require(bundle);
} else {
  const Module = require('node:module');
  // The SDK bundle the CLI's first SDK call loads gets a code cache too: 828 KB that Node 20
  // otherwise compiles on every call that talks to AWS.
  const sdkBundle = path.join(__dirname, '..', 'dist', 'aws-sdk.cjs');
  const loadCjs = Module._extensions['.cjs'] ?? Module._extensions['.js'];
  Module._extensions['.cjs'] = (loading, filename) => (filename === sdkBundle ? runWithCodeCache(loading, filename) : loadCjs(loading, filename));
  const cli = new Module(bundle, module);
  cli.filename = bundle;
  cli.paths = Module._nodeModulePaths(path.dirname(bundle));
  runWithCodeCache(cli, bundle);
  cli.loaded = true;
}

/**
 * Node 20's stand-in for the compile cache: compiles a bundle with V8's code cache kept beside it,
 * and runs it as `target`'s code. It saves parsing cli.cjs's ~200 KB on every call (about a fifth
 * of `sluice --help`) and aws-sdk.cjs's 828 KB on every call that talks to AWS. The cache is
 * written after a call that had none, with every function the call compiled. Its name holds the
 * Node version and the bundle's size and time, since V8 checks only the source's length and its own
 * version before it trusts a cache (a rebuild also deletes the old ones: see cli/build.js). A
 * directory the user cannot write only means no cache.
 */
function runWithCodeCache(target, file) {
  const fs = require('node:fs');
  const vm = require('node:vm');
  const Module = require('node:module');
  const { size, mtimeMs } = fs.statSync(file);
  const cacheFile = `${file}.${process.version}-${process.arch}-${size}-${Math.trunc(mtimeMs)}.v8cache`;
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    // none yet
  }
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
  if (!cachedData || script.cachedDataRejected) {
    process.once('exit', () => {
      const partial = `${cacheFile}.${process.pid}`;
      try {
        fs.accessSync(path.dirname(file), fs.constants.W_OK); // before paying for the cache
        fs.writeFileSync(partial, script.createCachedData());
        fs.renameSync(partial, cacheFile); // whole or not at all, when two calls race
      } catch {
        fs.rmSync(partial, { force: true });
      }
    });
  }
  script.runInThisContext().call(target.exports, target.exports, Module.createRequire(file), target, file, path.dirname(file));
}

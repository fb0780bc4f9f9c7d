#!/usr/bin/env node
/**
 * `npm start`: checks the install (preflight.js), then runs the local cloud (`local/start.ts`)
 * from one file that esbuild compiled from its sources, cached under `.sluice/local-cloud/` by
 * the content hash of those sources. Through tsx, every start paid for tsx's loader and for
 * compiling and resolving some 200 TypeScript files one by one (1–2 s of CPU on this 2-core
 * machine); a current bundle is one file to read. Packages stay external (node_modules as usual),
 * and each source keeps its own `__dirname` (local/source-dirname.js), so the emulator hosts and
 * the sandbox bootstrap are found next to their sources as before.
 *
 * The bundle's key hashes the content of every source file esbuild read for it (listed in
 * `inputs.json` at the last build), this script, esbuild's version and Node's major version: an
 * edit under local/ (or lib/, cli/ files it imports) builds it again (0.5–1 s), file
 * times play no part. If esbuild fails, the start says why and runs the sources through tsx.
 *
 * Plain JavaScript on purpose: it runs before anything is compiled (and preflight.js before
 * anything is installed).
 */
const { createHash, randomBytes } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { preflight } = require('./preflight');

const ROOT = path.resolve(__dirname, '..');

/** How many bundles to keep (another `npm start` in this clone may still run an older one). */
const KEEP_BUNDLES = 3;

/**
 * @typedef {object} BundleTarget
 * @property {string} root the project root (sources are listed relative to it)
 * @property {string} entry the TypeScript entry, relative to `root`
 * @property {string} cacheDir where the bundles and `inputs.json` live
 */

/** @type {BundleTarget} */
const LOCAL_CLOUD = { root: ROOT, entry: path.join('local', 'start.ts'), cacheDir: path.join(ROOT, '.sluice', 'local-cloud') };

function esbuildVersion(root) {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'esbuild', 'package.json'), 'utf8')).version;
  } catch {
    return 'none';
  }
}

/**
 * The content hash of a build from `inputs` (paths relative to `target.root`), or undefined when
 * one of them is gone (a build then lists the sources afresh).
 * @param {BundleTarget} target
 * @param {readonly string[]} inputs
 */
function bundleKey(target, inputs) {
  const hash = createHash('sha256');
  hash.update(`${fs.readFileSync(__filename, 'utf8')}\0${esbuildVersion(target.root)}\0${process.versions.node.split('.')[0]}\0${target.entry}\0`);
  for (const input of [...inputs].sort()) {
    let content;
    try {
      content = fs.readFileSync(path.join(target.root, input));
    } catch {
      return undefined;
    }
    hash.update(`${input}\0`);
    hash.update(content);
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

const bundleFile = (target, key) => path.join(target.cacheDir, `start-${key}.cjs`);
const inputsFile = (target) => path.join(target.cacheDir, 'inputs.json');

/**
 * The cached bundle for the sources as they are now, or undefined when there is none.
 * @param {BundleTarget} target
 * @returns {string | undefined}
 */
function currentBundle(target) {
  let inputs;
  try {
    inputs = JSON.parse(fs.readFileSync(inputsFile(target), 'utf8')).inputs;
  } catch {
    return undefined;
  }
  if (!Array.isArray(inputs) || inputs.length === 0) return undefined;
  const key = bundleKey(target, inputs);
  if (!key) return undefined;
  const file = bundleFile(target, key);
  return fs.existsSync(file) ? file : undefined;
}

function writeAtomically(file, data) {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(temporary, data);
  fs.renameSync(temporary, file);
}

/** Removes all but the newest {@link KEEP_BUNDLES} bundles (and their source maps). */
function pruneBundles(target) {
  const bundles = fs
    .readdirSync(target.cacheDir)
    .filter((name) => /^start-[0-9a-f]{16}\.cjs$/.test(name))
    .map((name) => ({ name, at: fs.statSync(path.join(target.cacheDir, name)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const { name } of bundles.slice(KEEP_BUNDLES)) {
    fs.rmSync(path.join(target.cacheDir, name), { force: true });
    fs.rmSync(path.join(target.cacheDir, `${name}.map`), { force: true });
  }
}

/**
 * Compiles `target.entry` with esbuild into the cache (packages external, each source's own
 * `__dirname`, a linked source map) and records the sources it read; returns the bundle.
 * @param {BundleTarget} target
 * @returns {Promise<string>}
 */
async function buildBundle(target) {
  const esbuild = require('esbuild');
  const { sourceDirname } = require('../local/source-dirname');
  const result = await esbuild.build({
    absWorkingDir: target.root,
    entryPoints: [path.join(target.root, target.entry)],
    bundle: true,
    write: false,
    outfile: path.join(target.cacheDir, 'start.cjs'),
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    packages: 'external',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'silent',
    plugins: [sourceDirname(target.root)],
  });
  const inputs = Object.keys(result.metafile.inputs).filter((input) => !input.split('/').includes('node_modules'));
  const key = bundleKey(target, inputs);
  if (!key) throw new Error('a source changed during the build');
  const file = bundleFile(target, key);
  fs.mkdirSync(target.cacheDir, { recursive: true });
  for (const output of result.outputFiles) {
    const isMap = output.path.endsWith('.map');
    const text = isMap ? output.text : output.text.replace(/\/\/# sourceMappingURL=start\.cjs\.map/, `//# sourceMappingURL=${path.basename(file)}.map`);
    writeAtomically(isMap ? `${file}.map` : file, text);
  }
  writeAtomically(inputsFile(target), `${JSON.stringify({ key, inputs }, null, 2)}\n`);
  pruneBundles(target);
  // esbuild's service would outlive the local cloud's start in this process; the cloud's own builds
  // start it again when they need it (local/bundles/esbuild-service.ts stops it after them).
  await esbuild.stop();
  return file;
}

/**
 * The bundle to run: the cached one when the sources are unchanged, else a new build.
 * @param {BundleTarget} target
 * @returns {Promise<{ file: string, built: boolean }>}
 */
async function prepareBundle(target) {
  const cached = currentBundle(target);
  if (cached) return { file: cached, built: false };
  return { file: await buildBundle(target), built: true };
}

async function main() {
  preflight();
  let prepared;
  try {
    prepared = await prepareBundle(LOCAL_CLOUD);
  } catch (error) {
    process.stderr.write(`npm start: could not compile the local cloud with esbuild (${String(error).split('\n')[0]}): running its sources with tsx\n`);
    require('tsx/cjs');
    require(path.join(ROOT, LOCAL_CLOUD.entry));
    return;
  }
  // Stack traces name the .ts sources, as they did through tsx.
  process.setSourceMapsEnabled(true);
  require(prepared.file);
}

if (require.main === module) void main();

module.exports = { LOCAL_CLOUD, prepareBundle, currentBundle, bundleKey };

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleEntry, mapBundles, startBundles, type FunctionBundles } from './bundles/local-bundling';
import { buildSynthApp, tsxEntry } from './synth-app-build';

/** What a synth depends on, relative to the project root. Missing entries (no cdk.context.json) are skipped. */
export const SYNTH_INPUTS = ['bin', 'lib', 'lambdas', 'cdk.json', 'cdk.context.json', 'package-lock.json'];

/**
 * Where `npm start` keeps its own cloud assemblies, one folder per inputs hash. The CDK CLI writes
 * `./cdk.out` (and `cdk ls`/`cdk diff` rewrite it with bundling skipped), so the local cloud never
 * reads that folder.
 */
/** Another CDK app than cdk.json's (e.g. the conformance probe app): its command and the files it is built from. */
export interface SynthApp {
  readonly command: string;
  /** Relative to the project root. */
  readonly inputs: readonly string[];
}

export const OWNED_ASSEMBLIES_DIR = path.join('.sluice', 'cdk.out');

/** The file in an assembly folder that records the inputs hash it was synthesized from. */
export const INPUTS_STAMP_FILE = 'sluice-inputs.json';

/**
 * Context key the CDK app (bin/sluice.ts) reads to leave out checks for a local synth. `npm start`
 * sets it to {@link LOCAL_SYNTH_SKIPPED_CHECKS}: cdk-nag adds seconds to every synth and `npm test`
 * runs it anyway (test/infra/cdk-nag.test.ts). The stamp file records what was skipped, and
 * `npm start` prints it ({@link skippedChecksLine}), so a skip is never silent.
 */
export const SKIP_CHECKS_CONTEXT = 'sluice:skip-checks';

/**
 * What a local synth leaves to `npm test`, with the test that runs it.
 * - `cdk-nag`: the AwsSolutions rule packs (bin/sluice.ts leaves them out on {@link SKIP_CHECKS_CONTEXT}).
 * - `cloudformation-validation`: aws-cdk-lib's built-in CloudFormation validation (a WebAssembly
 *   engine run after the assembly is written; it only reads the templates and writes
 *   `validation-report.json`). It was 80 % of a local synth's CPU (13–14 s of 15–16 s, measured at
 *   issue 14); turned off as `cdk synth --no-validation` does ({@link localSynthEnvironment}).
 *   The cdk-nag tests synthesize with it on and fail on any of its findings.
 */
export const LOCAL_SYNTH_SKIPPED_CHECKS: Readonly<Record<string, string>> = {
  'cdk-nag': 'test/infra/cdk-nag.test.ts',
  'cloudformation-validation': 'test/infra/cdk-nag.test.ts',
};

/**
 * Environment the app of a local synth gets on top of the CLI's: `CDK_VALIDATION=false` turns off
 * the built-in CloudFormation validation (aws-cdk-lib's `App` reads it, as `cdk synth --no-validation`
 * sets it), one of the {@link LOCAL_SYNTH_SKIPPED_CHECKS}. The templates are the same bytes either way.
 */
export function localSynthEnvironment(): Record<string, string> {
  return { CDK_VALIDATION: 'false' };
}

/** The checks an assembly's stamp says its synth skipped (none for an assembly from before the skip). */
export function skippedChecks(cloudAssemblyDir: string): string[] {
  try {
    const stamp = JSON.parse(readFileSync(path.join(cloudAssemblyDir, INPUTS_STAMP_FILE), 'utf8')) as { skippedChecks?: unknown };
    return Array.isArray(stamp.skippedChecks) ? stamp.skippedChecks.filter((c): c is string => typeof c === 'string') : [];
  } catch {
    return [];
  }
}

/** One line for the ready banner naming the checks the local synth skipped and where they run instead. */
export function skippedChecksLine(checks: readonly string[]): string | undefined {
  if (checks.length === 0) return undefined;
  const where = checks.map((c) => `${c} (${LOCAL_SYNTH_SKIPPED_CHECKS[c] ?? 'npm test'})`).join(', ');
  return `skipped in the local synth: ${where}; npm test runs them`;
}

/** How many owned assemblies to keep (a running `npm start` may still use an older one). */
const KEEP_ASSEMBLIES = 3;

function listFiles(target: string): string[] {
  if (!existsSync(target)) return [];
  if (!statSync(target).isDirectory()) return [target];
  return readdirSync(target, { withFileTypes: true })
    .filter((entry) => entry.name !== 'node_modules' && !entry.name.startsWith('.'))
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => listFiles(path.join(target, entry.name)));
}

/**
 * A hash of everything a synth depends on: the content and path of every file under bin/, lib/,
 * lambdas/, cdk.json, cdk.context.json, package-lock.json (or, for another app, its command and
 * `inputs`), and the context given on the command line.
 * File times play no part, so a `git checkout` or a copy neither hides nor invents a change.
 */
export function synthInputsHash(projectRoot: string, context: Readonly<Record<string, string>> = {}, app?: SynthApp): string {
  const hash = createHash('sha256');
  if (app) hash.update(`app\0${app.command}\0`);
  for (const input of app?.inputs ?? SYNTH_INPUTS) {
    for (const file of listFiles(path.join(projectRoot, input))) {
      hash.update(`${path.relative(projectRoot, file).split(path.sep).join('/')}\0`);
      hash.update(readFileSync(file));
      hash.update('\0');
    }
  }
  const sortedContext = Object.keys(context)
    .sort()
    .map((key) => [key, context[key]]);
  hash.update(`context\0${JSON.stringify(sortedContext)}`);
  return hash.digest('hex');
}

/** `<projectRoot>/.sluice/cdk.out/<first 16 hex digits of the hash>`. */
export function ownedAssemblyDir(projectRoot: string, inputsHash: string): string {
  return path.join(projectRoot, OWNED_ASSEMBLIES_DIR, inputsHash.slice(0, 16));
}

/** Whether `cloudAssemblyDir` holds a complete assembly synthesized from exactly these inputs. */
export function isAssemblyCurrent(cloudAssemblyDir: string, inputsHash: string): boolean {
  const stamp = path.join(cloudAssemblyDir, INPUTS_STAMP_FILE);
  if (!existsSync(path.join(cloudAssemblyDir, 'manifest.json')) || !existsSync(stamp)) return false;
  try {
    return (JSON.parse(readFileSync(stamp, 'utf8')) as { hash?: string }).hash === inputsHash;
  } catch {
    return false;
  }
}

/**
 * Synthesizes into a private folder next to `cloudAssemblyDir`, stamps it with `inputsHash` and
 * only then moves it into place, so a reader never sees half an assembly. When another process
 * (a second `npm start`, the test suite) finished the same assembly first, its copy is kept
 * unless `replace` (`npm start -- --synth`, or an assembly found without bundled code).
 *
 * @throws with the CLI's output when the synth fails
 */
export async function synthAssembly(
  projectRoot: string,
  cloudAssemblyDir: string,
  inputsHash: string,
  context: Readonly<Record<string, string>> = {},
  { replace = false, app }: { readonly replace?: boolean; readonly app?: SynthApp } = {},
): Promise<void> {
  const partial = `${cloudAssemblyDir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(path.dirname(partial), { recursive: true });
  try {
    // Another app (the conformance probe app) keeps its own bundling: its entries follow no convention here.
    const bundles = app ? {} : await synthWithLocalBundles(projectRoot, partial, context);
    if (app) await synth(projectRoot, partial, context, app.command);
    const stamp = { hash: inputsHash, context, skippedChecks: Object.keys(LOCAL_SYNTH_SKIPPED_CHECKS), bundles };
    writeFileSync(path.join(partial, INPUTS_STAMP_FILE), `${JSON.stringify(stamp, null, 2)}\n`);
    if (!replace && isAssemblyCurrent(cloudAssemblyDir, inputsHash)) return;
    rmSync(cloudAssemblyDir, { recursive: true, force: true });
    renameSync(partial, cloudAssemblyDir);
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
  pruneOwnedAssemblies(path.dirname(cloudAssemblyDir), cloudAssemblyDir);
}

/**
 * Synthesizes sluice's app with bundling skipped while local/bundles/local-bundling.ts bundles
 * every function; returns the functions' bundles. When one function has no bundle of its own
 * (another entry, a failed build, a template the loader refuses), the whole app is synthesized
 * again with its own bundling (and no bundle map), so the assembly always runs.
 */
async function synthWithLocalBundles(projectRoot: string, partial: string, context: Readonly<Record<string, string>>): Promise<FunctionBundles> {
  const conventions = import('./app-conventions').then((m) => m.sluiceHotReloadConventions(projectRoot));
  // The app's own compile goes first: it is on the critical path (the app runs after it), the
  // functions' bundles are needed only once the app has run. Started together, the ten bundles
  // shared esbuild's service with the app's compile and held it back (seconds on a fresh clone).
  let appCompiled: () => void = () => undefined;
  const compiled = new Promise<void>((resolve) => (appCompiled = resolve));
  const builds = startBundles(
    projectRoot,
    compiled.then(() => conventions).then((c) => c.bundling),
    partial,
  );
  // On a failed synth, the builds still finish before the caller removes the folder they write to.
  await synth(projectRoot, partial, context, undefined, { skipBundling: true, onCompiled: appCompiled }).catch(async (error: unknown) => {
    appCompiled();
    await Promise.all(builds.values());
    throw error;
  });
  try {
    const [{ loadLocalApp }, { SLUICE_LOAD_CONVENTIONS }, { bundling }] = await Promise.all([import('./template'), import('./app-conventions'), conventions]);
    const loaded = loadLocalApp(partial, { ...SLUICE_LOAD_CONVENTIONS, awsEndpoint: 'http://localhost:4566', apiPort: 3000 });
    const rebuild = (name: string, runtime: string, outdir: string) =>
      bundleEntry(projectRoot, bundling, path.join(projectRoot, 'lambdas', name, 'handler.ts'), runtime, outdir);
    const { bundles, unmapped } = await mapBundles(loaded, builds, rebuild, partial);
    if (unmapped.length === 0) return bundles;
    process.stderr.write(`local synth: no local bundle for ${unmapped.join(', ')}; synthesizing again with the app's own bundling\n`);
  } catch (error) {
    process.stderr.write(
      `local synth: local bundling failed (${error instanceof Error ? error.message : String(error)}); synthesizing again with the app's own bundling\n`,
    );
  }
  await Promise.all(builds.values());
  rmSync(partial, { recursive: true, force: true });
  await synth(projectRoot, partial, context);
  return {};
}

/** The functions' bundles an assembly's stamp records (none for an assembly the app bundled itself). */
export function functionBundles(cloudAssemblyDir: string): FunctionBundles {
  try {
    const stamp = JSON.parse(readFileSync(path.join(cloudAssemblyDir, INPUTS_STAMP_FILE), 'utf8')) as { bundles?: unknown };
    const bundles = stamp.bundles;
    if (!bundles || typeof bundles !== 'object') return {};
    return Object.fromEntries(Object.entries(bundles).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return {};
  }
}

/** The most recently written assembly under `<projectRoot>/.sluice/cdk.out`, if any. */
export function newestOwnedAssembly(projectRoot: string): string | undefined {
  return ownedAssemblies(path.join(projectRoot, OWNED_ASSEMBLIES_DIR))[0];
}

function ownedAssemblies(parent: string): string[] {
  if (!existsSync(parent)) return [];
  return readdirSync(parent, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^[0-9a-f]{16}$/.test(entry.name) && existsSync(path.join(parent, entry.name, 'manifest.json')))
    .map((entry) => ({ dir: path.join(parent, entry.name), at: statSync(path.join(parent, entry.name)).mtimeMs }))
    .sort((a, b) => b.at - a.at)
    .map(({ dir }) => dir);
}

/** Removes all but the newest {@link KEEP_ASSEMBLIES} hash folders of the owned assemblies folder. */
function pruneOwnedAssemblies(parent: string, keep: string): void {
  if (path.resolve(parent) !== path.resolve(path.dirname(keep)) || path.basename(parent) !== path.basename(OWNED_ASSEMBLIES_DIR)) return;
  for (const dir of ownedAssemblies(parent).slice(KEEP_ASSEMBLIES)) {
    if (path.resolve(dir) !== path.resolve(keep)) rmSync(dir, { recursive: true, force: true });
  }
}

/** A function whose asset folder has no file for its handler. */
export interface MissingHandler {
  readonly displayName: string;
  readonly handler: string;
  readonly assetDir: string;
}

/**
 * The functions whose asset folder lacks the module their handler names (`index.handler` →
 * `index.js`, `.mjs` or `.cjs`), as in an assembly written by `cdk ls` or `cdk diff`, which skip
 * bundling and point every asset at the project folder.
 */
export function findMissingHandlers(
  functions: ReadonlyArray<{ readonly displayName: string; readonly handler: string; readonly assetDir: string }>,
): MissingHandler[] {
  return functions
    .filter(({ handler, assetDir }) => {
      const modulePath = handler.slice(0, Math.max(handler.lastIndexOf('.'), 0)) || handler;
      return !['.js', '.mjs', '.cjs'].some((ext) => existsSync(path.join(assetDir, `${modulePath}${ext}`)));
    })
    .map(({ displayName, handler, assetDir }) => ({ displayName, handler, assetDir }));
}

/** The start-up failure for {@link findMissingHandlers}: names each function and the fix. */
export function missingHandlersMessage(missing: readonly MissingHandler[], cloudAssemblyDir: string): string {
  const lines = missing.map((m) => `  - ${m.displayName}: handler ${m.handler} has no module in ${m.assetDir}`);
  return [
    `the cloud assembly in ${cloudAssemblyDir} is not runnable: ${missing.length} function(s) have no bundled code`,
    ...lines,
    'This happens when the assembly was written by `cdk ls`, `cdk diff` or `cdk synth <one stack>` (they skip bundling).',
    'Fix: run `npm start -- --synth` (synthesizes into .sluice/cdk.out with bundling), or drop --no-synth.',
  ].join('\n');
}

/**
 * The context `cdk synth` would hand the app: cdk.json's `context`, then cdk.context.json, then the
 * given `context`, plus what the CLI adds by default (path and asset metadata, which the template
 * loader reads, bundling of every stack, no version reporting) and {@link SKIP_CHECKS_CONTEXT}.
 */
export function localSynthContext(
  projectRoot: string,
  context: Readonly<Record<string, string>> = {},
  { skipBundling = false }: { readonly skipBundling?: boolean } = {},
): Record<string, unknown> {
  const readContext = (file: string, key?: string): Record<string, unknown> => {
    if (!existsSync(path.join(projectRoot, file))) return {};
    const json = JSON.parse(readFileSync(path.join(projectRoot, file), 'utf8')) as Record<string, unknown>;
    return ((key ? json[key] : json) ?? {}) as Record<string, unknown>;
  };
  return {
    ...readContext('cdk.json', 'context'),
    ...readContext('cdk.context.json'),
    'aws:cdk:enable-path-metadata': true,
    'aws:cdk:enable-asset-metadata': true,
    'aws:cdk:disable-version-reporting': true,
    // Skipped when local/bundles/local-bundling.ts bundles the functions itself.
    'aws:cdk:bundling-stacks': skipBundling ? [] : ['**'],
    '@aws-cdk/core:failSynthOnValidationErrors': false,
    [SKIP_CHECKS_CONTEXT]: Object.keys(LOCAL_SYNTH_SKIPPED_CHECKS).join(','),
    ...context,
  };
}

/**
 * Synthesizes cdk.json's app (or `app`, e.g. the conformance probe app) into `cloudAssemblyDir` by
 * running the app command itself with the environment the CDK CLI gives it (`CDK_OUTDIR`,
 * `CDK_CONTEXT_JSON`): the CLI's own start-up and its read-back of the assembly are seconds of a
 * fresh `npm start`, and the local cloud needs neither; a `tsx <entry>.ts` app runs compiled by
 * esbuild (local/synth-app-build.ts). An app that needs context lookups (the
 * assembly lists missing context) fails with the fix: run `npx cdk synth` once to fill cdk.context.json.
 *
 * @throws with the app's output when the synth fails
 */
export async function synth(
  projectRoot: string,
  cloudAssemblyDir: string,
  context: Readonly<Record<string, string>> = {},
  app?: string,
  {
    skipBundling = false,
    onCompiled,
  }: {
    readonly skipBundling?: boolean;
    /** Called once the app is compiled (or found not to need it), just before it is run. */
    readonly onCompiled?: () => void;
  } = {},
): Promise<void> {
  const configured = app ?? (JSON.parse(readFileSync(path.join(projectRoot, 'cdk.json'), 'utf8')) as { app: string }).app;
  const entry = tsxEntry(configured);
  const compiled = entry ? await buildSynthApp(projectRoot, entry, (reason) => process.stderr.write(`local synth: ${reason}\n`)) : undefined;
  const command = compiled?.command ?? configured;
  onCompiled?.();
  mkdirSync(cloudAssemblyDir, { recursive: true });
  const child = spawn(command, {
    cwd: projectRoot,
    shell: true,
    env: {
      ...process.env,
      CI: 'true',
      FORCE_COLOR: '0',
      CDK_OUTDIR: cloudAssemblyDir,
      CDK_CONTEXT_JSON: JSON.stringify(localSynthContext(projectRoot, context, { skipBundling })),
      ...localSynthEnvironment(),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const code = await new Promise<number | null>((resolve) => {
    child.once('error', (error) => {
      output += String(error);
      resolve(-1);
    });
    child.once('exit', resolve);
  });
  compiled?.remove();
  const manifest = path.join(cloudAssemblyDir, 'manifest.json');
  if (code !== 0 || !existsSync(manifest)) throw new Error(`cdk synth failed (${command} exited with ${code}):\n${output.trim()}`);
  const missing = (JSON.parse(readFileSync(manifest, 'utf8')) as { missing?: Array<{ key: string }> }).missing ?? [];
  if (missing.length > 0) {
    throw new Error(`the app needs context lookups (${missing.map((m) => m.key).join(', ')}); run \`npx cdk synth\` once to fill cdk.context.json, then npm start`);
  }
}

/**
 * The local synth's own bundling: the CDK app runs with bundling skipped (`aws:cdk:bundling-stacks`
 * empty), and every function under `lambdas/<name>/handler.ts` is bundled here instead, all at once
 * in one esbuild service and while the app synthesizes, with the same options the app gives
 * `NodejsFunction` (local/watch/esbuild-options.ts turns them into esbuild's, byte for byte the
 * bundle `cdk synth` writes). aws-cdk-lib runs esbuild one function after the other, each through
 * `npx --no-install esbuild`: most of a fresh `npm start`.
 *
 * The bundles are written inside the assembly (`sluice-bundles/<name>/`) and the assembly's stamp
 * maps each function to its bundle ({@link FunctionBundles}); the template loader's callers apply it
 * with {@link withLocalBundles}. A function left unmapped keeps the asset the template names, and a
 * start that finds no handler there synthesizes again with the app's own bundling.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { LocalApp } from '../model';
import { withEsbuild } from './esbuild-service';
import { bundleFileName, esbuildOptionsFor } from '../watch/esbuild-options';

/** Folder inside an assembly that holds its locally built bundles, one folder per function name. */
export const ASSEMBLY_BUNDLES_DIR = 'sluice-bundles';

/** The runtime the bundles are started for before the template says (SluiceFunction's, lib/sluice-function.ts); another one is rebuilt. */
export const EXPECTED_RUNTIME = 'nodejs24.x';

/** Function (`<stackName>/<logicalId>`) → its bundle folder, relative to the assembly. */
export type FunctionBundles = Readonly<Record<string, string>>;

/** The key of a function in {@link FunctionBundles}. */
export function bundleKey(fn: { readonly stackName: string; readonly logicalId: string }): string {
  return `${fn.stackName}/${fn.logicalId}`;
}

/** `lambdas/<name>/handler.ts` for each folder that has one: name → absolute entry. */
export function handlerEntries(projectRoot: string): Map<string, string> {
  const lambdas = path.join(projectRoot, 'lambdas');
  const entries = new Map<string, string>();
  if (!existsSync(lambdas)) return entries;
  for (const dir of readdirSync(lambdas, { withFileTypes: true })) {
    const entry = path.join(lambdas, dir.name, 'handler.ts');
    if (dir.isDirectory() && existsSync(entry)) entries.set(dir.name, entry);
  }
  return entries;
}

/**
 * Bundles one entry into `outdir` (created) for `runtime`.
 *
 * @throws esbuild's error when the build fails
 */
export async function bundleEntry(projectRoot: string, bundling: BundlingOptions, entry: string, runtime: string, outdir: string): Promise<void> {
  const result = await withEsbuild((esbuild) => esbuild.build({ ...esbuildOptionsFor(bundling, { entry, runtime }, projectRoot, outdir), metafile: false }));
  mkdirSync(outdir, { recursive: true });
  for (const file of result.outputFiles ?? []) writeFileSync(file.path, file.contents);
}

/**
 * Bundles every entry (function name → absolute entry) for `runtime` in **one** esbuild build, one
 * entry point each, into `<bundlesDir>/<name>/`. Each output is byte for byte what
 * {@link bundleEntry} writes for that entry alone (esbuild links every entry point on its own; the
 * file names and source map paths are the same), but the modules the functions share (the AWS SDK,
 * lambdas/shared) are parsed once instead of once per function: about a third of the CPU of ten
 * separate builds (2.3–2.5 s against 6.0–7.1 s of esbuild's CPU, measured for sluice's ten).
 *
 * @throws esbuild's error when the build fails (one broken entry fails them all)
 */
export async function bundleEntries(
  projectRoot: string,
  bundling: BundlingOptions,
  entries: ReadonlyMap<string, string>,
  runtime: string,
  bundlesDir: string,
): Promise<void> {
  if (entries.size === 0) return;
  const [first] = entries.values();
  // One function's options, less its single entry and output file: the options are the same for all.
  const { entryPoints: _one, outfile: _single, ...shared } = esbuildOptionsFor(bundling, { entry: first, runtime }, projectRoot, bundlesDir);
  const file = bundleFileName(bundling);
  const result = await withEsbuild((esbuild) =>
    esbuild.build({
      ...shared,
      entryPoints: [...entries].map(([name, entry]) => ({ in: entry, out: path.join(name, path.basename(file, path.extname(file))) })),
      outdir: bundlesDir,
      ...(path.extname(file) === '.js' ? {} : { outExtension: { '.js': path.extname(file) } }),
      metafile: false,
    }),
  );
  for (const output of result.outputFiles ?? []) {
    mkdirSync(path.dirname(output.path), { recursive: true });
    writeFileSync(output.path, output.contents);
  }
}

/** Builds started before the template is known, by function name; each settles to an error or undefined. */
export type StartedBuilds = ReadonlyMap<string, Promise<Error | undefined>>;

/**
 * Starts bundling every `lambdas/<name>/handler.ts` into `<assemblyDir>/sluice-bundles/<name>` for
 * {@link EXPECTED_RUNTIME}, all in one esbuild build ({@link bundleEntries}). Never rejects: a failed build is an `Error` outcome
 * (that function then falls back to the app's own bundling).
 */
export function startBundles(projectRoot: string, bundling: Promise<BundlingOptions>, assemblyDir: string): StartedBuilds {
  const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));
  const entries = handlerEntries(projectRoot);
  const bundlesDir = path.join(assemblyDir, ASSEMBLY_BUNDLES_DIR);
  // All in one build; when it fails (one entry does not compile), each entry is built on its own,
  // so only the broken function is left to the app's own bundling.
  const together = bundling.then((options) =>
    bundleEntries(projectRoot, options, entries, EXPECTED_RUNTIME, bundlesDir).then(
      () => undefined,
      () => options,
    ),
  );
  const builds = new Map<string, Promise<Error | undefined>>();
  for (const [name, entry] of entries) {
    builds.set(
      name,
      together
        .then((alone) => (alone ? bundleEntry(projectRoot, alone, entry, EXPECTED_RUNTIME, path.join(bundlesDir, name)).then(() => undefined) : undefined))
        .catch(asError),
    );
  }
  return builds;
}

/**
 * Maps each function of the synthesized app to the bundle built for its name (its display name,
 * `lambdas/<name>/handler.ts`); a function on another runtime is bundled again for its own.
 * Functions with no such entry, or whose build failed, are left out.
 */
export async function mapBundles(
  app: Pick<LocalApp, 'functions'>,
  builds: StartedBuilds,
  rebuild: (name: string, runtime: string, outdir: string) => Promise<void>,
  assemblyDir: string,
): Promise<{ bundles: FunctionBundles; unmapped: string[] }> {
  const bundles: Record<string, string> = {};
  const unmapped: string[] = [];
  for (const fn of app.functions) {
    const build = builds.get(fn.displayName);
    const failed = build ? await build : new Error('no lambdas/<name>/handler.ts');
    const dir = path.join(ASSEMBLY_BUNDLES_DIR, fn.displayName);
    if (failed) {
      unmapped.push(`${fn.displayName} (${failed.message.split('\n')[0]})`);
      continue;
    }
    if ((fn.runtime || EXPECTED_RUNTIME) !== EXPECTED_RUNTIME) {
      const own = path.join(ASSEMBLY_BUNDLES_DIR, `${fn.displayName}-${fn.runtime}`);
      await rebuild(fn.displayName, fn.runtime!, path.join(assemblyDir, own));
      bundles[bundleKey(fn)] = own;
      continue;
    }
    bundles[bundleKey(fn)] = dir;
  }
  return { bundles, unmapped };
}

/** The app with each function that has a bundle in `bundles` running it (asset folder moved to `<assemblyDir>/<bundle>`). */
export function withLocalBundles<App extends Pick<LocalApp, 'functions'>>(app: App, assemblyDir: string, bundles: FunctionBundles): App {
  if (Object.keys(bundles).length === 0) return app;
  return {
    ...app,
    functions: app.functions.map((fn) => {
      const bundle = bundles[bundleKey(fn)];
      return bundle ? { ...fn, assetDir: path.join(assemblyDir, bundle) } : fn;
    }),
  };
}

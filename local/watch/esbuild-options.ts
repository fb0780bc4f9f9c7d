/**
 * The esbuild build options of a function, read from the same `BundlingOptions` the CDK app gives
 * `NodejsFunction` (lib/sluice-function.ts `BUNDLING`) and translated the way aws-cdk-lib's local
 * bundling turns them into esbuild command-line flags, so a hot-reloaded bundle is byte for byte
 * the one `cdk synth` writes (test/unit/local/watch/esbuild-options.test.ts and the hot reload
 * integration test check it: an untouched function is never reloaded).
 */
import path from 'node:path';
import type { BuildOptions } from 'esbuild';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

/** What to build: the handler's TypeScript entry and the function's Lambda runtime (`nodejs24.x`). */
export interface BuildTarget {
  readonly entry: string;
  readonly runtime: string;
}

/**
 * Bundling options that run something besides esbuild (commands, an install, Docker): a rebuild
 * here could not reproduce them, so functions bundled with them are not hot-reloaded. Raw
 * `esbuildArgs` are mirrored only for `--alias` ({@link esbuildAliases}); any other flag in them
 * is not.
 */
const NOT_MIRRORED: ReadonlyArray<keyof BundlingOptions> = ['commandHooks', 'preCompilation', 'nodeModules', 'dockerImage'];

/** The `esbuildArgs` keys mirrored here: `--alias` (a list of `from=to`) or `--alias:<from>` (value `to`), as aws-cdk-lib writes them out. */
const ALIAS_ARG = /^--alias(?::(.+))?$/;

/** The options of `bundling` a hot reload cannot reproduce (empty: every bundle can be rebuilt here); raw flags as `esbuildArgs <flag>`. */
export function unmirroredBundlingOptions(bundling: BundlingOptions): string[] {
  const set: string[] = NOT_MIRRORED.filter((key) => bundling[key] !== undefined);
  const rawFlags = Object.keys(bundling.esbuildArgs ?? {}).filter((flag) => !ALIAS_ARG.test(flag));
  set.push(...rawFlags.map((flag) => `esbuildArgs ${flag}`));
  return bundling.forceDockerBundling ? [...set, 'forceDockerBundling'] : set;
}

/**
 * esbuild's `alias` option from the `--alias` flags of `bundling.esbuildArgs`, which aws-cdk-lib
 * passes to esbuild as `--alias:<from>=<to>` (a `to` path is relative to the project root, where
 * both run esbuild).
 *
 * @throws Error when an alias is not `<from>=<to>`
 */
export function esbuildAliases(bundling: BundlingOptions): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const [flag, value] of Object.entries(bundling.esbuildArgs ?? {})) {
    const match = ALIAS_ARG.exec(flag);
    if (!match) continue;
    const pairs = match[1] ? [`${match[1]}=${String(value)}`] : [value].flat().map(String);
    for (const pair of pairs) {
      const [from, to] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      if (!pair.includes('=') || !from || !to) throw new Error(`esbuildArgs ${flag}: an alias must read "<module>=<replacement>" (got "${pair}")`);
      aliases[from] = to;
    }
  }
  return aliases;
}

/** `nodejs24.x` → `node24`, as NodejsFunction derives esbuild's target from the runtime. */
export function runtimeTarget(runtime: string): string {
  const major = /^nodejs(\d+)/.exec(runtime)?.[1];
  if (!major) throw new Error(`runtime "${runtime}" is not a Node.js runtime: only nodejs<major>.x functions are bundled by esbuild`);
  return `node${major}`;
}

/** The bundle's file name: `index.mjs` for ES modules, else `index.js` (NodejsFunction's names). */
export function bundleFileName(bundling: BundlingOptions): string {
  return bundling.format === 'esm' ? 'index.mjs' : 'index.js';
}

/**
 * The esbuild options for one function, written to memory (`write: false`) as `<outdir>/index.js`
 * (and its map), with a metafile for the inputs a later change must rebuild it for.
 *
 * @throws Error when `target.runtime` is not a Node.js runtime, or an alias is malformed
 */
export function esbuildOptionsFor(bundling: BundlingOptions, target: BuildTarget, projectRoot: string, outdir: string): BuildOptions {
  const sourceMap = bundling.sourceMapMode ?? bundling.sourceMap;
  const mode = bundling.sourceMapMode ?? 'default';
  const aliases = esbuildAliases(bundling);
  return {
    absWorkingDir: projectRoot,
    entryPoints: [target.entry],
    bundle: true,
    target: bundling.target ?? runtimeTarget(target.runtime),
    platform: 'node',
    ...(bundling.format ? { format: bundling.format } : {}),
    outfile: path.join(outdir, bundleFileName(bundling)),
    minify: bundling.minify ?? false,
    ...(sourceMap ? { sourcemap: mode === 'default' ? true : mode } : {}),
    ...(bundling.sourcesContent === false ? { sourcesContent: false } : {}),
    external: [...(bundling.externalModules ?? ['@aws-sdk/*'])],
    ...(bundling.loader ? { loader: bundling.loader as BuildOptions['loader'] } : {}),
    ...(bundling.define ? { define: bundling.define } : {}),
    ...(bundling.keepNames ? { keepNames: true } : {}),
    ...(bundling.tsconfig ? { tsconfig: path.resolve(projectRoot, bundling.tsconfig) } : {}),
    ...(bundling.banner ? { banner: { js: bundling.banner } } : {}),
    ...(bundling.footer ? { footer: { js: bundling.footer } } : {}),
    ...(bundling.mainFields ? { mainFields: [...bundling.mainFields] } : {}),
    ...(bundling.inject ? { inject: [...bundling.inject] } : {}),
    ...(Object.keys(aliases).length > 0 ? { alias: aliases } : {}),
    write: false,
    metafile: true,
    logLevel: 'silent',
  };
}

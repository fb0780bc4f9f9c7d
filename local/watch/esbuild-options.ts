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
 * Bundling options that run something besides esbuild (commands, an install, Docker) or pass raw
 * flags: a rebuild here could not reproduce them, so functions bundled with them are not hot-reloaded.
 */
const NOT_MIRRORED: ReadonlyArray<keyof BundlingOptions> = ['commandHooks', 'preCompilation', 'nodeModules', 'esbuildArgs', 'dockerImage'];

/** The options of `bundling` a hot reload cannot reproduce (empty: every bundle can be rebuilt here). */
export function unmirroredBundlingOptions(bundling: BundlingOptions): string[] {
  const set = NOT_MIRRORED.filter((key) => bundling[key] !== undefined);
  return bundling.forceDockerBundling ? [...set, 'forceDockerBundling'] : set;
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
 * @throws Error when `target.runtime` is not a Node.js runtime
 */
export function esbuildOptionsFor(bundling: BundlingOptions, target: BuildTarget, projectRoot: string, outdir: string): BuildOptions {
  const sourceMap = bundling.sourceMapMode ?? bundling.sourceMap;
  const mode = bundling.sourceMapMode ?? 'default';
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
    write: false,
    metafile: true,
    logLevel: 'silent',
  };
}

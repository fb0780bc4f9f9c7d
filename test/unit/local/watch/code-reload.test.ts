import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUNDLING } from '../../../../lib/sluice-function';
import { storeBundle } from '../../../../local/bundles/bundle-cache';
import type { LocalFunction } from '../../../../local/model';
import { CodeReloader } from '../../../../local/watch/code-reload';
import { FunctionBuild } from '../../../../local/watch/function-build';
import { esbuildOptionsFor } from '../../../../local/watch/esbuild-options';
import { localFunction } from '../../../support/factories/local-app';

/**
 * The code half of hot reload on a two-function project in a temporary folder, with real esbuild
 * and sluice's bundling options: only a function whose bundle changed is swapped.
 */
let root: string;
let swapped: LocalFunction[];
let reloader: CodeReloader;
const write = (file: string, text: string) => {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
};
const entryOf = (fn: Pick<LocalFunction, 'displayName'>) => path.join(root, 'lambdas', fn.displayName, 'handler.ts');

/** A function running the bundle of its entry as it is now (what the synth would have written). */
async function deployed(name: string): Promise<LocalFunction> {
  const fn = localFunction(name);
  // Built for .sluice/bundles/current, as the reloader builds: the map's sources are relative to that depth.
  const options = esbuildOptionsFor(BUNDLING, { entry: entryOf(fn), runtime: 'nodejs24.x' }, root, path.join(root, '.sluice', 'bundles', 'current'));
  const build = new FunctionBuild(fn.functionName, entryOf(fn), { ...options, absWorkingDir: root, outfile: options.outfile! }, undefined);
  const outcome = await build.build();
  await build.dispose();
  if (!outcome.ok) throw new Error(outcome.message);
  return { ...fn, assetDir: storeBundle(root, `${name}-${outcome.hash}`, outcome.files) };
}

beforeEach(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'sluice-code-reload-'));
  write('lambdas/shared/greeting.ts', "export const greeting = 'hello';\n");
  write('lambdas/a/handler.ts', "import { greeting } from '../shared/greeting';\nexport const handler = async () => greeting;\n");
  write('lambdas/b/handler.ts', "export const handler = async () => 'b';\n");
  swapped = [];
  const functions = [await deployed('a'), await deployed('b')];
  reloader = new CodeReloader(functions, {
    projectRoot: root,
    bundling: BUNDLING,
    entryOf,
    replaceFunction: async (next) => void swapped.push(next),
    log: () => undefined,
  });
});

afterEach(async () => {
  await reloader.dispose();
  rmSync(root, { recursive: true, force: true });
});

describe('CodeReloader', () => {
  it('swaps only the function whose bundle a shared change alters, to a bundle with the new code', async () => {
    write('lambdas/shared/greeting.ts', "export const greeting = 'hello again';\n");

    const result = await reloader.reload([path.join(root, 'lambdas/shared/greeting.ts')]);

    expect(result).toMatchObject({ reloaded: ['a'], failed: [] });
    expect(swapped.map((f) => f.displayName)).toEqual(['a']);
    expect(readFileSync(path.join(swapped[0].assetDir, 'index.js'), 'utf8')).toContain('hello again');
    expect(reloader.functionNames.sort()).toEqual(['a', 'b']);
  });

  it('swaps nothing when the bundle is the same (a comment: minified away)', async () => {
    write('lambdas/b/handler.ts', "// a comment\nexport const handler = async () => 'b';\n");

    expect(await reloader.reload([path.join(root, 'lambdas/b/handler.ts')])).toMatchObject({ reloaded: [], failed: [] });
    expect(swapped).toEqual([]);
  });

  it('keeps the old code when the change does not build, and rebuilds on the next save', async () => {
    write('lambdas/b/handler.ts', 'export const handler = async () => (;\n');
    expect(await reloader.reload([path.join(root, 'lambdas/b/handler.ts')])).toMatchObject({ reloaded: [], failed: ['b'] });
    expect(swapped).toEqual([]);

    write('lambdas/b/handler.ts', "export const handler = async () => 'b2';\n");
    expect(await reloader.reload([path.join(root, 'lambdas/b/handler.ts')])).toMatchObject({ reloaded: ['b'], failed: [] });
  });

  it('leaves a function whose entry it cannot find unwatched, and says so', () => {
    const other = new CodeReloader([localFunction('c')], {
      projectRoot: root,
      bundling: BUNDLING,
      entryOf: () => undefined,
      replaceFunction: async () => undefined,
      log: () => undefined,
    });
    expect(other.unwatched).toEqual(['c (no source entry found for it)']);
  });
});

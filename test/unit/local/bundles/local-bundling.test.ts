/**
 * The local synth bundles the functions itself (local/bundles/local-bundling.ts): each function of
 * the template must run the bundle built for its own name, a function with no bundle of its own must
 * be left to the app's bundling, and an assembly's stamp decides which folder a function runs.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ASSEMBLY_BUNDLES_DIR, bundleKey, handlerEntries, mapBundles, withLocalBundles, type StartedBuilds } from '../../../../local/bundles/local-bundling';
import { functionBundles, INPUTS_STAMP_FILE } from '../../../../local/synth';
import { localFunction } from '../../../support/factories/local-function';

const assembly = '/project/.sluice/cdk.out/abc';
const built = (...names: string[]): StartedBuilds => new Map(names.map((name) => [name, Promise.resolve(undefined)]));
const noRebuild = () => Promise.reject(new Error('not expected'));

describe('handlerEntries', () => {
  it('finds lambdas/<name>/handler.ts and nothing else', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'sluice-entries-'));
    for (const [dir, file] of [
      ['projector', 'handler.ts'],
      ['shared', 'index.ts'],
    ]) {
      mkdirSync(path.join(root, 'lambdas', dir), { recursive: true });
      writeFileSync(path.join(root, 'lambdas', dir, file), '');
    }
    expect([...handlerEntries(root)]).toEqual([['projector', path.join(root, 'lambdas', 'projector', 'handler.ts')]]);
  });
});

describe('mapBundles', () => {
  it('maps each function to the bundle built for its display name', async () => {
    const projector = localFunction('projector', '/project', { logicalId: 'ProjectorFunction1', stackName: 'stateless', runtime: 'nodejs24.x' });
    const { bundles, unmapped } = await mapBundles({ functions: [projector] }, built('projector', 'query'), noRebuild, assembly);
    expect(bundles).toEqual({ 'stateless/ProjectorFunction1': path.join(ASSEMBLY_BUNDLES_DIR, 'projector') });
    expect(unmapped).toEqual([]);
  });

  it('leaves out a function with no entry of its own and one whose build failed, saying why', async () => {
    const builds: StartedBuilds = new Map([['query', Promise.resolve(new Error('Expected ";" but found "}"\nmore'))]]);
    const { bundles, unmapped } = await mapBundles({ functions: [localFunction('custom', '/p'), localFunction('query', '/p')] }, builds, noRebuild, assembly);
    expect(bundles).toEqual({});
    expect(unmapped).toEqual(['custom (no lambdas/<name>/handler.ts)', 'query (Expected ";" but found "}")']);
  });

  it('bundles a function on another runtime again for its own', async () => {
    const rebuilt: string[] = [];
    const fn = localFunction('query', '/p', { runtime: 'nodejs22.x' });
    const { bundles } = await mapBundles(
      { functions: [fn] },
      built('query'),
      async (name, runtime, outdir) => void rebuilt.push(`${name} ${runtime} ${outdir}`),
      assembly,
    );
    expect(rebuilt).toEqual([`query nodejs22.x ${path.join(assembly, ASSEMBLY_BUNDLES_DIR, 'query-nodejs22.x')}`]);
    expect(bundles[bundleKey(fn)]).toBe(path.join(ASSEMBLY_BUNDLES_DIR, 'query-nodejs22.x'));
  });
});

describe('withLocalBundles', () => {
  it('moves a mapped function to its bundle in the assembly and leaves the others', () => {
    const mapped = localFunction('projector', '/project');
    const other = localFunction('other', '/elsewhere');
    const app = withLocalBundles({ functions: [mapped, other] }, assembly, { [bundleKey(mapped)]: 'sluice-bundles/projector' });
    expect(app.functions.map((fn) => fn.assetDir)).toEqual([path.join(assembly, 'sluice-bundles', 'projector'), '/elsewhere']);
  });
});

describe('functionBundles', () => {
  it('reads the map from the assembly stamp, and none from a stamp without one', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sluice-stamp-'));
    writeFileSync(path.join(dir, INPUTS_STAMP_FILE), JSON.stringify({ hash: 'h', bundles: { 'a/B': 'sluice-bundles/b', bad: 1 } }));
    expect(functionBundles(dir)).toEqual({ 'a/B': 'sluice-bundles/b' });
    writeFileSync(path.join(dir, INPUTS_STAMP_FILE), JSON.stringify({ hash: 'h' }));
    expect(functionBundles(dir)).toEqual({});
  });
});

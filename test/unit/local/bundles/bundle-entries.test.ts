/**
 * The local synth bundles every function in one esbuild build (`startBundles` →
 * `bundleEntries`): each bundle must be the bytes a build of that function alone writes (what
 * `cdk synth` and hot reload produce), and one function that does not compile must not take the
 * others' bundles with it.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { ASSEMBLY_BUNDLES_DIR, bundleEntry, EXPECTED_RUNTIME, handlerEntries, startBundles } from '../../../../local/bundles/local-bundling';

const BUNDLING: BundlingOptions = { minify: true, sourceMap: true, format: undefined };

function project(handlers: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'sluice-bundle-entries-'));
  mkdirSync(path.join(root, 'lambdas', 'shared'), { recursive: true });
  writeFileSync(path.join(root, 'lambdas', 'shared', 'greet.ts'), 'export const greet = (name: string): string => `hello ${name}`;\n');
  for (const [name, source] of Object.entries(handlers)) {
    mkdirSync(path.join(root, 'lambdas', name), { recursive: true });
    writeFileSync(path.join(root, 'lambdas', name, 'handler.ts'), source);
  }
  return root;
}

const handler = (name: string) => `import { greet } from '../shared/greet';\nexport const handler = async () => greet('${name}');\n`;

describe('startBundles', () => {
  it('writes each function the bytes of a build of that function alone', async () => {
    const root = project({ alpha: handler('alpha'), beta: handler('beta') });
    const together = path.join(root, 'together');
    const builds = startBundles(root, Promise.resolve(BUNDLING), together);

    expect(await Promise.all(builds.values())).toEqual([undefined, undefined]);
    for (const [name, entry] of handlerEntries(root)) {
      const alone = path.join(root, 'alone', ASSEMBLY_BUNDLES_DIR, name);
      await bundleEntry(root, BUNDLING, entry, EXPECTED_RUNTIME, alone);
      const written = path.join(together, ASSEMBLY_BUNDLES_DIR, name);
      expect(readdirSync(written).sort()).toEqual(['index.js', 'index.js.map']);
      for (const file of ['index.js', 'index.js.map']) expect(readFileSync(path.join(written, file), 'utf8')).toBe(readFileSync(path.join(alone, file), 'utf8'));
    }
  });

  it('still bundles the others when one function does not compile, and names its error', async () => {
    const root = project({ alpha: handler('alpha'), broken: 'export const handler = async () => {\n', gamma: handler('gamma') });
    const builds = startBundles(root, Promise.resolve(BUNDLING), path.join(root, 'out'));

    const outcomes = Object.fromEntries(await Promise.all([...builds].map(async ([name, build]) => [name, (await build)?.message ?? 'built'])));

    expect(outcomes.alpha).toBe('built');
    expect(outcomes.gamma).toBe('built');
    expect(outcomes.broken).toMatch(/Unexpected end of file|Expected/);
    expect(readdirSync(path.join(root, 'out', ASSEMBLY_BUNDLES_DIR)).sort()).toEqual(['alpha', 'gamma']);
  });
});

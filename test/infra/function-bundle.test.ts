/**
 * Every function bundle is self-contained: it loads from a folder with no `node_modules` anywhere
 * above it. The bundles leave out a few SDK modules (LAZY_SDK_MODULES) on the promise that the SDK
 * reaches them only through a dynamic `import()` that a sluice function never runs; a module left
 * out that is imported statically would fail here, as it would on Lambda the first time the runtime's
 * SDK lacked it or had another version.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { LAMBDAS_DIR, SluiceFunction } from '../../lib/sluice-function';

const FUNCTIONS = fs
  .readdirSync(LAMBDAS_DIR)
  .filter((name) => fs.existsSync(path.join(LAMBDAS_DIR, name, 'handler.ts')))
  .sort();

/** Synthesizes one stack holding every function, bundled as `cdk synth` bundles them. */
function bundleAll(): Map<string, string> {
  // Asset metadata (aws:asset:path) is on by default only under the CDK CLI.
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-bundle-')), context: { 'aws:cdk:enable-asset-metadata': true } });
  const stack = new Stack(app, 'Bundles');
  const byName = new Map<string, string>();
  const fns = FUNCTIONS.map((name) => ({ name, fn: new SluiceFunction(stack, name, { name, description: name, stage: 'dev', logRetentionDays: 7 }) }));
  const assembly = app.synth();
  const template = assembly.getStackByName('Bundles').template as { Resources: Record<string, { Type: string; Metadata?: Record<string, string> }> };
  for (const { name, fn } of fns) {
    const logicalId = stack.getLogicalId(fn.function.node.defaultChild as never);
    const assetPath = template.Resources[logicalId].Metadata?.['aws:asset:path'];
    if (!assetPath) throw new Error(`function ${name} (${logicalId}) has no aws:asset:path in its metadata`);
    byName.set(name, path.join(assembly.directory, assetPath));
  }
  return byName;
}

describe('function bundles', () => {
  let bundles: Map<string, string>;
  beforeAll(() => {
    bundles = bundleAll();
  }, 180_000);

  it('bundle every function under lambdas/', () => {
    expect([...bundles.keys()]).toEqual(FUNCTIONS);
    expect(FUNCTIONS.length).toBeGreaterThan(0);
  });

  it.each(FUNCTIONS)('%s loads with no node_modules anywhere above it and exports a handler', (name) => {
    const isolated = fs.mkdtempSync(path.join(os.tmpdir(), `sluice-isolated-${name}-`));
    fs.copyFileSync(path.join(bundles.get(name)!, 'index.js'), path.join(isolated, 'index.js'));
    const probe = 'process.stdout.write(typeof require(process.argv[1]).handler)';
    const out = execFileSync(process.execPath, ['-e', probe, path.join(isolated, 'index.js')], {
      cwd: isolated,
      env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', NODE_PATH: '' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out).toBe('function');
  });
});

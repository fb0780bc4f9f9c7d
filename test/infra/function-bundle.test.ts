/**
 * Every function bundle is self-contained: it loads from a folder with no `node_modules` anywhere
 * above it. The bundles leave out a few SDK modules (LAZY_SDK_MODULES) on the promise that the SDK
 * reaches them only through a dynamic `import()` that a sluice function never runs; a module left
 * out that is imported statically would fail here, as it would on Lambda the first time the runtime's
 * SDK lacked it or had another version.
 *
 * Each asset also holds the X-Ray Tracer as a second file (TRACER_FILE): a function loads it only
 * when tracing is on, as on Lambda with active tracing, and never at module init. SDK modules no
 * function runs are bundled as our small stand-ins (BUNDLE_ALIASES), not as themselves.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { GOALS } from '../../bench/lib/goals';
import { BUNDLE_ALIASES, LAMBDAS_DIR, SluiceFunction, TRACER_FILE } from '../../lib/sluice-function';

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

  /** A copy of the function's asset files (index.js and the tracer file) in a folder with no node_modules above it. */
  function isolatedCopy(name: string): string {
    const isolated = fs.mkdtempSync(path.join(os.tmpdir(), `sluice-isolated-${name}-`));
    for (const file of ['index.js', TRACER_FILE.fileName]) fs.copyFileSync(path.join(bundles.get(name)!, file), path.join(isolated, file));
    return isolated;
  }

  function runProbe(isolated: string, probe: string, env: NodeJS.ProcessEnv = {}): string {
    return execFileSync(process.execPath, ['-e', probe, path.join(isolated, 'index.js')], {
      cwd: isolated,
      env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', NODE_PATH: '', ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  /** Requires the bundle, then says whether the tracer file is loaded and, after one invocation starts, again. */
  const TRACER_PROBE = `
    const path = require('node:path');
    const loaded = () => Object.keys(require.cache).includes(path.join(path.dirname(process.argv[1]), ${JSON.stringify(TRACER_FILE.fileName)}));
    const { handler } = require(process.argv[1]);
    const atInit = loaded();
    // withObservability asks for the Tracer before the handler's first await: no call leaves the process.
    handler({ httpMethod: 'GET', path: '/not-a-route', headers: {}, pathParameters: null, queryStringParameters: null }, { functionName: 'probe', awsRequestId: 'r1' }).catch(() => undefined);
    process.stdout.write(JSON.stringify({ atInit, afterInvoke: loaded() }));
    process.exit(0);
  `;

  it.each(FUNCTIONS)('%s loads with no node_modules anywhere above it and exports a handler', (name) => {
    const out = runProbe(isolatedCopy(name), 'process.stdout.write(typeof require(process.argv[1]).handler)');
    expect(out).toBe('function');
  });

  /** A message each replaced module throws, so its code in a bundle shows by this text. */
  const REPLACED_MODULE_TEXT: Readonly<Record<keyof typeof BUNDLE_ALIASES, string>> = {
    '@aws-lambda-powertools/jmespath': 'Bad jmespath expression',
    '@aws-lambda-powertools/jmespath/functions': 'Invalid arity for JMESPath function',
    '@aws-sdk/middleware-endpoint-discovery': 'endpoint_discovery_enabled',
    '@smithy/core/checksum': 'Cannot hash more than 2^53 - 1 bits',
    '@smithy/core/event-streams': 'Unrecognized header type tag',
    // The HTTP/2 handler's; the stand-in keeps the package's HTTP/1.1 handler.
    '@smithy/node-http-handler': 'http2 request did not get a response',
    'mnemonist/lru-cache': 'mnemonist/lru-cache: capacity should be positive number',
  };

  it.each(FUNCTIONS)('%s bundles the stand-ins of BUNDLE_ALIASES, not the modules they replace', (name) => {
    const index = fs.readFileSync(path.join(bundles.get(name)!, 'index.js'), 'utf8');
    expect(Object.keys(REPLACED_MODULE_TEXT).sort()).toEqual(Object.keys(BUNDLE_ALIASES).sort());
    for (const text of Object.values(REPLACED_MODULE_TEXT)) expect(index).not.toContain(text);
    expect(index).toContain('AWS SDK event streams (e.g. Kinesis SubscribeToShard) are not bundled');
  });

  // What a cold start compiles: issue 14's bundle goal, in KiB as the bench reports it (bench/measure/cold-start.ts).
  it.each(FUNCTIONS)(`%s index.js is at most ${GOALS.bundle.target.limit} KB`, (name) => {
    const kib = fs.statSync(path.join(bundles.get(name)!, 'index.js')).size / 1024;
    expect(kib).toBeLessThanOrEqual(GOALS.bundle.target.limit);
  });

  it.each(FUNCTIONS)('%s leaves the X-Ray Tracer out of index.js and loads it from its asset only when tracing is on', (name) => {
    const index = fs.readFileSync(path.join(bundles.get(name)!, 'index.js'), 'utf8');
    expect(index).not.toContain('aws-xray-sdk');
    const isolated = isolatedCopy(name);
    const tableEnv = { BALANCES_TABLE_NAME: 'b', TRANSACTIONS_TABLE_NAME: 't', AWS_LAMBDA_FUNCTION_NAME: `sluice-${name}` };
    expect(JSON.parse(runProbe(isolated, TRACER_PROBE, tableEnv))).toEqual({ atInit: false, afterInvoke: false });
    // Lambda sets AWS_XRAY_DAEMON_ADDRESS when the function has active tracing.
    const traced = JSON.parse(
      runProbe(isolated, TRACER_PROBE, {
        ...tableEnv,
        AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
        _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
      }),
    );
    expect(traced).toEqual({ atInit: false, afterInvoke: true });
  });

  it('the tracer file is a working Powertools Tracer on its own', () => {
    const isolated = isolatedCopy(FUNCTIONS[0]);
    const probe = `const { createTracer } = require(require('node:path').join(require('node:path').dirname(process.argv[1]), ${JSON.stringify(TRACER_FILE.fileName)}));
      const tracer = createTracer('sluice-probe');
      process.stdout.write([typeof tracer.captureAWSv3Client, typeof tracer.annotateColdStart].join(' '));`;
    expect(runProbe(isolated, probe)).toBe('function function');
  });
});

import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { startAwsEndpoint, defaultAwsPort, type AwsEndpoint } from './endpoint';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startEmulators, type Emulators } from './emulators';
import { readQueueContents, restoreQueueContents, writeSnapshot } from './emulators/sqs-snapshot';
import { FileCheckpointStore, localClientConfig } from './mappings';
import type { LocalApp } from './model';
import type { RuntimeOptions } from './runtime';
import { provision } from './provision';
import { localCursorKey, withCursorKey } from './cursor-key';
import { findMissingHandlers, isAssemblyCurrent, missingHandlersMessage, newestOwnedAssembly, ownedAssemblyDir, synthAssembly, synthInputsHash, type SynthApp } from './synth';
import { assertPortsFree, explainListenError, type ListenPort } from './startup-checks';
import { loadLocalApp } from './template';
import { LOCAL_OUTPUTS_FILE, writeLocalOutputs } from '../cli/outputs';

export type { LocalApp } from './model';
export { startEmulators } from './emulators';
export { startAwsEndpoint } from './endpoint';
export { loadLocalApp, buildLocalApp } from './template';
export { provision } from './provision';

/** The local API key unless `SLUICE_API_KEY` is set. */
export const DEFAULT_API_KEY = 'local-dev-key';

export type { RuntimeOptions } from './runtime';

export interface RuntimeHandle {
  readonly apiUrl: string;
  /** The Lambda runner, when the runtime has one: the endpoint then serves the Lambda API with it. */
  readonly runner?: import('./runtime/lambda-runner').LambdaRunner;
  /** The stream mappings' progress, when the runtime has mappings: the endpoint then serves `GET /_sluice/settled`. */
  streamStatus?(): readonly import('./mappings').StreamMappingStatus[];
  stop(): Promise<void>;
}

/** The Lambda runner + mapping pollers + API emulator (`local/runtime`). */
export type StartRuntime = (app: LocalApp, options: RuntimeOptions) => Promise<RuntimeHandle>;

export interface LocalCloudOptions {
  /** Project root (holds cdk.json); default: the folder above `local/`. */
  readonly projectRoot?: string;
  /**
   * Default `<projectRoot>/.sluice/cdk.out/<inputs hash>`: the local cloud's own assembly, which the
   * CDK CLI (`cdk ls`, `cdk diff`, `cdk synth` into ./cdk.out) never touches.
   */
  readonly cloudAssemblyDir?: string;
  /**
   * `auto` (default) synthesizes when the assembly was not made from the current inputs (a hash of
   * the sources, cdk.json, context and lockfile) or a function's asset lacks its handler;
   * `never` uses the assembly for the current inputs, else the newest one in .sluice/cdk.out.
   */
  readonly synth?: 'auto' | 'always' | 'never';
  /**
   * The CDK app command to synthesize instead of cdk.json's `app`, with the files it is built
   * from (relative to `projectRoot`) for the staleness check, e.g. the conformance probe app.
   */
  readonly synthApp?: SynthApp;
  /** CDK context for the synth, e.g. `{ stage: 'dev' }`. */
  readonly context?: Readonly<Record<string, string>>;
  /** Default `SLUICE_AWS_PORT` or 4566; 0 = any free port (tests). */
  readonly awsPort?: number;
  /** Default `SLUICE_API_PORT` or 3000. */
  readonly apiPort?: number;
  /** Default `SLUICE_API_KEY` or `local-dev-key`. */
  readonly apiKey?: string;
  /**
   * Keep data between runs under `dataDir`: Kinesis and DynamoDB (the emulators' own files), the
   * stream mappings' checkpoints (`checkpoints.json`) and, on a clean stop, SQS messages (`sqs.json`).
   */
  readonly persist?: boolean;
  /** Where `persist` keeps its data. @default `<projectRoot>/.sluice/data` */
  readonly dataDir?: string;
  /** Where to write the `cdk deploy --outputs-file` style outputs; default `<projectRoot>/.sluice/outputs.local.json`; false = don't. */
  readonly outputsFile?: string | false;
  /** Default: `startRuntime` from `./runtime`. Tests may pass another (or a no-op) runtime. */
  readonly startRuntime?: StartRuntime;
  readonly log?: (source: string, line: string) => void;
}

export interface LocalCloud {
  readonly app: LocalApp;
  /** `{ "<stackName>": { "<OutputName>": value } }`, as `cdk deploy --outputs-file` writes it. */
  readonly outputs: LocalApp['outputs'];
  /** `http://localhost:<awsPort>`: give it to SDK clients or set `AWS_ENDPOINT_URL`. */
  readonly awsEndpoint: string;
  readonly apiUrl: string;
  readonly apiKey: string;
  /** Milliseconds spent in each phase, and in total. */
  readonly timings: Readonly<Record<'synth' | 'emulators' | 'provision' | 'runtime' | 'total', number>>;
  readonly synthesized: boolean;
  /** The cloud assembly the local cloud runs. */
  readonly cloudAssemblyDir: string;
  /** Where the outputs were written (`''` when `outputsFile: false`). */
  readonly outputsFile: string;
  readonly pids: { readonly dynamodb?: number; readonly sqs?: number };
  /** The fault rules of the endpoint (also at `POST /_sluice/chaos/faults`). */
  readonly chaos: AwsEndpoint['chaos'];
  /** With `persist`: messages put back per queue from the last clean stop. */
  readonly restoredMessages: Readonly<Record<string, number>>;
  stop(): Promise<void>;
}

/** Serves `GET /_sluice/settled` on the endpoint from the runtime's runner and mappings; returns its stop. */
async function attachSettled(endpoint: AwsEndpoint, app: LocalApp, targets: Emulators['urls'], runner: NonNullable<RuntimeHandle['runner']>, runtime: RuntimeHandle): Promise<() => Promise<void>> {
  const { SettledProbe, answerSettled } = await import('./settled');
  const probe = new SettledProbe({ app, targets, runner, streamStatus: () => runtime.streamStatus?.() ?? [] });
  endpoint.attachSettled(({ method, url, signal }) => answerSettled(probe, method, url, signal));
  return async () => {
    endpoint.attachSettled(undefined);
    probe.close();
  };
}

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be a port number 0-65535 (got "${raw}")`);
  return port;
}

/**
 * Starts the whole local cloud: synth if stale (in parallel with the emulators), the emulators,
 * the AWS endpoint, the resources of the template, then the runtime (functions, mappings, API).
 *
 * @example
 * const cloud = await startLocalCloud({ awsPort: 0, apiPort: 0 });
 * // ... cloud.outputs['sluice-dev-stateful'].EventsStreamName
 * await cloud.stop();
 * @throws when a phase fails; everything already started is stopped first
 */
export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  const t0 = performance.now();
  const since = (t: number) => Math.round(performance.now() - t);
  const projectRoot = options.projectRoot ?? path.resolve(__dirname, '..');
  const context = options.context ?? {};
  const inputsHash = synthInputsHash(projectRoot, context, options.synthApp);
  let cloudAssemblyDir = options.cloudAssemblyDir ?? ownedAssemblyDir(projectRoot, inputsHash);
  if (options.synth === 'never' && !options.cloudAssemblyDir && !isAssemblyCurrent(cloudAssemblyDir, inputsHash)) {
    cloudAssemblyDir = newestOwnedAssembly(projectRoot) ?? cloudAssemblyDir;
  }
  const apiPort = options.apiPort ?? portFromEnv('SLUICE_API_PORT', 3000);
  const awsPort = options.awsPort ?? defaultAwsPort();
  const ports: ListenPort[] = [
    { port: awsPort, envVar: 'SLUICE_AWS_PORT', role: 'AWS endpoint' },
    { port: apiPort, envVar: 'SLUICE_API_PORT', role: 'API' },
  ];
  const apiKey = options.apiKey ?? (process.env.SLUICE_API_KEY || DEFAULT_API_KEY);
  const log = options.log ?? (() => undefined);
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };

  try {
    await assertPortsFree(ports);
    let mustSynth = options.synth === 'always' || (options.synth !== 'never' && !isAssemblyCurrent(cloudAssemblyDir, inputsHash));
    const synthStarted = performance.now();
    const runSynth = (replace: boolean) => synthAssembly(projectRoot, cloudAssemblyDir, inputsHash, context, { replace, app: options.synthApp }).then(() => since(synthStarted));
    const synthDone = mustSynth ? runSynth(options.synth === 'always') : Promise.resolve(0);
    synthDone.catch(() => undefined);

    const dataDir = options.persist ? (options.dataDir ?? path.join(projectRoot, '.sluice', 'data')) : undefined;
    if (dataDir) ownerOnlyDir(dataDir);
    const emulatorsStarted = performance.now();
    const emulators: Emulators = await startEmulators({ dataDir });
    stops.push(() => emulators.stop());
    const endpoint: AwsEndpoint = await startAwsEndpoint({ targets: emulators.urls, port: awsPort });
    stops.push(() => endpoint.stop());
    const emulatorsMs = since(emulatorsStarted);

    let synthMs = await synthDone;
    let loaded = loadLocalApp(cloudAssemblyDir, { awsEndpoint: endpoint.url, apiPort });
    const missing = findMissingHandlers(loaded.functions);
    if (missing.length > 0 && !mustSynth && options.synth !== 'never') {
      log('local cloud', `${missing.length} function(s) have no bundled code in ${cloudAssemblyDir}: synthesizing again`);
      mustSynth = true;
      synthMs = await runSynth(true);
      loaded = loadLocalApp(cloudAssemblyDir, { awsEndpoint: endpoint.url, apiPort });
    }
    const stillMissing = findMissingHandlers(loaded.functions);
    if (stillMissing.length > 0) throw new Error(missingHandlersMessage(stillMissing, cloudAssemblyDir));
    const provisionStarted = performance.now();
    const { app } = await provision(withCursorKey(loaded, localCursorKey(dataDir)), endpoint.url);
    let restoredMessages: Record<string, number> = {};
    let checkpoints: FileCheckpointStore | undefined;
    if (dataDir) {
      const sqsFile = path.join(dataDir, 'sqs.json');
      const sqs = new SQSClient(localClientConfig(endpoint.url));
      try {
        restoredMessages = await restoreQueueContents(sqs, app.queues, sqsFile);
      } finally {
        sqs.destroy();
      }
      const restored = Object.values(restoredMessages).reduce((sum, n) => sum + n, 0);
      if (restored > 0) log('local cloud', `restored ${restored} SQS message(s) saved at the last stop`);
      // Runs after the runtime has stopped (stops run in reverse): nothing consumes the queues any more.
      stops.push(async () => {
        const snapshot = await readQueueContents(emulators.urls.sqs, app.queues.map((queue) => queue.queueName));
        writeSnapshot(sqsFile, snapshot);
      });
      checkpoints = new FileCheckpointStore(path.join(dataDir, 'checkpoints.json'));
      const store = checkpoints;
      stops.push(async () => store.flush());
    }
    const provisionMs = since(provisionStarted);

    const runtimeStarted = performance.now();
    const startRuntime = options.startRuntime ?? (await import('./runtime')).startRuntime;
    const runtime = await startRuntime(app, { awsEndpoint: endpoint.url, apiPort, apiKey, log, checkpoints, onSourceWrite: endpoint.onWrite });
    stops.push(() => runtime.stop());
    if (runtime.runner) {
      const { createLambdaApi } = await import('./runtime/lambda-api');
      endpoint.attachLambda(createLambdaApi(app, runtime.runner, log));
      stops.push(async () => endpoint.attachLambda(undefined));
      stops.push(await attachSettled(endpoint, app, emulators.urls, runtime.runner, runtime));
    }
    const runtimeMs = since(runtimeStarted);

    const outputsFile = options.outputsFile ?? path.join(projectRoot, LOCAL_OUTPUTS_FILE);
    if (outputsFile) writeLocalOutputs(outputsFile, app.outputs);

    let stopped: Promise<void> | undefined;
    return {
      app,
      outputs: app.outputs,
      awsEndpoint: endpoint.url,
      apiUrl: runtime.apiUrl,
      apiKey,
      timings: { synth: synthMs, emulators: emulatorsMs, provision: provisionMs, runtime: runtimeMs, total: since(t0) },
      synthesized: mustSynth,
      cloudAssemblyDir,
      outputsFile: outputsFile || '',
      pids: emulators.pids,
      chaos: endpoint.chaos,
      restoredMessages,
      stop: () => (stopped ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw explainListenError(error, ports);
  }
}

/**
 * Creates the local data directory (and `.sluice/` above it) readable by this user only: it holds
 * every event, balance and queued message of the local cloud. Emulators create their files inside.
 */
export function ownerOnlyDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const parent = path.dirname(dir);
  if (path.basename(parent) === '.sluice') chmodSync(parent, 0o700);
}

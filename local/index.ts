import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { startAwsEndpoint, defaultAwsPort, type AwsEndpoint } from './endpoint';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startEmulators, type Emulators, type StartEmulatorsOptions } from './emulators';
import { readQueueContents, restoreQueueContents, writeSnapshot } from './emulators/sqs-snapshot';
import { FileCheckpointStore, localClientConfig, type PollerReads } from './mappings';
import type { LocalApp } from './model';
import type { RuntimeOptions } from './runtime';
import { provision } from './provision';
import { localCursorKey, withCursorKey } from './cursor-key';
import { withLocalBundles } from './bundles/local-bundling';
import {
  findMissingHandlers,
  functionBundles,
  isAssemblyCurrent,
  missingHandlersMessage,
  newestOwnedAssembly,
  ownedAssemblyDir,
  synthAssembly,
  synthInputsHash,
  type SynthApp,
} from './synth';
import { assertPortsFree, explainListenError, type ListenPort } from './startup-checks';
import { loadLocalApp as loadTemplateApp, type LoadOptions } from './template';
import { SLUICE_LOAD_CONVENTIONS } from './app-conventions';
import { LOCAL_OUTPUTS_FILE, writeLocalOutputs } from '../cli/outputs';

export type { LocalApp } from './model';
export { startEmulators } from './emulators';
export { startAwsEndpoint } from './endpoint';
export { buildLocalApp } from './template';
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
  /** Starts mappings a hot reload added (see local/watch). */
  addMappings?(app: LocalApp, mappings: readonly import('./model').LocalMapping[]): Promise<void>;
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
  /** Served at the API's `GET /openapi.json`. @default sluice's own document (lib/openapi.ts) unless `synthApp` names another app */
  readonly openApiDocument?: unknown;
  readonly log?: (source: string, line: string) => void;
  /** Functions to run with a Node inspector (`npm start -- --inspect`, see local/runtime/inspect.ts). */
  readonly inspect?: readonly import('./runtime/inspect').InspectRequest[];
  /**
   * Hot reload (local/watch): a change under `lambdas/` swaps the code of the functions it
   * changes; under `lib/` or `bin/` the app is synthesized again and what changed is applied.
   * @default false (`npm start` turns it on unless `--no-watch`)
   */
  readonly watch?: boolean;
  /** DynamoDB Local already being started (see `StartEmulatorsOptions.dynamodb`); not with `persist`. */
  readonly dynamodb?: StartEmulatorsOptions['dynamodb'];
}

export interface LocalCloud {
  /** The app as it runs now (a `lib/` hot reload replaces it). */
  readonly app: LocalApp;
  /** `{ "<stackName>": { "<OutputName>": value } }`, as `cdk deploy --outputs-file` writes it (after a `lib/` hot reload, its new outputs). */
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
  readonly pids: { readonly dynamodb?: number; readonly sqs?: number; readonly kinesis?: number };
  /** The fault rules of the endpoint (also at `POST /_sluice/chaos/faults`). */
  readonly chaos: AwsEndpoint['chaos'];
  /** Where the stream pollers read (the emulators themselves, with the endpoint's fault rules): a measure of a poller's read reads there too. */
  readonly pollerReads: PollerReads;
  /** With `persist`: messages put back per queue from the last clean stop. */
  readonly restoredMessages: Readonly<Record<string, number>>;
  /** The inspected functions and their inspector ports (empty without `inspect`). */
  readonly inspect: readonly import('./runtime/inspect').InspectTarget[];
  /** With `watch`: the hot reload (what it watches; the next reload, for tests). */
  readonly hotReload?: import('./watch').HotReload;
  stop(): Promise<void>;
}

/** What the runtime (API, runner, mappings) runs with, from the start's settings and the running endpoint. */
function runtimeOptionsOf(
  settings: StartSettings,
  options: LocalCloudOptions,
  endpoint: AwsEndpoint,
  pollerReads: PollerReads,
  checkpoints: RuntimeOptions['checkpoints'],
): RuntimeOptions {
  return {
    awsEndpoint: endpoint.url,
    apiPort: settings.apiPort,
    apiKey: settings.apiKey,
    log: settings.log,
    checkpoints,
    onSourceWrite: endpoint.onWrite,
    pollerReads,
    openApiDocument: options.openApiDocument ?? (options.synthApp ? undefined : lazyOpenApiDocument()),
    inspect: options.inspect,
  };
}

/** Serves `GET /_sluice/settled` on the endpoint from the runtime's runner and mappings; returns its stop. */
async function attachSettled(
  endpoint: AwsEndpoint,
  live: LiveApp,
  targets: Emulators['urls'],
  runner: NonNullable<RuntimeHandle['runner']>,
  runtime: RuntimeHandle,
): Promise<() => Promise<void>> {
  const { SettledProbe, answerSettled } = await import('./settled');
  const probe = new SettledProbe({
    get app() {
      return live.app;
    },
    targets,
    runner,
    streamStatus: () => runtime.streamStatus?.() ?? [],
  });
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

/** The settings of one start, from the options and the environment. */
interface StartSettings {
  readonly projectRoot: string;
  readonly context: Readonly<Record<string, string>>;
  readonly inputsHash: string;
  readonly cloudAssemblyDir: string;
  readonly apiPort: number;
  readonly awsPort: number;
  readonly ports: readonly ListenPort[];
  readonly apiKey: string;
  readonly log: (source: string, line: string) => void;
  readonly dataDir: string | undefined;
}

function startSettings(options: LocalCloudOptions): StartSettings {
  const projectRoot = options.projectRoot ?? path.resolve(__dirname, '..');
  const context = options.context ?? {};
  const inputsHash = synthInputsHash(projectRoot, context, options.synthApp);
  let cloudAssemblyDir = options.cloudAssemblyDir ?? ownedAssemblyDir(projectRoot, inputsHash);
  if (options.synth === 'never' && !options.cloudAssemblyDir && !isAssemblyCurrent(cloudAssemblyDir, inputsHash)) {
    cloudAssemblyDir = newestOwnedAssembly(projectRoot) ?? cloudAssemblyDir;
  }
  const apiPort = options.apiPort ?? portFromEnv('SLUICE_API_PORT', 3000);
  const awsPort = options.awsPort ?? defaultAwsPort();
  return {
    projectRoot,
    context,
    inputsHash,
    cloudAssemblyDir,
    apiPort,
    awsPort,
    ports: [
      { port: awsPort, envVar: 'SLUICE_AWS_PORT', role: 'AWS endpoint' },
      { port: apiPort, envVar: 'SLUICE_API_PORT', role: 'API' },
    ],
    apiKey: options.apiKey ?? (process.env.SLUICE_API_KEY || DEFAULT_API_KEY),
    log: options.log ?? (() => undefined),
    dataDir: options.persist ? (options.dataDir ?? path.join(projectRoot, '.sluice', 'data')) : undefined,
  };
}

/**
 * The template loader with sluice's own conventions (local/app-conventions.ts), each function
 * running the bundle the local synth built for it (local/bundles/local-bundling.ts), if any.
 */
export function loadLocalApp(cloudAssemblyDir: string, options: LoadOptions): LocalApp {
  return withLocalBundles(loadTemplateApp(cloudAssemblyDir, { ...SLUICE_LOAD_CONVENTIONS, ...options }), cloudAssemblyDir, functionBundles(cloudAssemblyDir));
}

/** Runs the synth (when the assembly is stale) and reports how long it took; one more run replaces the assembly. */
class SynthRun {
  synthesized: boolean;
  readonly done: Promise<number>;

  constructor(
    private readonly settings: StartSettings,
    private readonly options: LocalCloudOptions,
  ) {
    this.synthesized = options.synth === 'always' || (options.synth !== 'never' && !isAssemblyCurrent(settings.cloudAssemblyDir, settings.inputsHash));
    this.done = this.synthesized ? this.run(options.synth === 'always') : Promise.resolve(0);
    this.done.catch(() => undefined);
  }

  run(replace: boolean): Promise<number> {
    const started = performance.now();
    const { projectRoot, cloudAssemblyDir, inputsHash, context } = this.settings;
    return synthAssembly(projectRoot, cloudAssemblyDir, inputsHash, context, { replace, app: this.options.synthApp }).then(() => since(started));
  }

  /**
   * Loads the assembly once the synth is done. A function whose asset lacks its handler means an
   * assembly made with bundling skipped: synthesize once more (unless told never to), then stop
   * naming each function if it is still so.
   */
  async load(awsEndpoint: string): Promise<{ app: LocalApp; synthMs: number }> {
    const { cloudAssemblyDir, apiPort, log } = this.settings;
    let synthMs = await this.done;
    let app = loadLocalApp(cloudAssemblyDir, { awsEndpoint, apiPort });
    const missing = findMissingHandlers(app.functions);
    if (missing.length > 0 && !this.synthesized && this.options.synth !== 'never') {
      log('local cloud', `${missing.length} function(s) have no bundled code in ${cloudAssemblyDir}: synthesizing again`);
      this.synthesized = true;
      synthMs = await this.run(true);
      app = loadLocalApp(cloudAssemblyDir, { awsEndpoint, apiPort });
    }
    const stillMissing = findMissingHandlers(app.functions);
    if (stillMissing.length > 0) throw new Error(missingHandlersMessage(stillMissing, cloudAssemblyDir));
    return { app, synthMs };
  }
}

/**
 * With `persist`: puts back the SQS messages saved at the last clean stop, saves them again on the
 * next stop (after the runtime has stopped), and keeps the mappings' checkpoints in the data dir.
 */
async function restorePersisted(dataDir: string, app: LocalApp, endpointUrl: string, emulators: Emulators, stops: Stops, log: StartSettings['log']) {
  const sqsFile = path.join(dataDir, 'sqs.json');
  const sqs = new SQSClient(localClientConfig(endpointUrl));
  let restoredMessages: Record<string, number>;
  try {
    restoredMessages = await restoreQueueContents(sqs, app.queues, sqsFile);
  } finally {
    sqs.destroy();
  }
  const restored = Object.values(restoredMessages).reduce((sum, n) => sum + n, 0);
  if (restored > 0) log('local cloud', `restored ${restored} SQS message(s) saved at the last stop`);
  // Runs after the runtime has stopped (stops run in reverse): nothing consumes the queues any more.
  stops.push(async () => {
    const snapshot = await readQueueContents(
      emulators.urls.sqs,
      app.queues.map((queue) => queue.queueName),
    );
    writeSnapshot(sqsFile, snapshot);
  });
  const checkpoints = new FileCheckpointStore(path.join(dataDir, 'checkpoints.json'));
  stops.push(async () => checkpoints.flush());
  return { restoredMessages, checkpoints };
}

/**
 * The app the local cloud runs now. A `lib/` hot reload replaces it; the Lambda API, the settled
 * signal and the console read it on each request, so they serve and wait on what the reload created.
 */
interface LiveApp {
  app: LocalApp;
}

/** Starts the runtime, then serves the Lambda API, the settled signal and the console from it on the endpoint. */
async function startRuntimeOn(
  endpoint: AwsEndpoint,
  emulators: Emulators,
  live: LiveApp,
  options: LocalCloudOptions,
  runtimeOptions: RuntimeOptions,
  stops: Stops,
): Promise<RuntimeHandle> {
  const startRuntime = options.startRuntime ?? (await import('./runtime')).startRuntime;
  const runtime = await startRuntime(live.app, runtimeOptions);
  stops.push(() => runtime.stop());
  if (runtime.runner) {
    const { createLambdaApi } = await import('./runtime/lambda-api');
    endpoint.attachLambda(createLambdaApi(() => live.app, runtime.runner, runtimeOptions.log));
    stops.push(async () => endpoint.attachLambda(undefined));
    stops.push(await attachSettled(endpoint, live, emulators.urls, runtime.runner, runtime));
    const runner = runtime.runner;
    const { attachConsole } = await import('./console/api');
    const streamStatus = () => runtime.streamStatus?.() ?? [];
    const consoleSources = {
      get app() {
        return live.app;
      },
      targets: emulators.urls,
      awsEndpoint: endpoint.url,
      runner,
      streamStatus,
      onWrite: endpoint.onWrite,
    };
    stops.push(await attachConsole(endpoint, consoleSources));
  }
  return runtime;
}

/** Writes the outputs in `cdk deploy --outputs-file`'s shape to the local cloud's own file; returns the file (`''` when told not to). */
function writeOutputs(options: LocalCloudOptions, projectRoot: string, app: LocalApp): string {
  const outputsFile = options.outputsFile ?? path.join(projectRoot, LOCAL_OUTPUTS_FILE);
  if (outputsFile) writeLocalOutputs(outputsFile, app.outputs);
  return outputsFile || '';
}

/** Starts hot reload (local/watch) on the running runtime; stopped before the runtime is. */
async function watchForChanges(
  settings: StartSettings,
  options: LocalCloudOptions,
  live: LiveApp,
  runtime: RuntimeHandle,
  at: { readonly awsEndpoint: string; readonly cursorKey: string; readonly outputsFile: string },
  stops: Stops,
): Promise<import('./watch').HotReload | undefined> {
  const { runner, addMappings } = runtime;
  if (!runner || !addMappings) return undefined;
  const { startHotReload } = await import('./watch');
  const { sluiceHotReloadConventions } = await import('./app-conventions');
  const hotReload = startHotReload({
    projectRoot: settings.projectRoot,
    context: settings.context,
    synthApp: options.synthApp,
    awsEndpoint: at.awsEndpoint,
    app: live.app,
    onApp: (next) => {
      live.app = next;
    },
    runner,
    addMappings: (next, mappings) => addMappings.call(runtime, next, mappings),
    load: (dir) => withCursorKey(loadLocalApp(dir, { awsEndpoint: at.awsEndpoint, apiPort: settings.apiPort }), at.cursorKey),
    conventions: () => sluiceHotReloadConventions(settings.projectRoot),
    writeOutputs: at.outputsFile ? (outputs) => writeLocalOutputs(at.outputsFile, outputs) : undefined,
    log: settings.log,
  });
  stops.push(() => hotReload.stop());
  return hotReload;
}

const since = (t: number) => Math.round(performance.now() - t);

/**
 * Loads the modules the runtime phase imports (runtime, Lambda API, settled signal, console, hot
 * reload) ahead of time: compiling them is about a second of CPU, which otherwise came after the
 * emulators were up; while they boot (DynamoDB Local's JVM takes seconds) this process is idle.
 * Only warms the module cache: the phase imports them as before, and a failure shows up there.
 */
function preloadRuntimeModules(options: LocalCloudOptions): void {
  const modules: Array<Promise<unknown>> = [import('./runtime/lambda-api'), import('./settled'), import('./console/api')];
  if (!options.startRuntime) modules.push(import('./runtime'));
  if (options.watch) modules.push(import('./watch'));
  void Promise.allSettled(modules);
}

/** What to stop, in the order things started (stopped in reverse). */
type Stops = Array<() => Promise<void>>;

/**
 * The API's OpenAPI document, built on the first GET /openapi.json (local/api/server.ts): building
 * it cost most of a second of every start. The module is asked for now, not then: under jest's
 * global setup the TypeScript hook is gone by the first request.
 */
function lazyOpenApiDocument(): () => Promise<unknown> {
  const openApiModule = import('../lib/openapi');
  void openApiModule.catch(() => undefined); // awaited by the first request, which then answers with the error
  return async () => (await openApiModule).buildOpenApiDocument();
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
  const settings = startSettings(options);
  const { dataDir, apiKey, log } = settings;
  const stops: Stops = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };
  try {
    await assertPortsFree(settings.ports);
    const synth = new SynthRun(settings, options);
    if (dataDir) ownerOnlyDir(dataDir);
    const emulatorsStarted = performance.now();
    if (dataDir && options.dynamodb) throw new Error('a DynamoDB Local started beforehand keeps no data: leave out `dynamodb` with `persist`');
    const emulatorsStarting = startEmulators({
      dataDir,
      notice: log,
      classDataDir: path.join(settings.projectRoot, '.sluice', 'dynamodb-local'),
      dynamodb: options.dynamodb,
    });
    // The emulators' processes are forked by now: load the runtime's modules while they boot.
    preloadRuntimeModules(options);
    const emulators: Emulators = await emulatorsStarting;
    stops.push(() => emulators.stop());
    const endpoint: AwsEndpoint = await startAwsEndpoint({ targets: emulators.urls, port: settings.awsPort });
    stops.push(() => endpoint.stop());
    const emulatorsMs = since(emulatorsStarted);

    const { app: loaded, synthMs } = await synth.load(endpoint.url);
    const provisionStarted = performance.now();
    const cursorKey = localCursorKey(dataDir);
    const { app } = await provision(withCursorKey(loaded, cursorKey), endpoint.url);
    const persisted = dataDir ? await restorePersisted(dataDir, app, endpoint.url, emulators, stops, log) : undefined;
    const provisionMs = since(provisionStarted);

    const runtimeStarted = performance.now();
    const pollerReads: PollerReads = { kinesis: emulators.urls.kinesis, dynamodb: emulators.urls.dynamodb, faults: endpoint.chaos };
    const runtimeOptions = runtimeOptionsOf(settings, options, endpoint, pollerReads, persisted?.checkpoints);
    const live: LiveApp = { app };
    const runtime = await startRuntimeOn(endpoint, emulators, live, options, runtimeOptions, stops);
    const runtimeMs = since(runtimeStarted);
    const outputsFile = writeOutputs(options, settings.projectRoot, app);
    const hotReload = options.watch
      ? await watchForChanges(settings, options, live, runtime, { awsEndpoint: endpoint.url, cursorKey, outputsFile }, stops)
      : undefined;

    let stopped: Promise<void> | undefined;
    return {
      get app() {
        return live.app;
      },
      get outputs() {
        return live.app.outputs;
      },
      awsEndpoint: endpoint.url,
      apiUrl: runtime.apiUrl,
      apiKey,
      timings: { synth: synthMs, emulators: emulatorsMs, provision: provisionMs, runtime: runtimeMs, total: since(t0) },
      synthesized: synth.synthesized,
      cloudAssemblyDir: settings.cloudAssemblyDir,
      outputsFile,
      pids: emulators.pids,
      chaos: endpoint.chaos,
      pollerReads,
      restoredMessages: persisted?.restoredMessages ?? {},
      inspect: runtime.runner?.inspectTargets() ?? [],
      ...(hotReload ? { hotReload } : {}),
      stop: () => (stopped ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw explainListenError(error, settings.ports);
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

/**
 * The runtime half of the local cloud: the Lambda runner, every event source mapping and the
 * API Gateway emulator, for a LocalApp whose resources already exist at `awsEndpoint`.
 */
import { startApiServer, type RunningApi } from '../api/server';
import { startMappings, type CheckpointStore, type PollerReads, type SourceWriteSubscription, type StreamMappingStatus } from '../mappings';
import { inspectBasePort, resolveInspectTargets, type InspectRequest } from './inspect';
import type { LocalApp, LocalMapping } from '../model';
import { LambdaRunner } from './lambda-runner';

export { LambdaRunner, functionArn } from './lambda-runner';
export { createLambdaApi, isLambdaApiPath, parseFunctionName } from './lambda-api';
export type { LambdaApi, LambdaApiRequest, LambdaApiResponse } from './lambda-api';
export { isThrottled, UnsupportedRuntimeError } from './lambda-runner';
export type { FunctionError, InvokeOptions, InvokeOutcome, LambdaRunnerOptions, ThrottledOutcome } from './lambda-runner';
export type { InspectRequest, InspectTarget } from './inspect';

export interface RuntimeOptions {
  readonly awsEndpoint: string;
  readonly apiPort: number;
  readonly apiKey: string;
  readonly log: (source: string, line: string) => void;
  /** Stream checkpoints that survive restarts (`--persist`). */
  readonly checkpoints?: CheckpointStore;
  /** Writes seen by the AWS endpoint: they wake idle stream pollers at once. */
  readonly onSourceWrite?: SourceWriteSubscription;
  /** Where the stream pollers read (see `PollerReads`); through `awsEndpoint` when absent. */
  readonly pollerReads?: PollerReads;
  /** Served at the API's `GET /openapi.json` (see `ApiServerOptions.openApiDocument`). */
  readonly openApiDocument?: unknown;
  /** Functions to run with a Node inspector, as `--inspect` names them (resolved against the app here). */
  readonly inspect?: readonly InspectRequest[];
}

export interface RunningRuntime {
  /** The API's base URL (`http://localhost:<apiPort>`); empty when the app has no API. */
  readonly apiUrl: string;
  readonly runner: LambdaRunner;
  /** Each stream mapping's progress per shard (for `GET /_sluice/settled`). */
  streamStatus(): StreamMappingStatus[];
  /** Disables or enables the stream mappings of a function (as `UpdateEventSourceMapping` `Enabled`); answers how many there were. */
  setStreamMappingsEnabled(functionName: string, enabled: boolean): number;
  /** Stops the API, lets batches in flight finish (bounded), then ends every function process. */
  stop(): Promise<void>;
  /**
   * Hot reload: starts mappings a `lib/` change added (`app`: the new app, whose functions the
   * runner already runs). Running mappings and their checkpoints are not touched.
   */
  addMappings(app: LocalApp, mappings: readonly LocalMapping[]): Promise<void>;
}

/**
 * Starts the functions, the mappings and the API for the app.
 *
 * @throws Error when the API port is taken or a mapping cannot find its source; nothing is left running then.
 */
export async function startRuntime(app: LocalApp, options: RuntimeOptions): Promise<RunningRuntime> {
  const inspect = options.inspect?.length ? resolveInspectTargets(options.inspect, app.functions, inspectBasePort()) : undefined;
  const runner = new LambdaRunner(app.functions, { awsEndpoint: options.awsEndpoint, log: options.log, inspect });
  let api: RunningApi | undefined;
  let mappings: Awaited<ReturnType<typeof startMappings>> | undefined;
  const mappingsOptions = {
    awsEndpoint: options.awsEndpoint,
    runner,
    log: options.log,
    checkpoints: options.checkpoints,
    onSourceWrite: options.onSourceWrite,
    pollerReads: options.pollerReads,
  };
  try {
    if (app.api) {
      api = await startApiServer(app.api, {
        port: options.apiPort,
        apiKey: options.apiKey,
        invoke: (functionName, event) => runner.invoke(functionName, event),
        log: options.log,
        openApiDocument: options.openApiDocument,
      });
    }
    mappings = await startMappings(app, mappingsOptions);
  } catch (error) {
    await api?.close();
    await runner.stop();
    throw error;
  }
  const started = { api, mappings: [mappings] };
  return {
    apiUrl: api?.url ?? '',
    runner,
    streamStatus: () => started.mappings.flatMap((running) => running.streamStatus()),
    setStreamMappingsEnabled: (functionName, enabled) =>
      started.mappings.reduce((count, running) => count + running.setStreamMappingsEnabled(functionName, enabled), 0),
    async stop() {
      await started.api?.close();
      await Promise.all(started.mappings.map((running) => running.stop(10_000)));
      await runner.stop();
    },
    async addMappings(next, added) {
      started.mappings.push(await startMappings({ ...next, mappings: added }, mappingsOptions));
    },
  };
}

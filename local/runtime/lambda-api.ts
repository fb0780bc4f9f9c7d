/**
 * The Lambda REST API (2015-03-31) on the local AWS endpoint: Invoke, GetFunction,
 * GetFunctionConfiguration, ListFunctions, ListEventSourceMappings and GetEventSourceMapping,
 * answered from the LocalApp and the LambdaRunner, so the unmodified `@aws-sdk/client-lambda`
 * (and the AWS CLI) work against the local cloud.
 */
import { createHash, randomUUID } from 'node:crypto';
import { LOCAL_ACCOUNT, type LocalApp, type LocalFunction, type LocalMapping } from '../model';
import { functionArn, isThrottled, type LambdaRunner } from './lambda-runner';
import { DEFAULT_RUNTIME } from './node-binary';
import { logGroupName } from './sandbox-environment';

export interface LambdaApiRequest {
  readonly method: string;
  /** Path with query string, e.g. `/2015-03-31/functions/my-fn/invocations?Qualifier=%24LATEST`. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
}

export interface LambdaApiResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface LambdaApi {
  handle(request: LambdaApiRequest): Promise<LambdaApiResponse>;
}

/** Paths the Lambda API serves; the endpoint routes these here. */
export function isLambdaApiPath(url: string): boolean {
  return /^\/20\d\d-\d\d-\d\d\/(functions|event-source-mappings)(\/|\?|$)/.test(url);
}

const PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;

/**
 * Builds the Lambda API for an app whose functions the runner runs. Given a function, it reads
 * the app on every request, so the functions and mappings a `lib/` hot reload adds are served.
 *
 * @example
 * const lambdaApi = createLambdaApi(app, runner, log);
 * endpoint.attachLambda(lambdaApi);
 */
export function createLambdaApi(
  appNow: LocalApp | (() => LocalApp),
  runner: LambdaRunner,
  log: (source: string, line: string) => void = () => undefined,
): LambdaApi {
  let seen: { app: LocalApp; byName: Map<string, LocalFunction>; mappings: Array<{ mapping: LocalMapping; uuid: string }> } | undefined;
  // Indexed once per app: a reload replaces the app object, it never changes one.
  const current = () => {
    const app = typeof appNow === 'function' ? appNow() : appNow;
    if (seen?.app !== app) {
      seen = {
        app,
        byName: new Map(app.functions.map((fn) => [fn.functionName, fn])),
        mappings: app.mappings.map((mapping) => ({ mapping, uuid: mappingUuid(mapping) })),
      };
    }
    return seen;
  };
  return {
    async handle(request) {
      const { app, byName, mappings } = current();
      const url = new URL(request.url, 'http://localhost');
      const [, collection, id, sub] = url.pathname.split('/').filter(Boolean); // ['2015-03-31', 'functions', name, ...]
      const method = request.method.toUpperCase();
      if (collection === 'functions') {
        if (id !== undefined && sub === 'invocations' && method === 'POST') {
          const { fn, error } = resolveFunction(byName, id, url.searchParams.get('Qualifier'));
          return error ?? invokeFunction(request, fn!, runner, log);
        }
        if (id === undefined && method === 'GET') return listFunctions(app.functions, url.searchParams);
        if (id !== undefined && method === 'GET' && (sub === undefined || sub === 'configuration')) {
          const { fn, error } = resolveFunction(byName, id, url.searchParams.get('Qualifier'));
          return error ?? getFunction(fn!, sub === 'configuration');
        }
      }
      if (collection === 'event-source-mappings' && method === 'GET') return getMappings(mappings, id, url.searchParams);
      return apiError(
        400,
        'InvalidRequestContentException',
        `sluice local endpoint: the Lambda API here serves Invoke, GetFunction, GetFunctionConfiguration, ListFunctions, ListEventSourceMappings and GetEventSourceMapping (got ${method} ${url.pathname})`,
        'User',
      );
    },
  };
}

/** The function a path names (percent-encoded name, partial or full ARN, optional qualifier), or the API error. */
function resolveFunction(
  byName: ReadonlyMap<string, LocalFunction>,
  raw: string,
  qualifierParam: string | null,
): { fn?: LocalFunction; arn: string; error?: LambdaApiResponse } {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return {
      arn: raw,
      error: apiError(
        400,
        'InvalidParameterValueException',
        `The function name in the path is not valid percent-encoding (got "${raw}"): encode it with encodeURIComponent`,
        'User',
      ),
    };
  }
  const { name, qualifier } = parseFunctionName(decoded);
  const q = qualifierParam ?? qualifier;
  const arn = `${functionArn(name)}${q ? `:${q}` : ''}`;
  const fn = byName.get(name);
  if (!fn || (q !== undefined && q !== '$LATEST')) {
    return { arn, error: apiError(404, 'ResourceNotFoundException', `Function not found: ${arn}`, 'User') };
  }
  return { fn, arn };
}

/** Invoke: RequestResponse, Event (accepted now, run in the background) or DryRun. */
async function invokeFunction(
  request: LambdaApiRequest,
  fn: LocalFunction,
  runner: LambdaRunner,
  log: (source: string, line: string) => void,
): Promise<LambdaApiResponse> {
  const invocationType = request.headers['x-amz-invocation-type'] ?? 'RequestResponse';
  if (!['RequestResponse', 'Event', 'DryRun'].includes(invocationType)) {
    return apiError(
      400,
      'InvalidParameterValueException',
      `1 validation error detected: Value '${invocationType}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`,
      'User',
    );
  }
  if (request.body.length > PAYLOAD_LIMIT_BYTES) {
    return apiError(413, 'RequestEntityTooLargeException', `Request must be smaller than ${PAYLOAD_LIMIT_BYTES} bytes for the InvokeFunction operation`, 'User');
  }
  let event: unknown = {};
  const text = request.body.toString('utf8');
  if (text.trim() !== '') {
    try {
      event = JSON.parse(text);
    } catch (cause) {
      return apiError(400, 'InvalidRequestContentException', `Could not parse request body into json: ${(cause as Error).message}`, 'User');
    }
  }
  const requestId = randomUUID();
  if (invocationType === 'DryRun') return { status: 204, headers: { 'x-amzn-requestid': requestId }, body: '' };
  if (invocationType === 'Event') {
    // Asynchronous: accepted now, run in the background; no retries, no destinations (see docs).
    void runner.invoke(fn.functionName, event).then((outcome) => {
      if (!outcome.ok) log(fn.displayName, `async invocation ${requestId} failed: ${outcome.error.errorType}: ${outcome.error.errorMessage}`);
    });
    return { status: 202, headers: { 'x-amzn-requestid': requestId }, body: '' };
  }
  const outcome = await runner.invoke(fn.functionName, event);
  const headers = { 'x-amzn-requestid': requestId, 'x-amz-executed-version': '$LATEST', 'content-type': 'application/json' };
  if (outcome.ok) return { status: 200, headers, body: JSON.stringify(outcome.result ?? null) };
  // Errors of the Invoke call itself, not of the function.
  if (outcome.error.errorType === 'RequestEntityTooLargeException') return apiError(413, outcome.error.errorType, outcome.error.errorMessage, 'User');
  if (isThrottled(outcome)) return apiError(429, outcome.error.errorType, outcome.error.errorMessage, 'User', { Reason: outcome.error.reason });
  if (outcome.error.errorType === 'Runtime.Stopped') return apiError(503, 'ServiceException', outcome.error.errorMessage, 'Service');
  const { errorType, errorMessage, trace } = outcome.error;
  return {
    status: 200,
    headers: { ...headers, 'x-amz-function-error': 'Unhandled' },
    body: JSON.stringify({ errorType, errorMessage, ...(trace ? { trace } : {}) }),
  };
}

/** ListFunctions, paged by `Marker`/`MaxItems` (at most 50). */
function listFunctions(functions: readonly LocalFunction[], query: URLSearchParams): LambdaApiResponse {
  const all = functions.map(functionConfiguration);
  const start = Number(query.get('Marker') ?? 0) || 0;
  const max = Math.min(50, Number(query.get('MaxItems') ?? 50) || 50);
  const page = all.slice(start, start + max);
  return json(200, { Functions: page, ...(start + max < all.length ? { NextMarker: String(start + max) } : {}) });
}

/** GetFunction, or GetFunctionConfiguration when `configurationOnly`. */
function getFunction(fn: LocalFunction, configurationOnly: boolean): LambdaApiResponse {
  const configuration = functionConfiguration(fn);
  if (configurationOnly) return json(200, configuration);
  return json(200, {
    Configuration: configuration,
    Code: { RepositoryType: 'S3', Location: `file://${fn.assetDir}` },
    ...(fn.reservedConcurrency !== undefined ? { Concurrency: { ReservedConcurrentExecutions: fn.reservedConcurrency } } : {}),
  });
}

/** ListEventSourceMappings (filtered by `FunctionName`, `EventSourceArn`), or GetEventSourceMapping when `id` is given. */
function getMappings(mappings: ReadonlyArray<{ mapping: LocalMapping; uuid: string }>, id: string | undefined, query: URLSearchParams): LambdaApiResponse {
  if (id === undefined) {
    const functionName = query.get('FunctionName');
    const sourceArn = query.get('EventSourceArn');
    const wanted = functionName ? parseFunctionName(functionName).name : undefined;
    const list = mappings
      .filter(({ mapping }) => (wanted === undefined || mapping.functionName === wanted) && (!sourceArn || mappingSourceArn(mapping) === sourceArn))
      .map(({ mapping, uuid }) => mappingConfiguration(mapping, uuid));
    return json(200, { EventSourceMappings: list });
  }
  const found = mappings.find((m) => m.uuid === id);
  if (!found)
    return apiError(
      404,
      'ResourceNotFoundException',
      `The resource you requested does not exist. (Service: Lambda, Status Code: 404, Request ID: ${randomUUID()})`,
      'User',
    );
  return json(200, mappingConfiguration(found.mapping, found.uuid));
}

/** `name`, `name:qualifier`, `123456789012:function:name[:q]` or the full ARN → name and qualifier. */
export function parseFunctionName(value: string): { name: string; qualifier?: string } {
  const arn = /^(?:arn:aws[a-z-]*:lambda:[a-z0-9-]+:)?(?:\d{12}:function:)([^:]+)(?::(.+))?$/.exec(value);
  if (arn) return { name: arn[1], ...(arn[2] ? { qualifier: arn[2] } : {}) };
  const [name, qualifier] = value.split(':');
  return { name, ...(qualifier ? { qualifier } : {}) };
}

function functionConfiguration(fn: LocalFunction) {
  return {
    FunctionName: fn.functionName,
    FunctionArn: functionArn(fn.functionName),
    Runtime: fn.runtime ?? DEFAULT_RUNTIME,
    Role: `arn:aws:iam::${LOCAL_ACCOUNT}:role/${fn.functionName}-role`,
    Handler: fn.handler,
    Timeout: fn.timeoutSeconds,
    MemorySize: fn.memorySize,
    Version: '$LATEST',
    Environment: { Variables: { ...fn.environment } },
    PackageType: 'Zip',
    Architectures: [fn.architecture ?? 'x86_64'],
    LoggingConfig: {
      LogFormat: fn.logFormat ?? 'Text',
      LogGroup: logGroupName(fn),
      ...(fn.applicationLogLevel ? { ApplicationLogLevel: fn.applicationLogLevel } : {}),
    },
    State: 'Active',
    LastUpdateStatus: 'Successful',
  };
}

/** A stable UUID per mapping (derived from its stack and logical id), so it survives restarts. */
export function mappingUuid(mapping: LocalMapping): string {
  const hex = createHash('sha1').update(`${mapping.functionName}/${mapping.logicalId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function mappingSourceArn(mapping: LocalMapping): string {
  return mapping.kind === 'sqs' ? mapping.queueArn : mapping.sourceArn;
}

function mappingConfiguration(mapping: LocalMapping, uuid: string) {
  const common = {
    UUID: uuid,
    EventSourceArn: mappingSourceArn(mapping),
    FunctionArn: functionArn(mapping.functionName),
    BatchSize: mapping.batchSize,
    MaximumBatchingWindowInSeconds: mapping.maxBatchingWindowSeconds,
    State: 'Enabled',
    StateTransitionReason: 'USER_INITIATED',
    LastProcessingResult: 'No records processed',
    FunctionResponseTypes: mapping.reportBatchItemFailures ? ['ReportBatchItemFailures'] : [],
    ...(mapping.filterPatterns.length > 0 ? { FilterCriteria: { Filters: mapping.filterPatterns.map((Pattern) => ({ Pattern })) } } : {}),
  };
  if (mapping.kind === 'sqs') {
    return { ...common, ...(mapping.maximumConcurrency !== undefined ? { ScalingConfig: { MaximumConcurrency: mapping.maximumConcurrency } } : {}) };
  }
  return {
    ...common,
    StartingPosition: mapping.startingPosition,
    ...(mapping.startingPositionTimestamp !== undefined ? { StartingPositionTimestamp: mapping.startingPositionTimestamp } : {}),
    ParallelizationFactor: mapping.parallelizationFactor,
    MaximumRetryAttempts: mapping.maximumRetryAttempts,
    MaximumRecordAgeInSeconds: mapping.maximumRecordAgeSeconds,
    BisectBatchOnFunctionError: mapping.bisectBatchOnFunctionError,
    ...(mapping.onFailureArn ? { DestinationConfig: { OnFailure: { Destination: mapping.onFailureArn } } } : {}),
  };
}

function json(status: number, body: unknown): LambdaApiResponse {
  return { status, headers: { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() }, body: JSON.stringify(body) };
}

function apiError(status: number, code: string, message: string, type: 'User' | 'Service', extra: Record<string, string> = {}): LambdaApiResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': code, 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify({ Type: type, message, ...extra }),
  };
}

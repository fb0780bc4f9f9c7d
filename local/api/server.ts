/**
 * The API Gateway REST emulator: routes, API key, throttling, request validation, the Lambda
 * proxy integration and gateway responses, on a plain Node HTTP server.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalApi } from '../model';
import { isThrottled, type InvokeOutcome } from '../runtime/invoke-outcome';
import { renderGatewayResponse, type GatewayErrorContext } from './gateway-responses';
import { buildProxyEvent, parseProxyResult, queryMaps } from './proxy-event';
import { RouteTable } from './routes';
import { validateBody, validateParameters } from './validation';

/** API Gateway's payload limit. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** API Gateway's integration timeout for REST APIs. */
export const INTEGRATION_TIMEOUT_MS = 29_000;

export interface ApiServerOptions {
  readonly port: number;
  readonly apiKey: string;
  readonly invoke: (functionName: string, event: unknown) => Promise<InvokeOutcome>;
  readonly log: (source: string, line: string) => void;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default INTEGRATION_TIMEOUT_MS */
  readonly integrationTimeoutMs?: number;
  /**
   * The API's OpenAPI document, served at `GET /openapi.json` (and `/<stage>/openapi.json`)
   * without an API key: it describes the routes, and holds no secret. API Gateway has no such
   * route (a deployed stage exports its document with `aws apigateway get-export`); locally it
   * saves a tool a step. A function is called on the first request for the document (or a
   * promise of it): building sluice's loads lib/ and cost most of a second of every start.
   * @default - not served: `/openapi.json` is an unknown route as on AWS
   */
  readonly openApiDocument?: unknown;
}

/** The document of {@link ApiServerOptions.openApiDocument}, built once on the first call when it is a function. */
function lazyDocument(document: unknown): () => Promise<unknown> {
  let built: Promise<unknown> | undefined;
  return () => (built ??= Promise.resolve(typeof document === 'function' ? (document as () => unknown)() : document));
}

/** Where the local API serves the OpenAPI document (see `ApiServerOptions.openApiDocument`). */
export const OPENAPI_PATH = '/openapi.json';

export interface RunningApi {
  /** Base URL without a trailing slash, e.g. `http://localhost:3000`. */
  readonly url: string;
  close(): Promise<void>;
}

/** A token bucket like the usage plan's: `rateLimit` per second, up to `burstLimit` at once. */
class TokenBucket {
  private tokens: number;
  private last = Date.now();
  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }
  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

type BodyResult = { ok: true; body: string } | { ok: false };

function readBody(request: IncomingMessage): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      request.resume();
      resolve({ ok: false });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? { ok: false } : { ok: true, body: Buffer.concat(chunks).toString('utf8') }));
    request.on('error', reject);
  });
}

/**
 * Compares an API key with the expected one in constant time (digests of equal length, so
 * neither the content nor the length of the key leaks through response timing).
 */
export function sameKey(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

const apiKeyOf = (request: IncomingMessage): string | undefined => {
  const value = request.headers['x-api-key'];
  return typeof value === 'string' ? value : undefined;
};

/** One request in flight: what every phase of `handle` reads, and its two ways to answer. */
interface Exchange {
  readonly request: IncomingMessage;
  readonly method: string;
  readonly url: URL;
  readonly requestId: string;
  readonly started: number;
  send(statusCode: number, headers: Record<string, string | readonly string[]>, body: string | Buffer): void;
  fail(context: Omit<GatewayErrorContext, 'requestId' | 'stage'>): void;
}

/** What the server's phases share: the API, its routes, its usage plan's bucket and the options. */
interface ApiServerState {
  readonly api: LocalApi;
  readonly routes: RouteTable;
  readonly bucket?: TokenBucket;
  readonly apiId: string;
  readonly options: ApiServerOptions;
  readonly openApiDocument: () => Promise<unknown>;
}

function exchangeOf(state: ApiServerState, request: IncomingMessage, response: ServerResponse): Exchange {
  const started = Date.now();
  const requestId = randomUUID();
  const method = (request.method ?? 'GET').toUpperCase();
  const url = new URL(request.url ?? '/', 'http://localhost');
  const send: Exchange['send'] = (statusCode, headers, body) => {
    response.writeHead(statusCode, { ...headers, 'x-amzn-requestid': requestId, 'content-length': Buffer.byteLength(body) });
    response.end(body);
    state.options.log('api', `${method} ${url.pathname} ${statusCode} ${Date.now() - started} ms`);
  };
  const fail: Exchange['fail'] = (context) => {
    const rendered = renderGatewayResponse(state.api.gatewayResponses, { ...context, requestId, stage: state.api.stageName });
    send(rendered.statusCode, { ...rendered.headers }, rendered.body);
  };
  return { request, method, url, requestId, started, send, fail };
}

/** The route of a request; both `/accounts` and `/<stage>/accounts` reach the API, like the stage URL on AWS. */
function matchRoute(state: ApiServerState, method: string, pathname: string): { path: string; match: ReturnType<RouteTable['match']> } {
  let path = pathname;
  let match = state.routes.match(method, path);
  const stagePrefix = `/${state.api.stageName}`;
  if (!match && (path === stagePrefix || path.startsWith(`${stagePrefix}/`))) {
    path = path.slice(stagePrefix.length) || '/';
    match = state.routes.match(method, path);
  }
  return { path, match };
}

type Matched = NonNullable<ReturnType<RouteTable['match']>>;

/**
 * The gateway's checks before the integration, in API Gateway's order: API key, body size,
 * throttling, request validation. Returns the body, or undefined once it has answered.
 */
async function admit(state: ApiServerState, exchange: Exchange, { route, pathParameters }: Matched): Promise<string | undefined> {
  const { request, method, url, fail } = exchange;
  const context = { resourcePath: route.resourcePath, httpMethod: method };
  // The key is checked before the body is read: an unauthenticated client cannot make the server buffer 10 MB.
  const apiKey = apiKeyOf(request);
  if (route.apiKeyRequired && !sameKey(apiKey, state.options.apiKey)) {
    request.resume();
    return void fail({ type: 'INVALID_API_KEY', ...context });
  }
  const body = await readBody(request);
  if (!body.ok) return void fail({ type: 'REQUEST_TOO_LARGE' });
  if (state.bucket && !state.bucket.take()) return void fail({ type: 'THROTTLED', ...context });
  if (route.validateParameters) {
    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : (value ?? '')]));
    const result = validateParameters(route.requestParameters, { pathParameters, query: queryMaps(url.search.slice(1)).single, headers });
    if (!result.ok)
      return void fail({ type: 'BAD_REQUEST_PARAMETERS', message: result.messageString, validationErrorString: result.validationErrorString, ...context });
  }
  const contentType = String(request.headers['content-type'] ?? 'application/json')
    .split(';')[0]
    .trim()
    .toLowerCase();
  if (route.validateBody && route.bodySchema && contentType === 'application/json') {
    const result = validateBody(route.bodySchema, body.body);
    if (!result.ok) return void fail({ type: 'BAD_REQUEST_BODY', message: result.messageString, validationErrorString: result.validationErrorString, ...context });
  }
  return body.body;
}

/** Invokes the route's function with the gateway's integration timeout. */
async function invokeWithTimeout(options: ApiServerOptions, functionName: string, event: unknown): Promise<InvokeOutcome | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), options.integrationTimeoutMs ?? INTEGRATION_TIMEOUT_MS);
  });
  try {
    return await Promise.race([options.invoke(functionName, event), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The Lambda proxy integration: the event, the invocation, and the answer the gateway makes of its outcome. */
async function integrate(state: ApiServerState, exchange: Exchange, { route, pathParameters }: Matched, path: string, body: string): Promise<void> {
  const { request, method, url, requestId, started, fail, send } = exchange;
  const { options, api } = state;
  const context = { resourcePath: route.resourcePath, httpMethod: method };
  const apiKey = apiKeyOf(request);
  const event = buildProxyEvent({
    method,
    path,
    resourcePath: route.resourcePath,
    rawHeaders: request.rawHeaders,
    query: url.search.slice(1),
    pathParameters,
    body,
    sourceIp: (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
    stage: api.stageName,
    apiId: state.apiId,
    requestId,
    apiKey: route.apiKeyRequired ? apiKey : undefined,
    now: new Date(started),
  });
  const outcome = await invokeWithTimeout(options, route.functionName, event);
  if (outcome === 'timeout') return fail({ type: 'INTEGRATION_TIMEOUT', ...context });
  if (!outcome.ok && outcome.error.errorType === 'RequestEntityTooLargeException') {
    // The proxy event (body and headers) is over Lambda's 6 MB invoke limit, so the function never
    // runs; the caller sent too much, which the contract answers with 413 up to the gateway's 10 MB.
    options.log('api', `${route.functionName} not invoked: ${outcome.error.errorMessage}`);
    return fail({ type: 'REQUEST_TOO_LARGE', ...context });
  }
  if (!outcome.ok) {
    options.log('api', `${route.functionName} failed: ${outcome.error.errorType}: ${outcome.error.errorMessage}`);
    // A throttled Lambda (429 from Invoke) is a 500 "Internal server error" to the client, a function error a 502.
    return fail({ type: 'DEFAULT_5XX', statusCode: isThrottled(outcome) ? 500 : 502, message: 'Internal server error', ...context });
  }
  const proxy = parseProxyResult(outcome.result);
  if (!proxy) {
    options.log('api', `${route.functionName} returned a malformed Lambda proxy response`);
    return fail({ type: 'DEFAULT_5XX', statusCode: 502, message: 'Internal server error', ...context });
  }
  send(proxy.statusCode, { 'content-type': 'application/json', ...proxy.headers }, proxy.body);
}

/** One request, from route match to answer. */
async function handle(state: ApiServerState, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const exchange = exchangeOf(state, request, response);
  const { method, url } = exchange;
  const { path, match } = matchRoute(state, method, url.pathname);
  if (!match && state.options.openApiDocument !== undefined && method === 'GET' && path === OPENAPI_PATH) {
    return exchange.send(200, { 'content-type': 'application/json' }, JSON.stringify(await state.openApiDocument()));
  }
  if (!match) return exchange.fail({ type: 'MISSING_AUTHENTICATION_TOKEN' });
  const body = await admit(state, exchange, match);
  if (body === undefined) return;
  await integrate(state, exchange, match, path, body);
}

/**
 * Serves the app's REST API on `options.port` (0 picks a free port).
 *
 * @example
 * const api = await startApiServer(app.api, { port: 3000, apiKey: 'local-dev-key', invoke, log });
 */
export async function startApiServer(api: LocalApi, options: ApiServerOptions): Promise<RunningApi> {
  const state: ApiServerState = {
    api,
    options,
    openApiDocument: lazyDocument(options.openApiDocument),
    routes: new RouteTable(api.routes),
    bucket: api.throttle && api.throttle.rateLimit > 0 ? new TokenBucket(api.throttle.rateLimit, Math.max(1, api.throttle.burstLimit)) : undefined,
    apiId:
      api.logicalId
        .toLowerCase()
        .replace(/[^a-z0-9]/g, '')
        .slice(0, 10) || 'localapi',
  };
  const server = createServer((request, response) => {
    handle(state, request, response).catch((error: unknown) => {
      options.log('api', `request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end('{"message":"Internal server error"}');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

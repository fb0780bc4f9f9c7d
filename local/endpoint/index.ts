import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { FaultInjector, FaultValidationError, faultResponse, operationOf, parseFaultRule, type FaultService } from './chaos';
import { crossSiteRefusal } from './local-tools';
import { ReplaySocket } from './replay-socket';
import type { SourceWrite } from '../model';
import { routeRequest, sourceWriteOf, type AwsService } from './routing';
import { EMULATED_SQS_ACTIONS, isSqsQueryRequest, queryErrorXml, serveSqsQuery, withEmulatedActions, type SqsJsonCall } from './sqs-query';

export { routeRequest, type AwsService } from './routing';
export { ReplaySocket } from './replay-socket';
export { serveSqsQuery, toJsonCall, queryResultXml, queryErrorXml, queryErrorOf, isSqsQueryRequest } from './sqs-query';
export { crossSiteRefusal } from './local-tools';
export { FaultInjector, parseFaultRule, FAULT_SERVICES } from './chaos';
export type { FaultRule, FaultRuleInput, FaultService, FaultError } from './chaos';

/** Path of the fault injection API on the endpoint. */
export const CHAOS_PATH = '/_sluice/chaos/faults';

/** Path of the settled signal (`GET /_sluice/settled?timeout=<s>`, see local/settled.ts). */
export const SETTLED_PATH = '/_sluice/settled';

/** What answers `GET /_sluice/settled`, attached once the runtime runs; `signal` aborts when the client goes away. */
export type SettledHandler = (request: { method: string; url: URL; signal: AbortSignal }) => Promise<{ status: number; body: unknown }>;

/** What serves the Lambda REST API paths (`/2015-03-31/functions/...`), attached once the runtime runs. */
export interface LambdaApiHandler {
  handle(request: { method: string; url: string; headers: Readonly<Record<string, string | undefined>>; body: Buffer }): Promise<{ status: number; headers: Record<string, string>; body: string }>;
}

const LAMBDA_PATH = /^\/20\d\d-\d\d-\d\d\/(functions|event-source-mappings)(\/|\?|$)/;

/** The HTTP/2 connection preface a client with prior knowledge sends first (RFC 9113 §3.4). */
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/** Hop-by-hop headers (RFC 9110 §7.6.1) plus those HTTP/2 forbids; never forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'http2-settings',
  'host',
]);

export interface AwsEndpointOptions {
  /** Emulator base URLs, e.g. `http://127.0.0.1:45123`. */
  readonly targets: Readonly<Record<AwsService, string>>;
  /** Port to listen on; default `SLUICE_AWS_PORT` or 4566; 0 = any free port. */
  readonly port?: number;
  /** Extra loopback addresses besides 127.0.0.1 (default `::1`, skipped where IPv6 is off). */
  readonly extraHosts?: readonly string[];
}

export interface AwsEndpoint {
  /** `http://localhost:<port>`: what to give SDK clients (`endpoint`) or `AWS_ENDPOINT_URL`. */
  readonly url: string;
  readonly port: number;
  /** Requests served per service (and `unrouted`), for diagnostics. */
  readonly requestCounts: Readonly<Record<AwsService | 'lambda' | 'unrouted', number>>;
  /** The fault rules applied to requests passing through (also reachable over HTTP at CHAOS_PATH). */
  readonly chaos: FaultInjector;
  /** Serves the Lambda API with this handler from now on (undefined: Lambda API requests get 503). */
  attachLambda(handler: LambdaApiHandler | undefined): void;
  /** Serves `GET /_sluice/settled` with this handler from now on (undefined: 503, the runtime is not running). */
  attachSettled(handler: SettledHandler | undefined): void;
  /** Calls `listener` after each successful write to a stream source; returns the unsubscribe function. */
  onWrite(listener: (write: SourceWrite) => void): () => void;
  stop(): Promise<void>;
}

/** Default port of the local AWS endpoint: `SLUICE_AWS_PORT`, else 4566 (LocalStack's). */
export function defaultAwsPort(): number {
  const raw = process.env.SLUICE_AWS_PORT;
  if (raw === undefined || raw === '') return 4566;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`SLUICE_AWS_PORT must be a port number 0-65535 (got "${raw}")`);
  }
  return port;
}

type AnyRequest = http.IncomingMessage | http2.Http2ServerRequest;
type AnyResponse = http.ServerResponse | http2.Http2ServerResponse;

/**
 * Starts one AWS-compatible endpoint that forwards each request to the emulator of its service.
 *
 * Dispatches on `X-Amz-Target` (`Kinesis_20131202.`, `DynamoDB_20120810.`,
 * `DynamoDBStreams_20120810.`, `AmazonSQS.`; form bodies go to SQS). Speaks HTTP/1.1 and
 * cleartext HTTP/2 with prior knowledge on the same port, so the SDK's Kinesis client works
 * with its default HTTP/2 handler. SQS requests reach fauxqs with `Host: localhost:<port>`, so
 * the queue URLs it hands out point back at this endpoint.
 *
 * @throws when the port is taken (`EADDRINUSE`: set SLUICE_AWS_PORT to another port)
 */
export async function startAwsEndpoint(options: AwsEndpointOptions): Promise<AwsEndpoint> {
  const requestCounts: Record<AwsService | 'lambda' | 'unrouted', number> = { kinesis: 0, dynamodb: 0, sqs: 0, lambda: 0, unrouted: 0 };
  const chaos = new FaultInjector();
  let lambdaApi: LambdaApiHandler | undefined;
  let settledHandler: SettledHandler | undefined;
  const writeListeners = new Set<(write: SourceWrite) => void>();
  const timers = new Set<NodeJS.Timeout>();
  const sleep = (ms: number) => new Promise<void>((resolve) => {
    if (ms <= 0) { resolve(); return; }
    const timer = setTimeout(() => { timers.delete(timer); resolve(); }, ms);
    timers.add(timer);
  });
  const agents: Record<AwsService, http.Agent> = {
    kinesis: new http.Agent({ keepAlive: true, maxSockets: 64, keepAliveMsecs: 10_000 }),
    dynamodb: new http.Agent({ keepAlive: true, maxSockets: 64, keepAliveMsecs: 10_000 }),
    sqs: new http.Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 10_000 }),
  };
  const targets = Object.fromEntries(
    Object.entries(options.targets).map(([service, url]) => [service, new URL(url)]),
  ) as Record<AwsService, URL>;
  let publicPort = 0;

  /**
   * Every request passes through here: whatever a handler throws, synchronously or from a promise,
   * becomes a 500 JSON answer on that request alone (or a closed stream when the answer has
   * started), never an uncaught exception or unhandled rejection that would stop the local cloud.
   */
  const handle = (req: AnyRequest, res: AnyResponse): void => {
    try {
      route(req, res);
    } catch (error) {
      failRequest(res, error);
    }
  };

  /** Runs an async handler of one request; a rejection answers that request (see `handle`). */
  const serve = (res: AnyResponse, work: () => Promise<unknown>): void => {
    work().catch((error: unknown) => failRequest(res, error));
  };

  const route = (req: AnyRequest, res: AnyResponse): void => {
    const target = headerValue(req.headers['x-amz-target']);
    const path = req.url ?? '/';
    if (path.startsWith('/_sluice/') || LAMBDA_PATH.test(path)) {
      const refusal = crossSiteRefusal(req.headers as http.IncomingHttpHeaders);
      if (refusal) {
        writeAnswer(res, { status: 403, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: 'cross_site_refused', message: refusal }) });
        return;
      }
    }
    if (path === SETTLED_PATH || path.startsWith(`${SETTLED_PATH}?`)) {
      serve(res, () => serveSettled(req, res, path));
      return;
    }
    if (path === CHAOS_PATH || path.startsWith(`${CHAOS_PATH}/`) || path.startsWith(`${CHAOS_PATH}?`)) {
      serve(res, () => readBody(req).then((body) => handleChaos(chaos, req.method ?? 'GET', path, body, res), () => { res.destroy(); }));
      return;
    }
    if (!target && LAMBDA_PATH.test(path)) {
      requestCounts.lambda++;
      serve(res, () => readBody(req).then((body) => serveLambda(req, res, path, body), () => { res.destroy(); }));
      return;
    }
    const contentType = headerValue(req.headers['content-type']);
    if (!target && isSqsQueryRequest(req.method ?? 'GET', path, contentType)) {
      requestCounts.sqs++;
      serve(res, () => readBody(req).then((body) => serveQuery(req, res, path, body), () => { res.destroy(); }));
      return;
    }
    let service = routeRequest(target, contentType);
    if (!service && path.startsWith('/_fauxqs')) service = 'sqs';
    if (!service) {
      if (req.method === 'GET' && (path === '/' || path.startsWith('/_sluice/health'))) {
        sendJson(res, 200, { status: 'running', services: Object.keys(targets) });
        return;
      }
      requestCounts.unrouted++;
      sendJson(res, 400, {
        __type: 'UnknownOperationException',
        message:
          `sluice local endpoint: cannot tell which service this request is for (X-Amz-Target "${target ?? ''}"); ` +
          'supported: Kinesis_20131202.*, DynamoDB_20120810.*, DynamoDBStreams_20120810.*, AmazonSQS.*, SQS form requests, ' +
          'the Lambda API (/2015-03-31/functions/...), the settled signal (/_sluice/settled) and the chaos API (/_sluice/chaos/faults)',
      });
      return;
    }
    requestCounts[service]++;
    const sqsAction = target?.startsWith('AmazonSQS.') ? target.slice('AmazonSQS.'.length) : undefined;
    if (sqsAction && EMULATED_SQS_ACTIONS.has(sqsAction)) {
      serve(res, () => readBody(req).then((body) => serveEmulatedJson(res, sqsAction, body), () => { res.destroy(); }));
      return;
    }
    const faultService: FaultService = target?.startsWith('DynamoDBStreams_') ? 'dynamodbstreams' : service;
    if (chaos.targets(faultService)) {
      // Faults match on the body: buffer it, decide, then answer or forward.
      serve(res, () => readBody(req).then(async (body) => {
        const text = body.toString('utf8');
        const decision = chaos.decide({ service: faultService, operation: operationOf(target, text, false), body: text });
        if (decision) await sleep(decision.latencyMs);
        if (decision?.kind === 'error') {
          const answer = faultResponse(faultService, decision.error, randomUUID(), false);
          if (!res.headersSent && !res.destroyed) {
            (res as http.ServerResponse).writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
            res.end(answer.body);
          }
          return;
        }
        forward(service!, req, res, path, body);
      }, () => { res.destroy(); }));
      return;
    }
    forward(service, req, res, path, undefined);
  };

  /** An SQS query-protocol call: faults first (as for JSON calls), then translated to fauxqs's JSON protocol. */
  const serveQuery = async (req: AnyRequest, res: AnyResponse, path: string, body: Buffer): Promise<void> => {
    const text = body.toString('utf8');
    if (chaos.targets('sqs')) {
      const params = [path.split('?')[1], text].filter(Boolean).join('&');
      const decision = chaos.decide({ service: 'sqs', operation: operationOf(undefined, params, true), body: params });
      if (decision) await sleep(decision.latencyMs);
      if (decision?.kind === 'error') {
        writeAnswer(res, faultResponse('sqs', decision.error, randomUUID(), true));
        return;
      }
    }
    try {
      writeAnswer(res, await serveSqsQuery({ method: req.method ?? 'POST', path, body: text }, `http://localhost:${publicPort}`, withEmulatedActions(sendSqsJson)));
    } catch (error) {
      const requestId = randomUUID();
      const message = `sluice local endpoint: the sqs emulator at ${targets.sqs.host} failed: ${messageOf(error)}`;
      writeAnswer(res, { status: 503, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: queryErrorXml({ status: 503, type: 'Receiver', code: 'ServiceUnavailable', message }, requestId) });
    }
  };

  /** A JSON-protocol SQS call fauxqs lacks, answered by the endpoint from calls fauxqs has. */
  const serveEmulatedJson = async (res: AnyResponse, action: string, body: Buffer): Promise<void> => {
    const requestId = randomUUID();
    try {
      const input = (body.length ? JSON.parse(body.toString('utf8')) : {}) as Record<string, unknown>;
      const answer = await withEmulatedActions(sendSqsJson)({ action, input });
      const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId };
      if (answer.queryErrorHeader) headers['x-amzn-query-error'] = answer.queryErrorHeader;
      writeAnswer(res, { status: answer.status, headers, body: answer.body });
    } catch (error) {
      writeAnswer(res, { status: 400, headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId }, body: JSON.stringify({ __type: 'com.amazonaws.sqs#InvalidParameterValue', message: `sluice local endpoint: ${messageOf(error)}` }) });
    }
  };

  /** One JSON-protocol call to fauxqs, answered in full (the query protocol rewrites the body). */
  const sendSqsJson = (call: SqsJsonCall) =>
    new Promise<{ status: number; queryErrorHeader?: string; body: string }>((resolve, reject) => {
      const payload = JSON.stringify(call.input);
      const upstream = http.request(
        {
          host: targets.sqs.hostname,
          port: targets.sqs.port,
          method: 'POST',
          path: '/',
          agent: agents.sqs,
          headers: {
            host: `localhost:${publicPort}`,
            'content-type': 'application/x-amz-json-1.0',
            'x-amz-target': `AmazonSQS.${call.action}`,
            'content-length': Buffer.byteLength(payload),
          },
        },
        (upstreamRes) => {
          const chunks: Buffer[] = [];
          upstreamRes.on('data', (chunk: Buffer) => chunks.push(chunk));
          upstreamRes.on('end', () => resolve({
            status: upstreamRes.statusCode ?? 500,
            queryErrorHeader: headerValue(upstreamRes.headers['x-amzn-query-error']),
            body: Buffer.concat(chunks).toString('utf8'),
          }));
          upstreamRes.on('error', reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(payload);
    });

  const serveLambda = async (req: AnyRequest, res: AnyResponse, path: string, body: Buffer): Promise<void> => {
    const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, headerValue(value)]));
    if (chaos.targets('lambda')) {
      const match = /\/functions\/([^/?]+)\/invocations/.exec(path);
      const operation = match ? 'Invoke' : undefined;
      const decision = chaos.decide({ service: 'lambda', operation, body: `${match ? decodePathSegment(match[1]) ?? match[1] : ''}\n${body.toString('utf8')}` });
      if (decision) await sleep(decision.latencyMs);
      if (decision?.kind === 'error') {
        const answer = faultResponse('lambda', decision.error, randomUUID(), false);
        writeAnswer(res, answer);
        return;
      }
    }
    if (!lambdaApi) {
      writeAnswer(res, { status: 503, headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'ServiceException' }, body: JSON.stringify({ Type: 'Service', message: 'sluice local endpoint: the Lambda runtime is not running (yet)' }) });
      return;
    }
    try {
      writeAnswer(res, await lambdaApi.handle({ method: req.method ?? 'GET', url: path, headers, body }));
    } catch (error) {
      writeAnswer(res, { status: 500, headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'ServiceException' }, body: JSON.stringify({ Type: 'Service', message: `sluice local endpoint: ${messageOf(error)}` }) });
    }
  };

  const serveSettled = async (req: AnyRequest, res: AnyResponse, path: string): Promise<void> => {
    const send = (status: number, body: unknown) => writeAnswer(res, { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!settledHandler) {
      send(503, { error: 'not_ready', message: 'sluice local endpoint: the runtime (functions and mappings) is not running (yet), so nothing can settle' });
      return;
    }
    const aborted = new AbortController();
    res.on('close', () => aborted.abort());
    try {
      const answer = await settledHandler({ method: req.method ?? 'GET', url: new URL(path, 'http://localhost'), signal: aborted.signal });
      send(answer.status, answer.body);
    } catch (error) {
      send(500, { error: 'internal_error', message: `sluice local endpoint: ${messageOf(error)}` });
    }
  };

  const forward = (service: AwsService, req: AnyRequest, res: AnyResponse, path: string, buffered: Buffer | undefined): void => {
    const upstreamUrl = targets[service];
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (name.startsWith(':') || HOP_BY_HOP.has(name) || value === undefined) continue;
      headers[name] = value;
    }
    const clientHost = headerValue(req.headers[':authority']) ?? headerValue(req.headers.host);
    headers.host = service === 'sqs' ? `localhost:${publicPort}` : (clientHost ?? upstreamUrl.host);

    const upstream = http.request(
      {
        host: upstreamUrl.hostname,
        port: upstreamUrl.port,
        method: req.method,
        path,
        headers,
        agent: agents[service],
      },
      (upstreamRes) => {
        if (res.destroyed || (res as http2.Http2ServerResponse).stream?.destroyed) {
          upstreamRes.resume(); // the client went away (e.g. its function timed out while a fault held the request)
          return;
        }
        const responseHeaders: http.OutgoingHttpHeaders = {};
        for (const [name, value] of Object.entries(upstreamRes.headers)) {
          if (HOP_BY_HOP.has(name) || value === undefined) continue;
          responseHeaders[name] = value;
        }
        try {
          res.writeHead(upstreamRes.statusCode ?? 502, responseHeaders as http.OutgoingHttpHeaders & http2.OutgoingHttpHeaders);
        } catch (error) {
          // A header the client's protocol cannot carry (HTTP/2 refuses some HTTP/1.1 ones): this request fails, not the endpoint.
          upstreamRes.resume();
          failRequest(res, error);
          return;
        }
        upstreamRes.pipe(res as NodeJS.WritableStream);
        const write = sourceWriteOf(headerValue(req.headers['x-amz-target']));
        if (write && (upstreamRes.statusCode ?? 500) < 300 && writeListeners.size > 0) {
          upstreamRes.once('end', () => writeListeners.forEach((listener) => listener(write)));
        }
        upstreamRes.on('error', () => res.destroy());
      },
    );
    upstream.on('error', (error) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendJson(res, 502, {
        __type: 'ServiceUnavailableException',
        message: `sluice local endpoint: the ${service} emulator at ${upstreamUrl.host} failed: ${error.message}`,
      });
    });
    if (buffered) {
      upstream.end(buffered);
    } else {
      (req as NodeJS.ReadableStream).pipe(upstream);
      req.on('error', () => upstream.destroy());
    }
  };

  const h1 = http.createServer({ keepAliveTimeout: 60_000 }, handle);
  const h2 = http2.createServer({ settings: { maxConcurrentStreams: 1000 } }, handle);
  h2.on('sessionError', () => undefined);
  const sockets = new Set<net.Socket>();
  const sessions = new Set<http2.ServerHttp2Session>();
  h2.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });

  const onConnection = (socket: net.Socket): void => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const n = Math.min(head.length, H2_PREFACE.length);
      const matches = head.subarray(0, n).equals(H2_PREFACE.subarray(0, n));
      if (matches && head.length < H2_PREFACE.length) return; // need more bytes to decide
      socket.removeListener('data', onData);
      socket.pause();
      if (matches) {
        h2.emit('connection', new ReplaySocket(socket, head));
      } else {
        socket.unshift(head);
        h1.emit('connection', socket);
        socket.resume();
      }
    };
    socket.on('data', onData);
  };

  const servers: net.Server[] = [];
  const listen = (port: number, host: string) =>
    new Promise<net.Server>((resolve, reject) => {
      const server = net.createServer({ noDelay: true }, onConnection);
      server.once('error', reject);
      server.listen({ port, host, ipv6Only: host.includes(':') }, () => {
        server.removeListener('error', reject);
        resolve(server);
      });
    });
  const primary = await listen(options.port ?? defaultAwsPort(), '127.0.0.1');
  servers.push(primary);
  publicPort = (primary.address() as net.AddressInfo).port;
  for (const host of options.extraHosts ?? ['::1']) {
    try {
      servers.push(await listen(publicPort, host));
    } catch {
      // IPv6 loopback unavailable (or taken): 127.0.0.1 alone serves `localhost` on such hosts.
    }
  }

  return {
    url: `http://localhost:${publicPort}`,
    port: publicPort,
    requestCounts,
    chaos,
    attachLambda: (handler) => { lambdaApi = handler; },
    attachSettled: (handler) => { settledHandler = handler; },
    onWrite: (listener) => {
      writeListeners.add(listener);
      return () => writeListeners.delete(listener);
    },
    stop: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const closed = Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
      // close() waits for open connections: end the idle keep-alive ones ourselves.
      for (const session of sessions) session.destroy();
      for (const socket of sockets) socket.destroy();
      h1.closeAllConnections();
      for (const agent of Object.values(agents)) agent.destroy();
      await closed;
    },
  };
}

function readBody(req: AnyRequest): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function writeAnswer(res: AnyResponse, answer: { status: number; headers: Record<string, string>; body: string }): void {
  if (res.headersSent || res.destroyed) return;
  (res as http.ServerResponse).writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
  res.end(answer.body);
}

/** `POST` adds rules (a list, or `{faults: [...]}`), `PUT` replaces them, `GET` lists, `DELETE` clears (or `DELETE …/<id>` removes one). */
function handleChaos(chaos: FaultInjector, method: string, path: string, body: Buffer, res: AnyResponse): void {
  const send = (status: number, payload: unknown) => writeAnswer(res, { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
  const id = path.split('?')[0].slice(CHAOS_PATH.length + 1) || undefined;
  try {
    switch (method.toUpperCase()) {
      case 'GET':
        send(200, { faults: chaos.list() });
        return;
      case 'DELETE':
        if (id !== undefined && decodePathSegment(id) === undefined) throw new FaultValidationError(`the fault id in the path is not valid percent-encoding (got "${id}")`);
        send(200, { removed: chaos.clear(id ? decodePathSegment(id) : undefined), faults: chaos.list() });
        return;
      case 'POST':
      case 'PUT': {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body.toString('utf8') || '[]');
        } catch (cause) {
          throw new FaultValidationError(`the body must be JSON: a list of fault rules (${(cause as Error).message})`);
        }
        const list = Array.isArray(parsed) ? parsed : (parsed as { faults?: unknown })?.faults ?? [parsed];
        if (!Array.isArray(list)) throw new FaultValidationError('the body must be a list of fault rules or {"faults": [...]}');
        const rules = list.map((rule, index) => parseFaultRule(rule, index));
        if (method.toUpperCase() === 'PUT') chaos.clear();
        const added = chaos.add(rules);
        send(200, { added, faults: chaos.list() });
        return;
      }
      default:
        send(405, { error: 'method_not_allowed', message: `use GET, POST, PUT or DELETE on ${CHAOS_PATH} (got ${method})` });
    }
  } catch (error) {
    if (error instanceof FaultValidationError) send(400, { error: 'validation_failed', message: error.message });
    else send(500, { error: 'internal_error', message: messageOf(error) });
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** A path segment percent-decoded, or undefined when its encoding is malformed (`%E0%A4%A`). */
export function decodePathSegment(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/**
 * The answer to a request whose handler failed: a 500 JSON error with the cause, or, when the
 * answer has already started, a destroyed stream (the client sees a reset, the endpoint runs on).
 */
function failRequest(res: AnyResponse, error: unknown): void {
  const message = messageOf(error);
  try {
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    sendJson(res, 500, { __type: 'InternalFailure', error: 'internal_error', message: `sluice local endpoint: the request failed inside the endpoint: ${message}` });
  } catch {
    res.destroy();
  }
}

/** What an error says, whatever was thrown (a rejection may carry any value). */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sendJson(res: AnyResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  (res as http.ServerResponse).writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

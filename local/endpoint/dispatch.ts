/**
 * The dispatcher: every request passes through here. The router decides where it goes; a table
 * holds one handler per kind of route. Whatever a handler throws, synchronously or from a promise,
 * becomes a 500 JSON answer on that request alone (or a closed stream when the answer has
 * started), never an uncaught exception or unhandled rejection that would stop the local cloud.
 */
import { answerChaosApi } from './chaos-api';
import type { ChaosLayer } from './chaos-layer';
import { operationOf } from './chaos';
import { answerLater, answerWithBody, failRequest, jsonAnswer, sendJson, writeAnswer, type AnyRequest, type AnyResponse } from './http-answers';
import { answerLambdaApi, type LambdaApiHandler } from './lambda-api';
import { answerConsole, answerSettled, type ConsoleHandler, type SettledHandler } from './local-tools';
import type { HttpAnswer } from './sqs-query';
import type { EmulatorProxy } from './proxy';
import { routeOf, type AwsService, type Route } from './router';
import { invalid } from './sqs-emulated-actions';
import { fifoIdRefusal, ID_CHECKED_TARGETS } from './sqs-fifo-ids';
import { answerEmulatedSqsJson, answerSqsQuery, type SqsFront } from './sqs-front';

/** Requests served per service (and `unrouted`), for diagnostics. */
export type RequestCounts = Record<AwsService | 'lambda' | 'unrouted', number>;

export interface DispatchParts {
  readonly chaos: ChaosLayer;
  readonly proxy: EmulatorProxy;
  readonly sqs: SqsFront;
  readonly lambdaApi: () => LambdaApiHandler | undefined;
  readonly settled: () => SettledHandler | undefined;
  readonly console: () => ConsoleHandler | undefined;
  readonly counts: RequestCounts;
}

type RouteHandler<K extends Route['kind']> = (req: AnyRequest, res: AnyResponse, route: Extract<Route, { kind: K }>, path: string) => void;
type RouteHandlers = { readonly [K in Route['kind']]: RouteHandler<K> };

const UNROUTED_HELP =
  'supported: Kinesis_20131202.*, DynamoDB_20120810.*, DynamoDBStreams_20120810.*, AmazonSQS.*, SQS form requests, ' +
  'the Lambda API (/2015-03-31/functions/...), the settled signal (/_sluice/settled), the console (/_sluice/console) and the chaos API (/_sluice/chaos/faults)';

/** The request handler of the endpoint's HTTP/1.1 and HTTP/2 servers. */
export function createDispatcher(parts: DispatchParts): (req: AnyRequest, res: AnyResponse) => void {
  const handlers = routeHandlers(parts);
  return (req, res) => {
    try {
      const path = req.url ?? '/';
      const route = routeOf({ method: req.method ?? 'GET', path, headers: req.headers });
      (handlers[route.kind] as RouteHandler<Route['kind']>)(req, res, route, path);
    } catch (error) {
      failRequest(res, error);
    }
  };
}

function routeHandlers(parts: DispatchParts): RouteHandlers {
  const { chaos, counts, sqs } = parts;
  return {
    'cross-site-refused': (_req, res, route) => writeAnswer(res, jsonAnswer(403, { error: 'cross_site_refused', message: route.message })),
    settled: (req, res, _route, path) => answerLater(res, () => answerSettled(parts.settled(), req, res, path)),
    console: (req, res, _route, path) => answerConsole(parts.console(), req, res, path),
    'chaos-api': (req, res, _route, path) => answerWithBody(req, res, (body) => answerChaosApi(chaos.rules, req.method ?? 'GET', path, body)),
    'lambda-api': (req, res, _route, path) => {
      counts.lambda++;
      answerWithBody(req, res, (body) => answerLambdaApi(chaos, parts.lambdaApi, req, path, body));
    },
    'sqs-query': (req, res, _route, path) => {
      counts.sqs++;
      answerWithBody(req, res, (body) => answerSqsQuery(sqs, req.method ?? 'POST', path, body));
    },
    'sqs-emulated': (req, res, route) => {
      counts.sqs++;
      answerWithBody(req, res, (body) => answerEmulatedSqsJson(sqs, route.action, body));
    },
    health: (_req, res) => sendJson(res, 200, { status: 'running', services: Object.keys(parts.proxy.targets) }),
    unrouted: (_req, res, route) => {
      counts.unrouted++;
      const message = `sluice local endpoint: cannot tell which service this request is for (X-Amz-Target "${route.target ?? ''}"); ${UNROUTED_HELP}`;
      sendJson(res, 400, { __type: 'UnknownOperationException', message });
    },
    emulator: (req, res, route, path) => {
      counts[route.service]++;
      toEmulator(parts, req, res, route, path);
    },
  };
}

/**
 * Proxies to the emulator. The body is buffered first when a fault rule names the service (to be
 * matched) or when the call is an SQS send (its FIFO ids are checked as AWS does; fauxqs does not).
 */
function toEmulator(parts: DispatchParts, req: AnyRequest, res: AnyResponse, route: Extract<Route, { kind: 'emulator' }>, path: string): void {
  const checksIds = route.service === 'sqs' && route.target !== undefined && ID_CHECKED_TARGETS.has(route.target);
  if (!parts.chaos.targets(route.faultService) && !checksIds) {
    parts.proxy.forward(route.service, req, res, path, undefined);
    return;
  }
  answerWithBody(req, res, async (body) => {
    const text = body.toString('utf8');
    const refusal = checksIds ? idRefusalOf(route.target as string, text) : undefined;
    if (refusal) return refusal;
    const fault = await parts.chaos.apply({ service: route.faultService, operation: operationOf(route.target, text, false), body: text }, false);
    if (fault) return fault;
    parts.proxy.forward(route.service, req, res, path, body);
    return undefined;
  });
}

/** The `InvalidParameterValue` answer to an SQS send whose ids AWS would refuse; an unparsable body is left to fauxqs. */
function idRefusalOf(target: string, text: string): HttpAnswer | undefined {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof input !== 'object' || input === null) return undefined;
  const refusal = fifoIdRefusal(target.slice('AmazonSQS.'.length), input as Record<string, unknown>);
  if (!refusal) return undefined;
  const answer = invalid(refusal);
  return {
    status: answer.status,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': answer.queryErrorHeader ?? '' },
    body: answer.body,
  };
}

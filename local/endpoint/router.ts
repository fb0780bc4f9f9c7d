/**
 * The router: where each request to the endpoint goes, from its method, path and headers alone.
 * Pure, so every rule is a unit test (test/unit/local/endpoint/router.test.ts).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { SourceWrite } from '../model';
import type { FaultService } from './chaos';
import { headerValue } from './http-answers';
import { crossSiteRefusal } from './local-tools';
import { EMULATED_SQS_ACTIONS } from './sqs-emulated-actions';
import { isSqsQueryRequest } from './sqs-query';

/** Which emulator serves a request. */
export type AwsService = 'kinesis' | 'dynamodb' | 'sqs';

const TARGET_PREFIXES: ReadonlyArray<readonly [string, AwsService]> = [
  ['Kinesis_20131202.', 'kinesis'],
  ['DynamoDBStreams_20120810.', 'dynamodb'],
  ['DynamoDB_20120810.', 'dynamodb'],
  ['AmazonSQS.', 'sqs'],
];

/**
 * Picks the emulator for a request from its `X-Amz-Target` header (JSON protocols); a request
 * without one but with a form body is an SQS query-protocol call (`Action=...`).
 *
 * @returns the service, or undefined when the request names none of them
 */
export function routeRequest(target: string | undefined, contentType: string | undefined): AwsService | undefined {
  if (target) {
    for (const [prefix, service] of TARGET_PREFIXES) if (target.startsWith(prefix)) return service;
    return undefined;
  }
  if (contentType?.toLowerCase().includes('application/x-www-form-urlencoded')) return 'sqs';
  return undefined;
}

/**
 * The service a JSON-protocol request is matched as by the fault rules (`X-Amz-Target`): its
 * emulator's, except that DynamoDB Streams has rules of its own apart from DynamoDB.
 *
 * @example
 * faultServiceOf('DynamoDBStreams_20120810.GetRecords') // 'dynamodbstreams'
 */
export function faultServiceOf(target: string | undefined): FaultService | undefined {
  const service = routeRequest(target, undefined);
  return service && target?.startsWith('DynamoDBStreams_') ? 'dynamodbstreams' : service;
}

const SOURCE_WRITES: Readonly<Record<string, SourceWrite>> = {
  'Kinesis_20131202.PutRecord': 'kinesis',
  'Kinesis_20131202.PutRecords': 'kinesis',
  'DynamoDB_20120810.PutItem': 'dynamodb',
  'DynamoDB_20120810.UpdateItem': 'dynamodb',
  'DynamoDB_20120810.DeleteItem': 'dynamodb',
  'DynamoDB_20120810.BatchWriteItem': 'dynamodb',
  'DynamoDB_20120810.TransactWriteItems': 'dynamodb',
};

/** Whether a request writes to a stream source (so its pollers have new records to read). */
export function sourceWriteOf(target: string | undefined): SourceWrite | undefined {
  return target === undefined ? undefined : SOURCE_WRITES[target];
}

/** Path of the fault injection API on the endpoint. */
export const CHAOS_PATH = '/_sluice/chaos/faults';

/** Path of the settled signal (`GET /_sluice/settled?timeout=<s>`, see local/settled.ts). */
export const SETTLED_PATH = '/_sluice/settled';

/** Where the live console lives (page, assets and `api/…`; see local/console/contract.ts). */
export const CONSOLE_PATH = '/_sluice/console';

/** The Lambda REST API (`/2015-03-31/functions/...`, `/2015-03-31/event-source-mappings/...`). */
const LAMBDA_PATH = /^\/20\d\d-\d\d-\d\d\/(functions|event-source-mappings)(\/|\?|$)/;

/** What the router needs to know of a request: nothing but its line and headers (the body is not read). */
export interface RoutedRequest {
  readonly method: string;
  /** Path and query string, as on the request line. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

/** Where a request goes, decided before its body is read. */
export type Route =
  /** A local tool asked from another site (a browser page): 403. */
  | { readonly kind: 'cross-site-refused'; readonly message: string }
  | { readonly kind: 'settled' }
  | { readonly kind: 'chaos-api' }
  /** The live console: its page, assets and JSON/SSE routes (local/console/api). */
  | { readonly kind: 'console' }
  | { readonly kind: 'lambda-api' }
  /** An SQS query-protocol call (form body or `GET ?Action=`), translated to fauxqs' JSON protocol. */
  | { readonly kind: 'sqs-query' }
  /** A JSON-protocol SQS action fauxqs lacks, answered by the endpoint. */
  | { readonly kind: 'sqs-emulated'; readonly action: string }
  | { readonly kind: 'health' }
  | { readonly kind: 'unrouted'; readonly target: string | undefined }
  /** Proxied to the emulator of `service`; `faultService` is what chaos rules match it as. */
  | { readonly kind: 'emulator'; readonly service: AwsService; readonly faultService: FaultService; readonly target: string | undefined };

/**
 * Decides where one request goes: the local tools under `/_sluice/` (refused to cross-site
 * browser requests), the Lambda API, the SQS query protocol, the SQS actions the endpoint emulates,
 * or an emulator chosen by `X-Amz-Target`; a request that names none is `unrouted` (400), except
 * the health check.
 */
export function routeOf(request: RoutedRequest): Route {
  const { method, path, headers } = request;
  const target = headerValue(headers['x-amz-target']);
  const contentType = headerValue(headers['content-type']);
  if (path.startsWith('/_sluice/') || LAMBDA_PATH.test(path)) {
    const refusal = crossSiteRefusal(headers);
    if (refusal) return { kind: 'cross-site-refused', message: refusal };
  }
  if (path === SETTLED_PATH || path.startsWith(`${SETTLED_PATH}?`)) return { kind: 'settled' };
  if (path === CHAOS_PATH || path.startsWith(`${CHAOS_PATH}/`) || path.startsWith(`${CHAOS_PATH}?`)) return { kind: 'chaos-api' };
  if (path === CONSOLE_PATH || path.startsWith(`${CONSOLE_PATH}/`) || path.startsWith(`${CONSOLE_PATH}?`)) return { kind: 'console' };
  if (!target && LAMBDA_PATH.test(path)) return { kind: 'lambda-api' };
  if (!target && isSqsQueryRequest(method, path, contentType)) return { kind: 'sqs-query' };
  const service = routeRequest(target, contentType) ?? (path.startsWith('/_fauxqs') ? 'sqs' : undefined);
  if (!service) {
    if (method === 'GET' && (path === '/' || path.startsWith('/_sluice/health'))) return { kind: 'health' };
    return { kind: 'unrouted', target };
  }
  const sqsAction = target?.startsWith('AmazonSQS.') ? target.slice('AmazonSQS.'.length) : undefined;
  if (sqsAction && EMULATED_SQS_ACTIONS.has(sqsAction)) return { kind: 'sqs-emulated', action: sqsAction };
  return { kind: 'emulator', service, faultService: faultServiceOf(target) ?? service, target };
}

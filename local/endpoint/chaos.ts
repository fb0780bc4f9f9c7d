/**
 * Fault injection ("chaos") for the local AWS endpoint, in the spirit of LocalStack's chaos API:
 * rules that make matching requests fail with an AWS error, or answer late, so the functions'
 * real SDK retries, the mappings' retries and the consumers' idempotency can be tested end to end.
 */
import { queryErrorXml } from './sqs-query-response';
import { randomUUID } from 'node:crypto';

/** Services a rule can target: what the endpoint routes, with DynamoDB Streams told apart from DynamoDB. */
export const FAULT_SERVICES = ['dynamodb', 'dynamodbstreams', 'kinesis', 'sqs', 'lambda'] as const;
export type FaultService = (typeof FAULT_SERVICES)[number];

export interface FaultError {
  /** HTTP status of the error response. @default 500 */
  readonly statusCode?: number;
  /** AWS error code (`__type`), e.g. `ProvisionedThroughputExceededException`. @default the service's internal error */
  readonly code?: string;
  readonly message?: string;
}

/** A rule as posted to `POST /_sluice/chaos/faults`. */
export interface FaultRuleInput {
  readonly service: FaultService;
  /** Operation name as in `X-Amz-Target` after the dot (`TransactWriteItems`), the SQS `Action`, or the Lambda operation (`Invoke`). */
  readonly operation?: string;
  /** Substring (or substrings, all required) of the raw request body: a table name, an account id... */
  readonly match?: string | readonly string[];
  /** Chance that a matching request is hit, 0..1. @default 1 */
  readonly probability?: number;
  /** Hit this many requests, then remove the rule. @default unlimited */
  readonly times?: number;
  /** The error to answer with. Without `error` and `latencyMs`, the service's internal error (500). */
  readonly error?: FaultError;
  /** Hold the request this long; then forward it (or answer `error`, when given). */
  readonly latencyMs?: number;
}

export interface FaultRule extends FaultRuleInput {
  readonly id: string;
  /** Requests this rule has hit so far. */
  hits: number;
}

/** What the endpoint needs to know about a request to match it. */
export interface FaultRequest {
  readonly service: FaultService;
  readonly operation: string | undefined;
  readonly body: string;
}

export type FaultDecision =
  | { readonly kind: 'error'; readonly rule: FaultRule; readonly latencyMs: number; readonly error: Required<FaultError> }
  | { readonly kind: 'latency'; readonly rule: FaultRule; readonly latencyMs: number };

export class FaultValidationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FaultValidationError';
  }
}

const DEFAULT_ERRORS: Record<FaultService, Required<FaultError>> = {
  dynamodb: { statusCode: 500, code: 'InternalServerError', message: 'Internal server error (injected by sluice chaos)' },
  dynamodbstreams: { statusCode: 500, code: 'InternalServerError', message: 'Internal server error (injected by sluice chaos)' },
  kinesis: { statusCode: 500, code: 'InternalFailure', message: 'Internal failure (injected by sluice chaos)' },
  sqs: { statusCode: 500, code: 'InternalFailure', message: 'Internal failure (injected by sluice chaos)' },
  lambda: { statusCode: 500, code: 'ServiceException', message: 'Service exception (injected by sluice chaos)' },
};

/**
 * Checks one rule as posted.
 *
 * @throws FaultValidationError naming the field and the value it got
 */
export function parseFaultRule(input: unknown, index = 0): FaultRuleInput {
  const at = `faults[${index}]`;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new FaultValidationError(`${at} must be an object (got ${JSON.stringify(input)})`);
  const rule = input as Record<string, unknown>;
  if (!FAULT_SERVICES.includes(rule.service as FaultService)) {
    throw new FaultValidationError(`${at}.service must be one of ${FAULT_SERVICES.join(', ')} (got ${JSON.stringify(rule.service)})`);
  }
  if (rule.operation !== undefined && (typeof rule.operation !== 'string' || rule.operation === '')) {
    throw new FaultValidationError(`${at}.operation must be an operation name such as "TransactWriteItems" (got ${JSON.stringify(rule.operation)})`);
  }
  const matches = rule.match === undefined ? [] : Array.isArray(rule.match) ? rule.match : [rule.match];
  if (matches.some((m) => typeof m !== 'string' || m === '')) {
    throw new FaultValidationError(`${at}.match must be a non-empty string or a list of them (got ${JSON.stringify(rule.match)})`);
  }
  if (rule.probability !== undefined && (typeof rule.probability !== 'number' || !(rule.probability >= 0 && rule.probability <= 1))) {
    throw new FaultValidationError(`${at}.probability must be a number from 0 to 1 (got ${JSON.stringify(rule.probability)})`);
  }
  if (rule.times !== undefined && (!Number.isInteger(rule.times) || (rule.times as number) < 1)) {
    throw new FaultValidationError(`${at}.times must be a positive integer (got ${JSON.stringify(rule.times)})`);
  }
  if (rule.latencyMs !== undefined && (!Number.isInteger(rule.latencyMs) || (rule.latencyMs as number) < 0 || (rule.latencyMs as number) > 600_000)) {
    throw new FaultValidationError(`${at}.latencyMs must be an integer from 0 to 600000 (got ${JSON.stringify(rule.latencyMs)})`);
  }
  if (rule.error !== undefined) {
    const error = rule.error as Record<string, unknown>;
    if (typeof error !== 'object' || error === null)
      throw new FaultValidationError(`${at}.error must be an object {statusCode, code, message} (got ${JSON.stringify(rule.error)})`);
    if (error.statusCode !== undefined && (!Number.isInteger(error.statusCode) || (error.statusCode as number) < 400 || (error.statusCode as number) > 599)) {
      throw new FaultValidationError(`${at}.error.statusCode must be an HTTP error status 400-599 (got ${JSON.stringify(error.statusCode)})`);
    }
    for (const field of ['code', 'message'] as const) {
      if (error[field] !== undefined && typeof error[field] !== 'string')
        throw new FaultValidationError(`${at}.error.${field} must be a string (got ${JSON.stringify(error[field])})`);
    }
  }
  return {
    service: rule.service as FaultService,
    ...(rule.operation !== undefined ? { operation: rule.operation as string } : {}),
    ...(rule.match !== undefined ? { match: matches as string[] } : {}),
    ...(rule.probability !== undefined ? { probability: rule.probability as number } : {}),
    ...(rule.times !== undefined ? { times: rule.times as number } : {}),
    ...(rule.error !== undefined ? { error: rule.error as FaultError } : {}),
    ...(rule.latencyMs !== undefined ? { latencyMs: rule.latencyMs as number } : {}),
  };
}

/**
 * The active fault rules of one endpoint. The first rule that matches a request decides.
 *
 * @example
 * chaos.add([{ service: 'dynamodb', operation: 'TransactWriteItems', match: 'acc-1', times: 3 }]);
 */
export class FaultInjector {
  private rules: FaultRule[] = [];

  constructor(private readonly random: () => number = Math.random) {}

  /** Adds rules after the existing ones; returns them with their ids. */
  add(inputs: readonly FaultRuleInput[]): FaultRule[] {
    const added = inputs.map((input) => ({ ...input, id: randomUUID(), hits: 0 }));
    this.rules.push(...added);
    return added;
  }

  list(): readonly FaultRule[] {
    return this.rules;
  }

  /** Removes one rule (by id) or all; returns how many were removed. */
  clear(id?: string): number {
    const before = this.rules.length;
    this.rules = id === undefined ? [] : this.rules.filter((rule) => rule.id !== id);
    return before - this.rules.length;
  }

  /** Whether any rule could apply to the service (the endpoint buffers bodies only then). */
  targets(service: FaultService): boolean {
    return this.rules.some((rule) => rule.service === service);
  }

  /** Finds the rule for a request, counts the hit and retires the rule when its `times` are used up. */
  decide(request: FaultRequest): FaultDecision | undefined {
    for (const rule of this.rules) {
      if (rule.service !== request.service) continue;
      if (rule.operation !== undefined && rule.operation !== request.operation) continue;
      const matches = rule.match === undefined ? [] : typeof rule.match === 'string' ? [rule.match] : rule.match;
      if (!matches.every((m) => request.body.includes(m))) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      rule.hits += 1;
      if (rule.times !== undefined && rule.hits >= rule.times) this.rules = this.rules.filter((r) => r !== rule);
      const latencyMs = rule.latencyMs ?? 0;
      if (rule.error === undefined && rule.latencyMs !== undefined) return { kind: 'latency', rule, latencyMs };
      const fallback = DEFAULT_ERRORS[request.service];
      return {
        kind: 'error',
        rule,
        latencyMs,
        error: {
          statusCode: rule.error?.statusCode ?? fallback.statusCode,
          code: rule.error?.code ?? fallback.code,
          message: rule.error?.message ?? fallback.message,
        },
      };
    }
    return undefined;
  }
}

/** An AWS error response in the wire format of the service's protocol. */
export function faultResponse(
  service: FaultService,
  error: Required<FaultError>,
  requestId: string,
  queryProtocol: boolean,
): { status: number; headers: Record<string, string>; body: string } {
  const base = { 'x-amzn-requestid': requestId, 'x-amzn-errortype': error.code };
  switch (service) {
    case 'dynamodb':
    case 'dynamodbstreams':
      return {
        status: error.statusCode,
        headers: { ...base, 'content-type': 'application/x-amz-json-1.0' },
        body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${error.code}`, message: error.message }),
      };
    case 'kinesis':
      return {
        status: error.statusCode,
        headers: { ...base, 'content-type': 'application/x-amz-json-1.1' },
        body: JSON.stringify({ __type: error.code, message: error.message }),
      };
    case 'sqs': {
      const fault = error.statusCode >= 500 ? ('Receiver' as const) : ('Sender' as const);
      if (queryProtocol) {
        return {
          status: error.statusCode,
          headers: { 'x-amzn-requestid': requestId, 'content-type': 'text/xml' },
          body: queryErrorXml({ status: error.statusCode, type: fault, code: error.code, message: error.message }, requestId),
        };
      }
      return {
        status: error.statusCode,
        headers: { ...base, 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': `${error.code};${fault}` },
        body: JSON.stringify({ __type: `com.amazonaws.sqs#${error.code}`, message: error.message }),
      };
    }
    case 'lambda':
      return {
        status: error.statusCode,
        headers: { ...base, 'content-type': 'application/json' },
        body: JSON.stringify({ Type: error.statusCode >= 500 ? 'Service' : 'User', message: error.message }),
      };
  }
}

/** The operation a request names: after the dot of `X-Amz-Target`, or the form's `Action`. */
export function operationOf(target: string | undefined, body: string, queryProtocol: boolean): string | undefined {
  if (target) return target.slice(target.indexOf('.') + 1);
  if (queryProtocol) return new URLSearchParams(body).get('Action') ?? undefined;
  return undefined;
}

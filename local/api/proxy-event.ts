/**
 * The Lambda proxy integration of API Gateway REST APIs (payload format 1.0): the event the
 * function receives and how its result becomes the HTTP response.
 */
import { LOCAL_ACCOUNT } from '../model';

export interface ProxyRequest {
  readonly method: string;
  /** Request path without the stage prefix and query string, as the client sent it. */
  readonly path: string;
  readonly resourcePath: string;
  /** Raw header pairs in arrival order, names as sent (Node's `rawHeaders`). */
  readonly rawHeaders: readonly string[];
  /** Raw query string without `?`. */
  readonly query: string;
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly body: string;
  readonly sourceIp: string;
  readonly stage: string;
  readonly apiId: string;
  readonly requestId: string;
  readonly apiKey?: string;
  readonly now: Date;
}

/** Header values by name (last value wins) and all values by name, names as sent. */
export function headerMaps(rawHeaders: readonly string[]): { headers: Record<string, string>; multiValueHeaders: Record<string, string[]> } {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    const value = rawHeaders[i + 1];
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  return { headers, multiValueHeaders };
}

/** Query parameters by name (last value wins) and all values by name. */
export function queryMaps(query: string): { single: Record<string, string>; multi: Record<string, string[]> } {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of new URLSearchParams(query)) {
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  return { single, multi };
}

const orNull = <T extends object>(value: T): T | null => (Object.keys(value).length > 0 ? value : null);

function requestTime(now: Date): string {
  // API Gateway's CLF-style time: 09/Apr/2015:12:34:56 +0000
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(now.getUTCDate())}/${months[now.getUTCMonth()]}/${now.getUTCFullYear()}:${pad(now.getUTCHours())}:${pad(now.getUTCMinutes())}:${pad(now.getUTCSeconds())} +0000`;
}

/** The API Gateway REST v1 proxy event. */
export function buildProxyEvent(request: ProxyRequest) {
  const { headers, multiValueHeaders } = headerMaps(request.rawHeaders);
  const query = queryMaps(request.query);
  const host = Object.entries(headers).find(([name]) => name.toLowerCase() === 'host')?.[1] ?? 'localhost';
  const userAgent = Object.entries(headers).find(([name]) => name.toLowerCase() === 'user-agent')?.[1] ?? null;
  return {
    resource: request.resourcePath,
    path: request.path,
    httpMethod: request.method,
    headers: orNull(headers),
    multiValueHeaders: orNull(multiValueHeaders),
    queryStringParameters: orNull(query.single),
    multiValueQueryStringParameters: orNull(query.multi),
    pathParameters: orNull({ ...request.pathParameters }),
    stageVariables: null,
    requestContext: {
      resourceId: request.resourcePath,
      resourcePath: request.resourcePath,
      httpMethod: request.method,
      extendedRequestId: request.requestId,
      requestTime: requestTime(request.now),
      path: `/${request.stage}${request.path}`,
      accountId: LOCAL_ACCOUNT,
      protocol: 'HTTP/1.1',
      stage: request.stage,
      domainPrefix: host.split('.')[0],
      requestTimeEpoch: request.now.getTime(),
      requestId: request.requestId,
      identity: {
        cognitoIdentityPoolId: null,
        accountId: null,
        cognitoIdentityId: null,
        caller: null,
        sourceIp: request.sourceIp,
        principalOrgId: null,
        accessKey: null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: null,
        userAgent,
        user: null,
        apiKey: request.apiKey ?? null,
        apiKeyId: request.apiKey ? 'local-api-key' : null,
      },
      domainName: host,
      apiId: request.apiId,
    },
    body: request.body === '' ? null : request.body,
    isBase64Encoded: false,
  };
}

export interface ProxyResponse {
  readonly statusCode: number;
  /** Header name → values; several values become repeated header lines. */
  readonly headers: Readonly<Record<string, readonly string[]>>;
  readonly body: Buffer;
}

/**
 * Reads a function's proxy result; undefined when it is malformed (API Gateway then answers 502).
 */
export function parseProxyResult(result: unknown): ProxyResponse | undefined {
  if (result === null || typeof result !== 'object' || Array.isArray(result)) return undefined;
  const value = result as Record<string, unknown>;
  const statusCode = typeof value.statusCode === 'number' ? value.statusCode : typeof value.statusCode === 'string' ? Number(value.statusCode) : NaN;
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) return undefined;
  if (value.body !== undefined && value.body !== null && typeof value.body !== 'string') return undefined;
  const headers: Record<string, string[]> = {};
  if (value.multiValueHeaders !== undefined && value.multiValueHeaders !== null) {
    if (typeof value.multiValueHeaders !== 'object') return undefined;
    for (const [name, values] of Object.entries(value.multiValueHeaders as Record<string, unknown>)) {
      if (!Array.isArray(values)) return undefined;
      headers[name.toLowerCase()] = values.map(String);
    }
  }
  if (value.headers !== undefined && value.headers !== null) {
    if (typeof value.headers !== 'object') return undefined;
    for (const [name, item] of Object.entries(value.headers as Record<string, unknown>)) {
      // API Gateway merges both maps; a single-value header is added to the multi-value list.
      const key = name.toLowerCase();
      if (!(headers[key] ?? []).includes(String(item))) headers[key] = [...(headers[key] ?? []), String(item)];
    }
  }
  const text = typeof value.body === 'string' ? value.body : '';
  const body = value.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  return { statusCode, headers, body };
}

import type { APIGatewayProxyResult } from 'aws-lambda';

/**
 * A JSON response for an API Gateway (REST, proxy) integration.
 *
 * @example
 * json(201, { accountId: 'a1', version: 1 })
 */
export function json(statusCode: number, body: unknown): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}

/**
 * The response with the request's `traceparent` header, so a client can follow (`sluice trace`)
 * what it sent, also when it sent no traceparent and the API started the trace.
 *
 * @example
 * withTraceparent(json(201, body), trace.traceparent).headers.traceparent // '00-…-01'
 */
export function withTraceparent(response: APIGatewayProxyResult, traceparent: string): APIGatewayProxyResult {
  return { ...response, headers: { ...response.headers, traceparent } };
}

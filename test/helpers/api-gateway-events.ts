import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/**
 * An API Gateway REST (v1) proxy event, as API Gateway sends it for `resource`.
 *
 * @example
 * apiEvent('POST', '/accounts/{id}/deposits', { id: 'a1' }, { amount: 100 })
 */
export function apiEvent(
  method: string,
  resource: string,
  pathParameters: Record<string, string> = {},
  body?: unknown,
  query?: Record<string, string>,
): APIGatewayProxyEvent {
  const path = resource.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(pathParameters[name]));
  return {
    httpMethod: method,
    resource,
    path,
    pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : null,
    queryStringParameters: query ?? null,
    multiValueQueryStringParameters: null,
    headers: { 'content-type': 'application/json' },
    multiValueHeaders: {},
    body: body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body),
    isBase64Encoded: false,
    stageVariables: null,
    requestContext: {} as APIGatewayProxyEvent['requestContext'],
  };
}

/** The parsed JSON body of a response. */
export function bodyOf(response: APIGatewayProxyResult): any {
  return JSON.parse(response.body);
}

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

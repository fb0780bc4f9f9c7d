import type { APIGatewayProxyEvent } from 'aws-lambda';

/** The body part of an API Gateway REST proxy event, with `body` serialised as API Gateway does. */
export function jsonBody(body: unknown): Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'> {
  return { body: typeof body === 'string' ? body : JSON.stringify(body), isBase64Encoded: false };
}

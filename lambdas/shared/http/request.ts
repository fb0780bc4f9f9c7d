import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as z from '../zod';
import { zodIssues } from '../envelope';
import { SluiceError, ValidationError } from '../errors';

/** The request body is not JSON (or is missing). The HTTP edge maps it to 400 `invalid_json`. */
export class InvalidJsonError extends SluiceError {
  public constructor(message: string, options?: ErrorOptions) {
    super('invalid_json', message, options);
    this.name = 'InvalidJsonError';
  }
}

/**
 * The request body parsed as JSON (base64 bodies decoded).
 *
 * @throws {InvalidJsonError} when the body is missing or not JSON.
 */
export function parseJsonBody(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): unknown {
  if (event.body === null || event.body === undefined || event.body === '') {
    throw new InvalidJsonError('the request has no body; send a JSON object with content-type application/json');
  }
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidJsonError(`the request body is not valid JSON (${(error as Error).message}); send a JSON object`, { cause: error });
  }
}

/**
 * The request body parsed as JSON and validated against a schema.
 *
 * @example
 * const { amount } = parseBody(event, z.object({ amount: z.int().check(z.positive()) }));
 * @throws {InvalidJsonError} for a body that is not JSON; {ValidationError} naming every bad field.
 */
export function parseBody<T>(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>, schema: z.core.$ZodType<T>): T {
  const result = z.safeParse(schema, parseJsonBody(event));
  if (!result.success) throw new ValidationError('the request body is invalid', zodIssues(result.error));
  return result.data;
}

import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as z from '../zod';
import { zodIssues } from '../envelope';
import { SluiceError, ValidationError } from '../errors';
import { PayloadTooLargeError } from './payload-too-large';

/**
 * The largest body a route reads unless it says otherwise: a command is a few hundred bytes, so
 * 64 KiB leaves room for any valid one while a multi-megabyte body of whitespace is still a 413.
 */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** The request body is not JSON (or is missing). HTTP 400 `invalid_json`. */
export class InvalidJsonError extends SluiceError {
  public constructor(message: string, options?: ErrorOptions) {
    super('invalid_json', message, { ...options, httpStatus: 400 });
    this.name = 'InvalidJsonError';
  }
}

/** The request's `Content-Type` is not JSON. HTTP 415 `unsupported_media_type`. */
export class UnsupportedMediaTypeError extends SluiceError {
  public readonly contentType: string;
  public constructor(contentType: string) {
    super('unsupported_media_type', `the request body must be JSON, but its Content-Type is "${contentType}"; send it with Content-Type: application/json`, {
      httpStatus: 415,
    });
    this.name = 'UnsupportedMediaTypeError';
    this.contentType = contentType;
  }
}

/** `application/json`, `application/json; charset=utf-8`, `application/cloudevents+json`… */
const JSON_MEDIA_TYPE = /^application\/([a-z0-9.+-]+\+)?json$/;

/**
 * Refuses a body whose `Content-Type` is not JSON, before anything reads it. A request without
 * the header counts as JSON, as API Gateway treats it (it applies the `application/json` model).
 *
 * @throws {UnsupportedMediaTypeError}
 */
export function assertJsonContentType(headers: APIGatewayProxyEvent['headers'] | null | undefined): void {
  const entry = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type');
  const value = entry?.[1];
  if (value === undefined || value === null) return;
  const mediaType = value.split(';')[0].trim().toLowerCase();
  if (!JSON_MEDIA_TYPE.test(mediaType)) throw new UnsupportedMediaTypeError(value.slice(0, 100));
}

/** The parts of a proxy event the body readers need; `headers` is optional for callers that only have a body. */
export type BodyEvent = Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'> & Partial<Pick<APIGatewayProxyEvent, 'headers'>>;

/** Size of the body in bytes (decoded when API Gateway base64-encoded it). */
export function bodyBytes(event: BodyEvent): number {
  if (!event.body) return 0;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').byteLength : Buffer.byteLength(event.body, 'utf8');
}

/**
 * Refuses a body over the route's limit before it is parsed (the input rules' 413 up to the
 * gateway's 10 MB; bodies past Lambda's 6 MB invoke limit are refused by the gateway itself).
 *
 * @throws {PayloadTooLargeError}
 */
export function assertBodySize(event: BodyEvent, maxBytes: number, advice = 'send a smaller body'): void {
  const size = bodyBytes(event);
  if (size > maxBytes) throw new PayloadTooLargeError(`the request body is ${size} bytes; this route accepts at most ${maxBytes} bytes, ${advice}`, size, maxBytes);
}

/**
 * The request body parsed as JSON (base64 bodies decoded), after checking its Content-Type and size.
 *
 * @throws {UnsupportedMediaTypeError} for a non-JSON Content-Type; {PayloadTooLargeError} over
 * `maxBytes`; {InvalidJsonError} when the body is missing or not JSON.
 */
export function parseJsonBody(event: BodyEvent, maxBytes = DEFAULT_MAX_BODY_BYTES): unknown {
  assertJsonContentType(event.headers);
  assertBodySize(event, maxBytes);
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
export function parseBody<T>(event: BodyEvent, schema: z.core.$ZodType<T>): T {
  const result = z.safeParse(schema, parseJsonBody(event));
  if (!result.success) throw new ValidationError('the request body is invalid', zodIssues(result.error));
  return result.data;
}

/**
 * A path parameter checked against its schema (e.g. the account id pattern), so a malformed id is
 * a 400 naming the parameter instead of reaching a table key.
 *
 * @throws {ValidationError} (field = the parameter's name) when it is missing or does not match.
 */
export function pathParam<T>(params: Readonly<Record<string, string>>, name: string, schema: z.core.$ZodType<T>): T {
  const result = z.safeParse(schema, params[name]);
  if (!result.success) throw new ValidationError(`the ${name} in the path is invalid`, zodIssues(result.error, name));
  return result.data;
}

/**
 * API Gateway gateway responses: the responses API Gateway itself sends (missing route, bad API
 * key, invalid body, function error...), rendered from the app's GatewayResponse templates with
 * DEFAULT_4XX / DEFAULT_5XX and then API Gateway's built-in defaults as fallbacks.
 */
import type { LocalGatewayResponse } from '../model';

export type GatewayResponseType =
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'INVALID_API_KEY'
  | 'BAD_REQUEST_BODY'
  | 'BAD_REQUEST_PARAMETERS'
  | 'REQUEST_TOO_LARGE'
  | 'THROTTLED'
  | 'INTEGRATION_FAILURE'
  | 'INTEGRATION_TIMEOUT'
  | 'DEFAULT_4XX'
  | 'DEFAULT_5XX';

/** API Gateway's status code and message for each response type it can send here. */
export const BUILT_IN_RESPONSES: Readonly<Record<GatewayResponseType, { statusCode: number; message: string; errorType: string }>> = {
  MISSING_AUTHENTICATION_TOKEN: { statusCode: 403, message: 'Missing Authentication Token', errorType: 'MissingAuthenticationTokenException' },
  INVALID_API_KEY: { statusCode: 403, message: 'Forbidden', errorType: 'ForbiddenException' },
  BAD_REQUEST_BODY: { statusCode: 400, message: 'Invalid request body', errorType: 'BadRequestException' },
  BAD_REQUEST_PARAMETERS: { statusCode: 400, message: 'Missing required request parameters', errorType: 'BadRequestException' },
  REQUEST_TOO_LARGE: { statusCode: 413, message: 'Request Too Long', errorType: 'RequestTooLongException' },
  THROTTLED: { statusCode: 429, message: 'Too Many Requests', errorType: 'TooManyRequestsException' },
  INTEGRATION_FAILURE: { statusCode: 502, message: 'Internal server error', errorType: 'InternalServerErrorException' },
  INTEGRATION_TIMEOUT: { statusCode: 504, message: 'Endpoint request timed out', errorType: 'InternalServerErrorException' },
  DEFAULT_4XX: { statusCode: 400, message: 'Bad Request', errorType: 'BadRequestException' },
  DEFAULT_5XX: { statusCode: 500, message: 'Internal server error', errorType: 'InternalServerErrorException' },
};

export interface GatewayErrorContext {
  readonly type: GatewayResponseType;
  /** Overrides the type's built-in message (e.g. the parameter list of BAD_REQUEST_PARAMETERS). */
  readonly message?: string;
  readonly validationErrorString?: string;
  /** Overrides the type's built-in status code (a function error is 502 under DEFAULT_5XX). */
  readonly statusCode?: number;
  readonly requestId: string;
  readonly stage: string;
  readonly resourcePath?: string;
  readonly httpMethod?: string;
}

export interface RenderedResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A JSON string body of the text without its quotes: what `"$…validationErrorString"` needs. */
function escapeJsonContent(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** Substitutes the `$context` variables API Gateway offers in gateway response templates. */
export function renderTemplate(template: string, context: GatewayErrorContext): string {
  const message = context.message ?? BUILT_IN_RESPONSES[context.type].message;
  const values: Record<string, string> = {
    'context.error.messageString': JSON.stringify(message),
    'context.error.message': message,
    'context.error.validationErrorString': escapeJsonContent(context.validationErrorString ?? ''),
    'context.error.responseType': context.type,
    'context.requestId': context.requestId,
    'context.extendedRequestId': context.requestId,
    'context.stage': context.stage,
    'context.resourcePath': context.resourcePath ?? '',
    'context.httpMethod': context.httpMethod ?? '',
  };
  // The whole dotted name is taken, so `messageString` is never read as `message`; `${x}` and `$x` both work.
  return template.replace(
    /\$\{(context(?:\.[A-Za-z]+)+)\}|\$(context(?:\.[A-Za-z]+)+)/g,
    (whole, braced: string | undefined, bare: string | undefined) => values[braced ?? bare ?? ''] ?? whole,
  );
}

/**
 * Renders the gateway response for an error: the app's response for the type, else its
 * DEFAULT_4XX/DEFAULT_5XX, else API Gateway's `{"message": …}`. The status code is the type's
 * own (as configured, else API Gateway's), because a DEFAULT_* response changes only the shape.
 */
export function renderGatewayResponse(configured: readonly LocalGatewayResponse[], context: GatewayErrorContext): RenderedResponse {
  const builtIn = BUILT_IN_RESPONSES[context.type];
  const statusCode = context.statusCode ?? builtIn.statusCode;
  const family = statusCode >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
  const own = configured.find((response) => response.type === context.type);
  const fallback = configured.find((response) => response.type === family);
  const source = own ?? fallback;
  const template = source?.templates['application/json'] ?? Object.values(source?.templates ?? {})[0] ?? '{"message":$context.error.messageString}';
  const configuredStatus = own?.statusCode ?? (context.type === family ? fallback?.statusCode : undefined);
  return {
    statusCode: configuredStatus ? Number(configuredStatus) : statusCode,
    headers: {
      'content-type': 'application/json',
      ...lowerCaseKeys(fallback?.headers ?? {}),
      ...lowerCaseKeys(own?.headers ?? {}),
      'x-amzn-errortype': builtIn.errorType,
    },
    body: renderTemplate(template, context),
  };
}

function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

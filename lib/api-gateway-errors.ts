import * as apigateway from 'aws-cdk-lib/aws-apigateway';

/** What a caller whose body is too large reads, from the gateway (over 10 MB) and from the WAF rule (over 6 MB) alike. */
export const PAYLOAD_TOO_LARGE_MESSAGE = 'the request body is too large: send at most 500 events and 5 MB per request';

/** A gateway response's message: fixed text, or an API Gateway `$context` variable it fills in. */
export type GatewayMessage = { readonly text: string } | { readonly variable: string };

/** An error API Gateway answers itself, before (or instead of) a function, in the contract's `{error, message}` shape. */
export interface GatewayError {
  /** Construct id of the gateway response (part of the logical id: keep it stable). */
  readonly id: string;
  readonly type: apigateway.ResponseType;
  /** @default - API Gateway's own status for the type (the DEFAULT_* responses only change the shape) */
  readonly status?: number;
  readonly error: string;
  readonly message: GatewayMessage;
  /** Whether every route can answer it (API key, throttling), so the OpenAPI document lists it on each. */
  readonly everyRoute?: boolean;
}

/**
 * The gateway responses of the API: lib/ingestion-api.ts installs them, lib/openapi.ts documents
 * those with a fixed message on every route they apply to.
 */
export const GATEWAY_ERRORS: readonly GatewayError[] = [
  {
    id: 'BadRequestBody',
    type: apigateway.ResponseType.BAD_REQUEST_BODY,
    status: 400,
    error: 'validation_failed',
    message: { variable: '"$context.error.validationErrorString"' },
  },
  {
    id: 'BadRequestParameters',
    type: apigateway.ResponseType.BAD_REQUEST_PARAMETERS,
    status: 400,
    error: 'validation_failed',
    message: { variable: '"$context.error.validationErrorString"' },
  },
  {
    id: 'InvalidApiKey',
    type: apigateway.ResponseType.INVALID_API_KEY,
    status: 403,
    error: 'forbidden',
    message: { text: 'missing or invalid API key: send it in the x-api-key header' },
    everyRoute: true,
  },
  {
    id: 'MissingRoute',
    type: apigateway.ResponseType.MISSING_AUTHENTICATION_TOKEN,
    status: 404,
    error: 'not_found',
    message: { text: 'no such route: check the method and path against the API routes in the README' },
  },
  { id: 'TooLarge', type: apigateway.ResponseType.REQUEST_TOO_LARGE, status: 413, error: 'payload_too_large', message: { text: PAYLOAD_TOO_LARGE_MESSAGE } },
  // A proxy integration passes any Content-Type through, so the functions answer 415 themselves;
  // this keeps the shape for the cases API Gateway decides on its own.
  {
    id: 'UnsupportedMediaType',
    type: apigateway.ResponseType.UNSUPPORTED_MEDIA_TYPE,
    status: 415,
    error: 'unsupported_media_type',
    message: { text: 'the request body must be JSON: send it with Content-Type: application/json' },
  },
  {
    id: 'Throttled',
    type: apigateway.ResponseType.THROTTLED,
    status: 429,
    error: 'throttled',
    message: { text: 'too many requests: retry with exponential backoff' },
    everyRoute: true,
  },
  // Defaults keep API Gateway's own status code; only the body shape changes.
  { id: 'Default4xx', type: apigateway.ResponseType.DEFAULT_4XX, error: 'request_rejected', message: { variable: '$context.error.messageString' } },
  { id: 'Default5xx', type: apigateway.ResponseType.DEFAULT_5XX, error: 'internal_error', message: { variable: '$context.error.messageString' } },
];

/** The response template of a gateway error: `{"error": code, "message": text}`. */
export function gatewayErrorTemplate({ error, message }: GatewayError): string {
  const text = 'text' in message ? JSON.stringify(message.text) : message.variable;
  return `{"error":"${error}","message":${text}}`;
}

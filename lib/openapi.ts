import { errorResponse } from '../lambdas/shared/http/error-responses';
import { IDEMPOTENCY_KEY_HEADER, idempotencyKeySchema, REPLAYED_HEADER } from '../lambdas/shared/http/idempotency';
import type * as z from '../lambdas/shared/zod';
import { jsonSchemaOf } from './api-models';
import { GATEWAY_ERRORS } from './api-gateway-errors';
import { errorBody } from './api-responses';
import { API_ROUTES, type ApiRoute } from './api-routes';

/** Where the document is written (and served by the local API at `GET /openapi.json`). */
export const OPENAPI_FILE = 'docs/openapi.json';

/** The security scheme every route requires: the API key in the `x-api-key` header. */
const API_KEY_SCHEME = 'apiKey';

type Json = Record<string, unknown>;

/** An error response as the caller reads it: status, code, and the body with a real message. */
interface DocumentedError {
  readonly status: number;
  readonly code: string;
  /** Unique within a route: the error class or the gateway response that answers it. */
  readonly name: string;
  readonly body: Json;
}

/**
 * The OpenAPI 3.0 document of the HTTP API, generated from {@link API_ROUTES}: every schema comes
 * from the zod schemas the functions validate with and the API Gateway models are generated from
 * (request bodies are the models themselves, under `components.schemas` by model name), and every
 * error response is rendered by the functions' own `errorResponse`.
 *
 * @example
 * buildOpenApiDocument().paths['/accounts'].post.requestBody // { $ref: '#/components/schemas/OpenAccount' } …
 */
export function buildOpenApiDocument(): Json {
  const paths: Record<string, Json> = {};
  for (const route of API_ROUTES) paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route) };
  const models = new Map(API_ROUTES.flatMap((route) => (route.body ? [[route.body.name, route.body] as const] : [])));
  return {
    openapi: '3.0.3',
    info: {
      title: 'sluice HTTP API',
      version: '1',
      description: 'Event ingestion and event-sourced accounts. Generated from the zod schemas by `npm run openapi`; do not edit by hand.',
    },
    servers: [
      { url: 'http://localhost:3000', description: 'The local cloud (`npm start`; `SLUICE_API_PORT` moves it); API key `local-dev-key`' },
      {
        url: 'https://{restApiId}.execute-api.{region}.amazonaws.com/{stage}',
        description: 'A deployed stage: the `ApiUrl` output; the key through the `ApiKeyId` output',
        variables: { restApiId: { default: 'abc123' }, region: { default: 'us-east-1' }, stage: { default: 'dev' } },
      },
    ],
    security: [{ [API_KEY_SCHEME]: [] }],
    paths,
    components: {
      securitySchemes: {
        [API_KEY_SCHEME]: {
          type: 'apiKey',
          in: 'header',
          name: 'x-api-key',
          description: 'The API key of the stage (locally `local-dev-key`, or `SLUICE_API_KEY`)',
        },
      },
      schemas: Object.fromEntries(
        [...models].map(([name, { schema, description }]) => [name, { title: name, ...(description ? { description } : {}), ...openApiSchema(schema, 'input') }]),
      ),
    },
  };
}

/** The document as `docs/openapi.json` holds it. */
export function renderOpenApiJson(): string {
  return `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
}

function openApiSchema(schema: z.core.$ZodType, io: 'input' | 'output'): Json {
  return jsonSchemaOf(schema, 'openapi-3.0', io);
}

function operation(route: ApiRoute): Json {
  return {
    operationId: route.operationId,
    summary: route.summary,
    parameters: parameters(route),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${route.body.name}` } } } } } : {}),
    responses: {
      [route.success.status]: {
        description: route.success.description,
        ...(route.idempotent
          ? {
              headers: {
                [REPLAYED_HEADER]: {
                  description: 'true on a repeat of an Idempotency-Key: this is the first response again',
                  schema: { type: 'string', enum: ['true'] },
                },
              },
            }
          : {}),
        content: { 'application/json': { schema: openApiSchema(route.success.schema, 'output') } },
      },
      ...errorResponses(route),
    },
  };
}

function parameters(route: ApiRoute): Json[] {
  const path = Object.entries(route.pathParameters ?? {}).map(([name, schema]) => ({ name, in: 'path', required: true, schema: openApiSchema(schema, 'input') }));
  const query = Object.entries<z.core.$ZodType>(route.query?.shape ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: false,
    schema: openApiSchema(schema, 'input'),
  }));
  const header = route.idempotent
    ? [
        {
          name: IDEMPOTENCY_KEY_HEADER,
          in: 'header',
          required: false,
          description: 'Makes a retry safe: a repeat with the same body within 24 h gets the first response',
          schema: openApiSchema(idempotencyKeySchema, 'input'),
        },
      ]
    : [];
  return [...path, ...query, ...header];
}

/** The route's error responses by status: the functions' errors, the gateway's own (API key, throttling) and the 500. */
function errorResponses(route: ApiRoute): Json {
  const documented: DocumentedError[] = [
    ...route.errors.map((error) => rendered(error.name, error)),
    ...GATEWAY_ERRORS.flatMap((gateway) =>
      gateway.everyRoute && gateway.status && 'text' in gateway.message
        ? [{ status: gateway.status, code: gateway.error, name: gateway.id, body: { error: gateway.error, message: gateway.message.text } }]
        : [],
    ),
    rendered('InternalError', new Error('anything the functions did not expect')),
  ];
  const statuses = [...new Set(documented.map(({ status }) => status))].sort((a, b) => a - b);
  return Object.fromEntries(
    statuses.map((status) => {
      const errors = documented.filter((error) => error.status === status);
      const codes = [...new Set(errors.map(({ code }) => code))] as [string, ...string[]];
      return [
        status,
        {
          description: codes.join(', '),
          content: {
            'application/json': {
              schema: openApiSchema(errorBody(codes), 'output'),
              examples: Object.fromEntries(errors.map(({ name, body }) => [name, { value: body }])),
            },
          },
        },
      ];
    }),
  );
}

/** An error as `errorResponse` answers it. */
function rendered(name: string, error: Error): DocumentedError {
  const response = errorResponse(error);
  const body = JSON.parse(response.body) as Json;
  return { status: response.statusCode, code: String(body.error), name, body };
}

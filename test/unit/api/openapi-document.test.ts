import * as path from 'node:path';
import { buildOpenApiDocument, OPENAPI_FILE, renderOpenApiJson } from '../../../lib/openapi';
import { readGoldenFile } from '../../helpers/golden-file';

const FILE = path.resolve(__dirname, '../../..', OPENAPI_FILE);

type Operation = {
  security?: unknown;
  requestBody?: { content: Record<string, { schema: { $ref: string } }> };
  responses: Record<string, { content: Record<string, { examples?: Record<string, { value: { error: string } }> }> }>;
};
const document = buildOpenApiDocument() as {
  openapi: string;
  security: unknown;
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
};

/** `{ status: [codes] }` of an operation's error responses, from their examples. */
function errorCodes(operation: Operation): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(operation.responses)
      .filter(([status]) => Number(status) >= 400)
      .map(([status, response]) => [
        status,
        [...new Set(Object.values(response.content['application/json'].examples ?? {}).map(({ value }) => value.error))].sort(),
      ]),
  );
}

describe('the OpenAPI document', () => {
  it(`is current in ${OPENAPI_FILE} (regenerate: npm run openapi)`, () => {
    const rendered = renderOpenApiJson();

    expect(readGoldenFile(FILE, rendered, 'UPDATE_OPENAPI')).toBe(rendered);
  });

  it("lists DESIGN.md's routes and methods", () => {
    expect(Object.entries(document.paths).flatMap(([route, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${route}`))).toEqual([
      'POST /events',
      'POST /accounts',
      'POST /accounts/{id}/deposits',
      'POST /accounts/{id}/withdrawals',
      'GET /accounts/{id}',
      'GET /accounts/{id}/transactions',
    ]);
  });

  it('requires the x-api-key header on every route', () => {
    expect(document.openapi).toBe('3.0.3');
    expect(document.components.securitySchemes).toEqual({ apiKey: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'x-api-key' }) });
    expect(document.security).toEqual([{ apiKey: [] }]);
    expect(
      Object.values(document.paths)
        .flatMap(Object.values)
        .filter((operation) => operation.security !== undefined),
    ).toEqual([]);
  });

  it('names the request body model of each POST', () => {
    const bodies = Object.entries(document.paths).map(([route, operations]) => [route, operations.post?.requestBody?.content['application/json'].schema.$ref]);

    expect(Object.fromEntries(bodies.filter(([, ref]) => ref))).toEqual({
      '/events': '#/components/schemas/PostEvents',
      '/accounts': '#/components/schemas/OpenAccount',
      '/accounts/{id}/deposits': '#/components/schemas/DepositCommand',
      '/accounts/{id}/withdrawals': '#/components/schemas/AmountCommand',
    });
  });

  // DESIGN.md's table and input rules; 403/429 are the gateway's (key, throttling), 500 any unexpected failure.
  const gateway = { 403: ['forbidden'], 429: ['throttled'], 500: ['internal_error'] };
  const body = { 400: ['invalid_json', 'validation_failed'], 413: ['payload_too_large'], 415: ['unsupported_media_type'] };
  const idempotent = { 409: ['request_in_progress'], 422: ['idempotency_key_reused'] };
  it.each([
    ['post', '/events', 202, { ...gateway, ...body }],
    ['post', '/accounts', 201, { ...gateway, ...body, 409: ['account_exists', 'request_in_progress'], 422: ['idempotency_key_reused'] }],
    ['post', '/accounts/{id}/deposits', 201, { ...gateway, ...body, ...idempotent, 404: ['account_not_found'], 409: ['request_in_progress', 'version_conflict'] }],
    [
      'post',
      '/accounts/{id}/withdrawals',
      201,
      { ...gateway, ...body, 404: ['account_not_found'], 409: ['request_in_progress', 'version_conflict'], 422: ['idempotency_key_reused', 'insufficient_funds'] },
    ],
    ['get', '/accounts/{id}', 200, { ...gateway, 400: ['validation_failed'], 404: ['account_not_found'] }],
    ['get', '/accounts/{id}/transactions', 200, { ...gateway, 400: ['validation_failed'], 404: ['account_not_found'] }],
  ])('%s %s answers %i, and its errors with their statuses and codes', (method, route, success, errors) => {
    const operation = document.paths[route][method];

    expect(Object.keys(operation.responses).filter((status) => Number(status) < 400)).toEqual([String(success)]);
    expect(errorCodes(operation)).toEqual(Object.fromEntries(Object.entries(errors).map(([status, codes]) => [status, [...codes].sort()])));
  });
});

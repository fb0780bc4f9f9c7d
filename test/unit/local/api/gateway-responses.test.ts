import type { LocalGatewayResponse } from '../../../../local/model';
import { renderGatewayResponse, renderTemplate } from '../../../../local/api/gateway-responses';

// The app's own responses (lib/ingestion-api.ts), as the template loader resolves them.
const json = (error: string, message: string) => ({ 'application/json': `{"error":"${error}","message":${message}}` });
const configured: LocalGatewayResponse[] = [
  {
    type: 'BAD_REQUEST_BODY',
    statusCode: '400',
    headers: { 'Content-Type': 'application/json' },
    templates: json('validation_failed', '"$context.error.validationErrorString"'),
  },
  { type: 'MISSING_AUTHENTICATION_TOKEN', statusCode: '404', headers: {}, templates: json('not_found', '"no such route"') },
  { type: 'DEFAULT_4XX', headers: { 'Access-Control-Allow-Origin': '*' }, templates: json('request_rejected', '$context.error.messageString') },
  { type: 'DEFAULT_5XX', headers: {}, templates: json('internal_error', '$context.error.messageString') },
];
const base = { requestId: 'req-1', stage: 'dev' };

describe('gateway responses', () => {
  it('substitutes the validation error string escaped for a JSON string', () => {
    const rendered = renderGatewayResponse(configured, {
      ...base,
      type: 'BAD_REQUEST_BODY',
      validationErrorString: '[object has missing required properties (["owner"])]',
    });
    expect(rendered.statusCode).toBe(400);
    expect(JSON.parse(rendered.body)).toEqual({ error: 'validation_failed', message: '[object has missing required properties (["owner"])]' });
  });

  it('substitutes the message string as a JSON string literal', () => {
    expect(renderTemplate('{"m":$context.error.messageString}', { ...base, type: 'INVALID_API_KEY', message: 'say "hi"' })).toBe('{"m":"say \\"hi\\""}');
  });

  it('substitutes the response type and request id', () => {
    expect(renderTemplate('$context.error.responseType $context.requestId', { ...base, type: 'THROTTLED' })).toBe('THROTTLED req-1');
  });

  it('uses the configured status code of the type', () => {
    expect(renderGatewayResponse(configured, { ...base, type: 'MISSING_AUTHENTICATION_TOKEN' }).statusCode).toBe(404);
  });

  it('falls back to DEFAULT_4XX for the shape and keeps the type own status code', () => {
    const rendered = renderGatewayResponse(configured, { ...base, type: 'INVALID_API_KEY' });
    expect(rendered.statusCode).toBe(403);
    expect(JSON.parse(rendered.body)).toEqual({ error: 'request_rejected', message: 'Forbidden' });
    expect(rendered.headers['access-control-allow-origin']).toBe('*');
    expect(rendered.headers['x-amzn-errortype']).toBe('ForbiddenException');
  });

  it('shapes a function error as a 502 through DEFAULT_5XX', () => {
    const rendered = renderGatewayResponse(configured, { ...base, type: 'DEFAULT_5XX', statusCode: 502, message: 'Internal server error' });
    expect(rendered.statusCode).toBe(502);
    expect(JSON.parse(rendered.body)).toEqual({ error: 'internal_error', message: 'Internal server error' });
  });

  it('uses API Gateway defaults when the app configures nothing', () => {
    const rendered = renderGatewayResponse([], { ...base, type: 'REQUEST_TOO_LARGE' });
    expect(rendered).toMatchObject({ statusCode: 413, body: '{"message":"Request Too Long"}' });
  });
});

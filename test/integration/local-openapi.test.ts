import * as fs from 'node:fs';
import * as path from 'node:path';
import { ulid } from 'ulid';
import { OPENAPI_FILE } from '../../lib/openapi';
import { api, apiWithoutKey } from './support/http';

type Document = {
  paths: Record<string, Record<string, { responses: Record<string, { content: Record<string, { examples?: Record<string, { value: { error: string } }> }> }> }>>;
};

const committed = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../..', OPENAPI_FILE), 'utf8')) as Document;

/** The codes the document lists for one status of one operation. */
function documentedCodes(document: Document, method: string, route: string, status: number): string[] {
  const examples = document.paths[route][method].responses[status]?.content['application/json'].examples ?? {};
  return Object.values(examples).map(({ value }) => value.error);
}

describe('GET /openapi.json on the local API', () => {
  it(`serves the committed ${OPENAPI_FILE} without an API key`, async () => {
    const { status, body } = await apiWithoutKey('GET', '/openapi.json');

    expect(status).toBe(200);
    expect(body).toEqual(committed);
  });

  it.each([
    ['get', '/accounts/{id}', () => api('GET', `/accounts/${ulid()}`)],
    ['post', '/accounts/{id}/deposits', () => api('POST', `/accounts/${ulid()}/deposits`, { amount: 5 })],
    ['post', '/accounts', () => api('POST', '/accounts', '{"owner":', { 'content-type': 'application/json' })],
    ['post', '/events', () => api('POST', '/events', 'x', { 'content-type': 'text/plain' })],
  ] as const)('documents the status and code the API answers on %s %s', async (method, route, call) => {
    const { status, body } = await call();

    expect(documentedCodes(committed, method, route, status)).toContain(body.error);
  });
});

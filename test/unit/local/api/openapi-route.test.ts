import { OPENAPI_PATH, startApiServer, type RunningApi } from '../../../../local/api';
import type { LocalApi } from '../../../../local/model';

const api: LocalApi = {
  logicalId: 'Api',
  stageName: 'dev',
  routes: [
    {
      method: 'GET',
      resourcePath: '/accounts/{id}',
      functionName: 'query',
      apiKeyRequired: true,
      validateBody: false,
      validateParameters: false,
      requestParameters: {},
    },
  ],
  gatewayResponses: [],
};
const document = { openapi: '3.0.3', info: { title: 'test', version: '1' }, paths: {} };

describe('the local API at GET /openapi.json', () => {
  const servers: RunningApi[] = [];
  const start = async (openApiDocument?: unknown) => {
    const server = await startApiServer(api, {
      port: 0,
      apiKey: 'k',
      invoke: () => Promise.reject(new Error('no function here')),
      log: () => undefined,
      openApiDocument,
    });
    servers.push(server);
    return server.url;
  };
  afterAll(() => Promise.all(servers.map((server) => server.close())));

  it.each([OPENAPI_PATH, `/dev${OPENAPI_PATH}`])('serves the document at %s without an API key', async (path) => {
    const url = await start(document);

    const response = await fetch(`${url}${path}`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual(document);
  });

  it('answers it like any unknown route when the app has no document', async () => {
    const url = await start();

    const response = await fetch(`${url}${OPENAPI_PATH}`);

    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Missing Authentication Token' });
  });

  it('builds a document given as a function on its first request only, not at start', async () => {
    let builds = 0;
    const url = await start(async () => {
      builds++;
      return document;
    });
    expect(builds).toBe(0);

    const answers = [await fetch(`${url}${OPENAPI_PATH}`), await fetch(`${url}${OPENAPI_PATH}`)];

    expect(await Promise.all(answers.map((answer) => answer.json()))).toEqual([document, document]);
    expect(builds).toBe(1);
  });

  it('still requires the key on the routes', async () => {
    const url = await start(document);

    expect((await fetch(`${url}/accounts/a1`)).status).toBe(403);
  });
});

import { buildProxyEvent, parseProxyResult } from '../../../../local/api/proxy-event';

describe('Lambda proxy integration', () => {
  const request = {
    method: 'GET',
    path: '/accounts/a1/transactions',
    resourcePath: '/accounts/{id}/transactions',
    rawHeaders: ['Host', 'localhost:3000', 'X-Api-Key', 'k', 'Accept', 'a', 'Accept', 'b'],
    query: 'limit=5&tag=x&tag=y',
    pathParameters: { id: 'a1' },
    body: '',
    sourceIp: '127.0.0.1',
    stage: 'dev',
    apiId: 'api',
    requestId: 'req-1',
    apiKey: 'k',
    now: new Date(Date.UTC(2025, 0, 2, 3, 4, 5)),
  };

  it('builds the REST v1 proxy event', () => {
    const event = buildProxyEvent(request);
    expect(event).toMatchObject({
      resource: '/accounts/{id}/transactions',
      path: '/accounts/a1/transactions',
      httpMethod: 'GET',
      headers: { Host: 'localhost:3000', 'X-Api-Key': 'k', Accept: 'b' },
      multiValueHeaders: { Accept: ['a', 'b'] },
      queryStringParameters: { limit: '5', tag: 'y' },
      multiValueQueryStringParameters: { limit: ['5'], tag: ['x', 'y'] },
      pathParameters: { id: 'a1' },
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
      requestContext: {
        resourcePath: '/accounts/{id}/transactions',
        httpMethod: 'GET',
        stage: 'dev',
        requestId: 'req-1',
        path: '/dev/accounts/a1/transactions',
        accountId: '000000000000',
        apiId: 'api',
        requestTimeEpoch: Date.UTC(2025, 0, 2, 3, 4, 5),
        requestTime: '02/Jan/2025:03:04:05 +0000',
        identity: { apiKey: 'k', sourceIp: '127.0.0.1' },
      },
    });
  });

  it('uses null for absent query string and path parameters', () => {
    const event = buildProxyEvent({ ...request, query: '', pathParameters: {} });
    expect(event.queryStringParameters).toBeNull();
    expect(event.pathParameters).toBeNull();
  });

  it('merges headers and multi-value headers of the result', () => {
    expect(
      parseProxyResult({ statusCode: 201, headers: { 'Content-Type': 'application/json' }, multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] }, body: '{}' }),
    ).toEqual({
      statusCode: 201,
      headers: { 'content-type': ['application/json'], 'set-cookie': ['a=1', 'b=2'] },
      body: Buffer.from('{}'),
    });
  });

  it('decodes a base64 body', () => {
    expect(parseProxyResult({ statusCode: 200, body: Buffer.from('hi').toString('base64'), isBase64Encoded: true })?.body.toString()).toBe('hi');
  });

  it.each([
    ['no status code', { body: 'x' }],
    ['a body that is not a string', { statusCode: 200, body: { a: 1 } }],
    ['a result that is not an object', 'hello'],
  ])('rejects a result with %s', (_name, result) => {
    expect(parseProxyResult(result)).toBeUndefined();
  });
});

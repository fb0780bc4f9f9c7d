/**
 * API Gateway REST API with Lambda proxy integration: API keys, usage plan throttling, request
 * validators and their messages, gateway responses, the 10 MB payload limit, the REST (v1) proxy
 * event and how the function's proxy response becomes the HTTP response.
 */
import { API_STAGE, API_THROTTLE } from './app/scenarios';
import { conformance } from './support/conformance';
import { api, type ApiResponse } from './support/http';
import { apiKey } from './support/target';

const DOCS = 'https://docs.aws.amazon.com/apigateway/latest/developerguide';
const RESPONSE_TYPES = `${DOCS}/supported-gateway-response-types.html`;
const PROXY = `${DOCS}/set-up-lambda-proxy-integrations.html`;
const VALIDATION = `${DOCS}/api-gateway-method-request-validation.html`;

interface Echoed {
  event: {
    resource: string;
    path: string;
    httpMethod: string;
    headers: Record<string, string> | null;
    multiValueHeaders: Record<string, string[]> | null;
    queryStringParameters: Record<string, string> | null;
    multiValueQueryStringParameters: Record<string, string[]> | null;
    pathParameters: Record<string, string> | null;
    stageVariables: Record<string, string> | null;
    requestContext: Record<string, unknown> & { identity: Record<string, unknown> };
    body: string | null;
    isBase64Encoded: boolean;
  };
}

const echoed = async (response: ApiResponse) => {
  expect(response.status).toBe(200);
  return response.json<Echoed>().event;
};

/** A header of the event, found case-insensitively (API Gateway keeps the client's spelling). */
const header = (map: Record<string, string> | null, name: string) => Object.entries(map ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];

describe('API Gateway: API keys and usage plans', () => {
  conformance(
    'refuses a request without the API key with 403 and the INVALID_API_KEY gateway response',
    RESPONSE_TYPES,
    'INVALID_API_KEY – 403 – The gateway response for an invalid API key submitted for a method requiring an API key. (paraphrased: a missing key is answered the same way)',
    async () => {
      const response = await api('GET', 'echo', { key: null });
      expect(response.status).toBe(403);
      expect(response.json()).toEqual({ error: 'forbidden', type: 'INVALID_API_KEY' });
    },
  );

  conformance(
    'refuses a wrong API key with 403 and the INVALID_API_KEY gateway response, headers included',
    RESPONSE_TYPES,
    'INVALID_API_KEY – 403 – The gateway response for an invalid API key submitted for a method requiring an API key.',
    async () => {
      const response = await api('GET', 'echo', { key: 'not-the-key' });
      expect(response.status).toBe(403);
      expect(response.json()).toEqual({ error: 'forbidden', type: 'INVALID_API_KEY' });
      expect(response.headers['x-probe-gateway']).toEqual(['invalid-api-key']);
    },
  );

  conformance(
    'passes a request with the API key to the integration and tells it which key',
    `${DOCS}/api-gateway-api-usage-plans.html`,
    'The plan uses API keys to identify API clients and who can access the associated API stages for each key.',
    async () => {
      const event = await echoed(await api('GET', 'echo'));
      expect(event.requestContext.identity.apiKey).toBe(apiKey());
    },
  );

  conformance(
    'a method that does not require a key accepts requests without one',
    `${DOCS}/api-gateway-api-usage-plans.html`,
    'API keys are alphanumeric string values that you distribute to application developer customers to grant access to your API. (paraphrased: only methods marked apiKeyRequired check it)',
    async () => {
      expect((await api('GET', 'open', { key: null })).status).toBe(200);
    },
  );

  conformance(
    'throttles requests above the usage plan limits with 429 (THROTTLED, through DEFAULT_4XX)',
    RESPONSE_TYPES,
    'THROTTLED – 429 – The gateway response when usage plan-, method-, stage-, or account-level throttling limits exceeded. If the response type is unspecified, this response defaults to the DEFAULT_4XX type.',
    async () => {
      // Invalid bodies: throttling is checked first, and a refused body never reaches the function.
      const burst = await Promise.all(
        Array.from({ length: API_THROTTLE.burstLimit * 4 }, () =>
          api('POST', 'validated', { body: '{}', headers: [['content-type', 'application/json']], retryThrottled: false }),
        ),
      );
      const throttled = burst.filter((response) => response.status === 429);
      expect(throttled.length).toBeGreaterThan(0);
      expect(throttled[0].json()).toMatchObject({ error: 'default_4xx', type: 'THROTTLED' });
    },
  );
});

describe('API Gateway: request validation', () => {
  const post = (body: string) => api('POST', 'validated', { body, headers: [['content-type', 'application/json']] });

  conformance(
    'refuses a body missing required properties, naming them (BAD_REQUEST_BODY, configured status)',
    VALIDATION,
    'BAD_REQUEST_BODY – The gateway response when the request body cannot be validated according to an enabled request validator.',
    async () => {
      const response = await post('{}');
      expect(response.status).toBe(422);
      expect(response.json()).toEqual({ error: 'bad_body', message: '[object has missing required properties (["count","name"])]' });
    },
  );

  conformance(
    'refuses a property of the wrong type, naming the allowed type',
    VALIDATION,
    '$context.error.validationErrorString – A string containing a detailed validation error message.',
    async () => {
      const response = await post('{"name":"x","count":"three"}');
      expect(response.json()).toEqual({ error: 'bad_body', message: '[instance type (string) does not match any allowed primitive type (allowed: ["integer"])]' });
    },
  );

  conformance(
    'refuses properties the model does not allow (additionalProperties false)',
    VALIDATION,
    '$context.error.validationErrorString – A string containing a detailed validation error message.',
    async () => {
      const response = await post('{"name":"x","count":1,"extra":true}');
      expect(response.json()).toEqual({ error: 'bad_body', message: '[object instance has properties which are not allowed by the schema: ["extra"]]' });
    },
  );

  conformance(
    'passes a valid body to the integration unchanged',
    VALIDATION,
    'If the validation succeeds, API Gateway passes the request to the integration. (paraphrased)',
    async () => {
      const event = await echoed(await post('{"name":"x","count":1}'));
      expect(event.body).toBe('{"name":"x","count":1}');
    },
  );

  conformance(
    'refuses a request without a required query string parameter (BAD_REQUEST_PARAMETERS)',
    `${DOCS}/api-gateway-request-validation-test.html`,
    '"message": "Missing required request parameters: [q1]"',
    async () => {
      const response = await api('GET', 'params', { headers: [['x-probe-required', 'yes']] });
      expect(response.status).toBe(400);
      expect(response.json()).toEqual({ error: 'bad_parameters', message: 'Missing required request parameters: [q]' });
    },
  );

  conformance(
    'refuses a request without a required header (BAD_REQUEST_PARAMETERS)',
    `${DOCS}/api-gateway-request-validation-test.html`,
    '"message": "Missing required request parameters: [h1]"',
    async () => {
      const response = await api('GET', 'params?q=1');
      expect(response.status).toBe(400);
      expect(response.json()).toEqual({ error: 'bad_parameters', message: 'Missing required request parameters: [x-probe-required]' });
    },
  );
});

describe('API Gateway: gateway responses and limits', () => {
  conformance(
    'answers an unknown route with MISSING_AUTHENTICATION_TOKEN, here customised to 404',
    RESPONSE_TYPES,
    'MISSING_AUTHENTICATION_TOKEN – 403 – The gateway response for a missing authentication token error, including the cases when the client attempts to invoke an unsupported API method or resource.',
    async () => {
      const response = await api('GET', 'no-such-route');
      expect(response.status).toBe(404);
      expect(response.json()).toEqual({ error: 'not_found', type: 'MISSING_AUTHENTICATION_TOKEN' });
    },
  );

  conformance(
    'refuses a payload over 10 MB with 413 (REQUEST_TOO_LARGE through DEFAULT_4XX, its headers included)',
    `${DOCS}/limits.html`,
    'Payload size – 10 MB',
    async () => {
      const response = await api('POST', 'echo', { body: Buffer.alloc(10 * 1024 * 1024 + 1, 'a'), headers: [['connection', 'keep-alive']] });
      expect(response.status).toBe(413);
      expect(response.json()).toMatchObject({ error: 'default_4xx', type: 'REQUEST_TOO_LARGE' });
      expect(response.headers['x-probe-gateway']).toEqual(['default-4xx']);
    },
    60_000,
  );
});

describe('API Gateway: the REST (v1) Lambda proxy event', () => {
  conformance(
    'names the resource, the path and the method, with the path parameters',
    PROXY,
    'In Lambda proxy integration, API Gateway maps the entire client request to the input event parameter of the backend Lambda function.',
    async () => {
      const event = await echoed(await api('GET', 'echo/abc'));
      expect(event).toMatchObject({ resource: '/echo/{id}', path: '/echo/abc', httpMethod: 'GET', pathParameters: { id: 'abc' }, stageVariables: null });
    },
  );

  conformance(
    'a greedy {proxy+} parameter holds the rest of the path',
    PROXY,
    'However {proxy+} can refer to any resource along a path hierarchy, while {custom} refers to a particular path segment only.',
    async () => {
      const event = await echoed(await api('GET', 'proxy/a/b/c'));
      expect(event).toMatchObject({ resource: '/proxy/{proxy+}', path: '/proxy/a/b/c', pathParameters: { proxy: 'a/b/c' } });
    },
  );

  conformance(
    'keeps the last value of a repeated header in headers and all of them in multiValueHeaders',
    PROXY,
    'The headers key can only contain single-value headers. The multiValueHeaders key can contain multi-value headers as well as single-value headers.',
    async () => {
      const event = await echoed(
        await api('GET', 'echo', {
          headers: [
            ['x-multi', 'a'],
            ['x-multi', 'b'],
          ],
        }),
      );
      expect(header(event.headers, 'x-multi')).toBe('b');
      const multi = Object.entries(event.multiValueHeaders ?? {}).find(([key]) => key.toLowerCase() === 'x-multi')?.[1];
      expect(multi).toEqual(['a', 'b']);
    },
  );

  conformance(
    'maps the query string to queryStringParameters (last value) and multiValueQueryStringParameters',
    PROXY,
    'The following example shows the structure of an event that API Gateway sends to a Lambda proxy integration. ("multiValueQueryStringParameters": {"parameter1": ["value1", "value2"]})',
    async () => {
      const event = await echoed(await api('GET', 'echo?a=1&a=2&b=3'));
      expect(event.queryStringParameters).toEqual({ a: '2', b: '3' });
      expect(event.multiValueQueryStringParameters).toEqual({ a: ['1', '2'], b: ['3'] });
    },
  );

  conformance(
    'sets absent maps and bodies to null',
    PROXY,
    'The following example shows the structure of an event that API Gateway sends to a Lambda proxy integration. ("pathParameters": null, "stageVariables": null)',
    async () => {
      const event = await echoed(await api('GET', 'echo'));
      expect(event).toMatchObject({ queryStringParameters: null, multiValueQueryStringParameters: null, pathParameters: null, body: null, isBase64Encoded: false });
    },
  );

  conformance(
    'passes a text body as a string with isBase64Encoded false',
    PROXY,
    'The following example shows the structure of an event that API Gateway sends to a Lambda proxy integration. ("body": "Hello from Lambda!", "isBase64Encoded": false)',
    async () => {
      const event = await echoed(await api('POST', 'echo', { body: 'plain text body', headers: [['content-type', 'text/plain']] }));
      expect(event).toMatchObject({ body: 'plain text body', isBase64Encoded: false });
    },
  );

  conformance(
    'fills requestContext with the stage, resource, method, request id, path and caller',
    PROXY,
    'In the input to the backend Lambda function, the requestContext object is a map of key-value pairs. In each pair, the key is the name of a $context variable property, and the value is the value of that property.',
    async () => {
      const event = await echoed(await api('GET', 'echo/abc'));
      expect(event.requestContext).toMatchObject({
        stage: API_STAGE,
        resourcePath: '/echo/{id}',
        httpMethod: 'GET',
        path: `/${API_STAGE}/echo/abc`,
        protocol: 'HTTP/1.1',
        requestId: expect.any(String),
        requestTimeEpoch: expect.any(Number),
        requestTime: expect.stringMatching(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/),
        accountId: expect.stringMatching(/^\d{12}$/),
        apiId: expect.any(String),
        identity: expect.objectContaining({ sourceIp: expect.any(String) }),
      });
    },
  );
});

describe('API Gateway: the Lambda proxy response', () => {
  conformance(
    'answers 502 when the function returns a malformed proxy response',
    PROXY,
    'If the function output is of a different format, API Gateway returns a 502 Bad Gateway error response.',
    async () => {
      expect((await api('GET', 'echo?respond=malformed')).status).toBe(502);
    },
  );

  conformance(
    'answers 502 when the function fails',
    PROXY,
    'If the function output is of a different format, API Gateway returns a 502 Bad Gateway error response. (paraphrased: a function error is answered 502 as well)',
    async () => {
      expect((await api('GET', 'echo?respond=throw')).status).toBe(502);
    },
  );

  conformance(
    'sends the status code, and merges headers and multiValueHeaders into the response',
    PROXY,
    'If you specify values for both headers and multiValueHeaders, API Gateway merges them into a single list.',
    async () => {
      const response = await api('GET', 'echo?respond=multi');
      expect(response.status).toBe(201);
      expect(response.text).toBe('multi');
      expect(response.headers['x-single']).toEqual(['one']);
      expect(response.headers['x-multi']).toEqual(['a', 'b']);
    },
  );
});

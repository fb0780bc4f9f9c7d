import { createLambdaApi, isLambdaApiPath, parseFunctionName } from '../../../../local/runtime/lambda-api';
import { isThrottled, throttledOutcome } from '../../../../local/runtime/invoke-outcome';
import type { LambdaRunner } from '../../../../local/runtime/lambda-runner';
import type { InvokeOutcome } from '../../../../local/runtime/lambda-runner';
import type { LocalApp, LocalFunction } from '../../../../local/model';

const fn: LocalFunction = {
  logicalId: 'Projector',
  stackName: 's',
  functionName: 'sluice-dev-projector',
  displayName: 'projector',
  assetDir: '/tmp/x',
  handler: 'index.handler',
  environment: { A: '1' },
  timeoutSeconds: 30,
  memorySize: 256,
};
const app = { cloudAssemblyDir: '', tables: [], streams: [], queues: [], functions: [fn], mappings: [], outputs: {} } as LocalApp;

function apiWith(outcome: InvokeOutcome) {
  const calls: unknown[] = [];
  const runner = {
    invoke: async (_name: string, event: unknown) => {
      calls.push(event);
      return outcome;
    },
  } as unknown as LambdaRunner;
  return { api: createLambdaApi(app, runner), calls };
}

const invoke = (name: string, body: string, headers: Record<string, string> = {}) => ({
  method: 'POST',
  url: `/2015-03-31/functions/${encodeURIComponent(name)}/invocations`,
  headers,
  body: Buffer.from(body),
});

describe('Lambda API', () => {
  it('answers 200 with the result for a name or an ARN', async () => {
    const { api, calls } = apiWith({ ok: true, result: { batchItemFailures: [] } });
    for (const name of ['sluice-dev-projector', 'arn:aws:lambda:us-east-1:000000000000:function:sluice-dev-projector', 'sluice-dev-projector:$LATEST']) {
      const response = await api.handle(invoke(name, '{"Records":[]}'));
      expect(response).toMatchObject({ status: 200, body: '{"batchItemFailures":[]}' });
      expect(response.headers['x-amz-function-error']).toBeUndefined();
    }
    expect(calls).toEqual([{ Records: [] }, { Records: [] }, { Records: [] }]);
  });

  it('reports a function error as Unhandled with the error payload', async () => {
    const { api } = apiWith({ ok: false, error: { errorType: 'Error', errorMessage: 'boom' } });
    const response = await api.handle(invoke('sluice-dev-projector', '{}'));
    expect(response.status).toBe(200);
    expect(response.headers['x-amz-function-error']).toBe('Unhandled');
    expect(JSON.parse(response.body)).toEqual({ errorType: 'Error', errorMessage: 'boom' });
  });

  it('answers 404 ResourceNotFoundException for an unknown function or a qualifier', async () => {
    const { api } = apiWith({ ok: true, result: null });
    for (const name of ['nope', 'sluice-dev-projector:live']) {
      const response = await api.handle(invoke(name, '{}'));
      expect(response.status).toBe(404);
      expect(response.headers['x-amzn-errortype']).toBe('ResourceNotFoundException');
      expect(JSON.parse(response.body).message).toMatch(/^Function not found: arn:aws:lambda:us-east-1:000000000000:function:/);
    }
  });

  it('answers 202 for Event, 204 for DryRun and 400 for a body that is not JSON', async () => {
    const { api, calls } = apiWith({ ok: true, result: null });
    expect((await api.handle(invoke('sluice-dev-projector', '{}', { 'x-amz-invocation-type': 'Event' }))).status).toBe(202);
    expect((await api.handle(invoke('sluice-dev-projector', '{}', { 'x-amz-invocation-type': 'DryRun' }))).status).toBe(204);
    expect(calls).toHaveLength(1);
    const bad = await api.handle(invoke('sluice-dev-projector', '{nope'));
    expect(bad).toMatchObject({ status: 400, headers: expect.objectContaining({ 'x-amzn-errortype': 'InvalidRequestContentException' }) });
  });

  it('describes and lists functions', async () => {
    const { api } = apiWith({ ok: true, result: null });
    const got = JSON.parse((await api.handle({ method: 'GET', url: '/2015-03-31/functions/sluice-dev-projector', headers: {}, body: Buffer.alloc(0) })).body);
    expect(got.Configuration).toMatchObject({ FunctionName: 'sluice-dev-projector', Timeout: 30, MemorySize: 256, Environment: { Variables: { A: '1' } } });
    const list = JSON.parse((await api.handle({ method: 'GET', url: '/2015-03-31/functions/', headers: {}, body: Buffer.alloc(0) })).body);
    expect(list.Functions.map((f: { FunctionName: string }) => f.FunctionName)).toEqual(['sluice-dev-projector']);
  });

  it('serves the functions of the app as it is now when given the app as a function (a lib/ hot reload adds one)', async () => {
    let current = app;
    const calls: string[] = [];
    const runner = { invoke: async (name: string) => (calls.push(name), { ok: true, result: null }) } as unknown as LambdaRunner;
    const api = createLambdaApi(() => current, runner);
    const added: LocalFunction = { ...fn, logicalId: 'Probe', functionName: 'sluice-dev-probe', displayName: 'probe' };
    expect((await api.handle(invoke('sluice-dev-probe', '{}'))).status).toBe(404);

    current = { ...app, functions: [fn, added] };

    expect((await api.handle(invoke('sluice-dev-probe', '{}'))).status).toBe(200);
    expect(calls).toEqual(['sluice-dev-probe']);
    const list = JSON.parse((await api.handle({ method: 'GET', url: '/2015-03-31/functions/', headers: {}, body: Buffer.alloc(0) })).body);
    expect(list.Functions.map((f: { FunctionName: string }) => f.FunctionName)).toEqual(['sluice-dev-projector', 'sluice-dev-probe']);
  });

  it('recognises its paths and function name forms', () => {
    expect(isLambdaApiPath('/2015-03-31/functions/x/invocations')).toBe(true);
    expect(isLambdaApiPath('/000000000000/queue')).toBe(false);
    expect(parseFunctionName('000000000000:function:f:3')).toEqual({ name: 'f', qualifier: '3' });
  });
});

describe('Lambda API throttling', () => {
  it('answers a throttle with 429 TooManyRequestsException and the reason', async () => {
    // AWS (API_Invoke.html): "TooManyRequestsException – The request throughput limit was exceeded. HTTP Status Code: 429"
    const { api } = apiWith(throttledOutcome());
    const response = await api.handle(invoke('sluice-dev-projector', '{}'));
    expect(response.status).toBe(429);
    expect(response.headers['x-amzn-errortype']).toBe('TooManyRequestsException');
    expect(JSON.parse(response.body)).toEqual({ Type: 'User', message: 'Rate Exceeded.', Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' });
  });

  it('tells a throttle from a function error whose type happens to read the same', () => {
    expect(isThrottled(throttledOutcome())).toBe(true);
    expect(isThrottled({ ok: false, error: { errorType: 'TooManyRequestsException', errorMessage: 'thrown by the handler' } })).toBe(false);
    expect(isThrottled({ ok: true, result: null })).toBe(false);
  });
});

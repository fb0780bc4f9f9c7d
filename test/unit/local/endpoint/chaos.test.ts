import { FaultInjector, faultResponse, operationOf, parseFaultRule } from '../../../../local/endpoint/chaos';

describe('FaultInjector', () => {
  const request = { service: 'dynamodb' as const, operation: 'TransactWriteItems', body: '{"TableName":"balances","accountId":"acc-1"}' };

  it('hits a request matching service, operation and every match substring', () => {
    const chaos = new FaultInjector();
    chaos.add([{ service: 'dynamodb', operation: 'TransactWriteItems', match: ['balances', 'acc-1'] }]);
    expect(chaos.decide(request)).toMatchObject({ kind: 'error', error: { statusCode: 500, code: 'InternalServerError' } });
    expect(chaos.decide({ ...request, body: '{"TableName":"balances","accountId":"acc-2"}' })).toBeUndefined();
    expect(chaos.decide({ ...request, operation: 'PutItem' })).toBeUndefined();
    expect(chaos.decide({ ...request, service: 'dynamodbstreams' })).toBeUndefined();
  });

  it('removes a rule once its times are used up', () => {
    const chaos = new FaultInjector();
    chaos.add([{ service: 'dynamodb', times: 2 }]);
    expect(chaos.decide(request)).toBeDefined();
    expect(chaos.list()[0].hits).toBe(1);
    expect(chaos.decide(request)).toBeDefined();
    expect(chaos.decide(request)).toBeUndefined();
    expect(chaos.list()).toEqual([]);
  });

  it('applies probability with the injected random source', () => {
    const chaos = new FaultInjector(() => 0.7);
    chaos.add([{ service: 'dynamodb', probability: 0.5 }]);
    expect(chaos.decide(request)).toBeUndefined();
    chaos.clear();
    chaos.add([{ service: 'dynamodb', probability: 0.8 }]);
    expect(chaos.decide(request)).toBeDefined();
  });

  it('forwards late with latency alone and answers late with latency and error', () => {
    const chaos = new FaultInjector();
    chaos.add([
      { service: 'kinesis', latencyMs: 50, times: 1 },
      { service: 'kinesis', latencyMs: 10, error: { code: 'ProvisionedThroughputExceededException', statusCode: 400 } },
    ]);
    const kinesis = { service: 'kinesis' as const, operation: 'PutRecords', body: '{}' };
    expect(chaos.decide(kinesis)).toMatchObject({ kind: 'latency', latencyMs: 50 });
    expect(chaos.decide(kinesis)).toMatchObject({ kind: 'error', latencyMs: 10, error: { statusCode: 400, code: 'ProvisionedThroughputExceededException' } });
  });
});

describe('parseFaultRule', () => {
  it.each([
    [{ service: 's3' }, /service must be one of/],
    [{ service: 'sqs', probability: 2 }, /probability must be a number from 0 to 1 \(got 2\)/],
    [{ service: 'sqs', times: 0 }, /times must be a positive integer/],
    [{ service: 'sqs', match: [''] }, /match must be a non-empty string/],
    [{ service: 'sqs', error: { statusCode: 200 } }, /statusCode must be an HTTP error status/],
  ])('rejects %j', (input, message) => {
    expect(() => parseFaultRule(input)).toThrow(message);
  });
});

describe('faultResponse', () => {
  const error = { statusCode: 400, code: 'ThrottlingException', message: 'slow down' };
  it("uses each protocol's error shape", () => {
    expect(JSON.parse(faultResponse('dynamodb', error, 'r', false).body).__type).toBe('com.amazonaws.dynamodb.v20120810#ThrottlingException');
    expect(JSON.parse(faultResponse('kinesis', error, 'r', false).body).__type).toBe('ThrottlingException');
    expect(faultResponse('sqs', error, 'r', false).headers['x-amzn-query-error']).toBe('ThrottlingException;Sender');
    expect(faultResponse('sqs', error, 'r', true).body).toContain('<Code>ThrottlingException</Code>');
    expect(faultResponse('lambda', error, 'r', false).headers['x-amzn-errortype']).toBe('ThrottlingException');
  });

  it('names the operation from the target or the form action', () => {
    expect(operationOf('DynamoDB_20120810.PutItem', '', false)).toBe('PutItem');
    expect(operationOf(undefined, 'Action=SendMessage&QueueUrl=x', true)).toBe('SendMessage');
  });
});

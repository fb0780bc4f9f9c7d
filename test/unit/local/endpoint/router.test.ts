import { faultServiceOf, routeOf, routeRequest, sourceWriteOf } from '../../../../local/endpoint/router';

describe('routeRequest', () => {
  it.each([
    ['Kinesis_20131202.PutRecords', undefined, 'kinesis'],
    ['DynamoDBStreams_20120810.GetRecords', undefined, 'dynamodb'],
    ['DynamoDB_20120810.Query', undefined, 'dynamodb'],
    ['AmazonSQS.ReceiveMessage', undefined, 'sqs'],
    [undefined, 'application/x-www-form-urlencoded; charset=utf-8', 'sqs'],
    ['Lambda.Invoke', undefined, undefined],
  ])('sends target %s (content type %s) to %s', (target, contentType, service) => {
    expect(routeRequest(target, contentType)).toBe(service);
  });
});

describe('faultServiceOf', () => {
  it.each([
    ['Kinesis_20131202.GetRecords', 'kinesis'],
    ['DynamoDB_20120810.GetItem', 'dynamodb'],
    ['DynamoDBStreams_20120810.GetShardIterator', 'dynamodbstreams'],
    ['AmazonSQS.ReceiveMessage', 'sqs'],
  ])('matches %s as %s', (target, service) => {
    expect(faultServiceOf(target)).toBe(service);
  });

  it('matches nothing for a target no emulator serves, or none', () => {
    expect(faultServiceOf('Lambda_20150331.Invoke')).toBeUndefined();
    expect(faultServiceOf(undefined)).toBeUndefined();
  });
});

describe('sourceWriteOf', () => {
  it.each([
    ['Kinesis_20131202.PutRecords', 'kinesis'],
    ['Kinesis_20131202.PutRecord', 'kinesis'],
    ['DynamoDB_20120810.PutItem', 'dynamodb'],
    ['DynamoDB_20120810.TransactWriteItems', 'dynamodb'],
    ['DynamoDB_20120810.BatchWriteItem', 'dynamodb'],
  ])('wakes the pollers of a stream source after %s', (target, write) => {
    expect(sourceWriteOf(target)).toBe(write);
  });

  it.each(['Kinesis_20131202.GetRecords', 'DynamoDB_20120810.Query', 'AmazonSQS.SendMessage'])('does not count %s as a source write', (target) => {
    expect(sourceWriteOf(target)).toBeUndefined();
  });

  it('ignores requests without a target', () => {
    expect(sourceWriteOf(undefined)).toBeUndefined();
  });
});

describe('routeOf', () => {
  const request = (method: string, path: string, headers: Record<string, string> = {}) => ({ method, path, headers: { host: 'localhost:4566', ...headers } });
  const json = (target: string) => request('POST', '/', { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.0' });

  it.each([
    ['Kinesis_20131202.PutRecords', 'kinesis', 'kinesis'],
    ['DynamoDB_20120810.TransactWriteItems', 'dynamodb', 'dynamodb'],
    ['DynamoDBStreams_20120810.GetRecords', 'dynamodb', 'dynamodbstreams'],
    ['AmazonSQS.SendMessage', 'sqs', 'sqs'],
  ])('proxies %s to the %s emulator, matched by chaos rules as %s', (target, service, faultService) => {
    expect(routeOf(json(target))).toEqual({ kind: 'emulator', service, faultService, target });
  });

  it('answers the SQS actions fauxqs lacks itself', () => {
    expect(routeOf(json('AmazonSQS.ListDeadLetterSourceQueues'))).toEqual({ kind: 'sqs-emulated', action: 'ListDeadLetterSourceQueues' });
  });

  it.each([
    ['a form body', request('POST', '/', { 'content-type': 'application/x-www-form-urlencoded' })],
    ['a form body posted to a queue URL', request('POST', '/000000000000/orders', { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' })],
    ['a GET naming an Action', request('GET', '/?Action=ListQueues&Version=2012-11-05')],
  ])('translates the SQS query protocol: %s', (_case, req) => {
    expect(routeOf(req)).toEqual({ kind: 'sqs-query' });
  });

  it.each([
    ['/2015-03-31/functions/fn/invocations', 'lambda-api'],
    ['/2015-03-31/functions/', 'lambda-api'],
    ['/2015-03-31/event-source-mappings/?FunctionName=fn', 'lambda-api'],
    ['/_sluice/settled', 'settled'],
    ['/_sluice/settled?timeout=5', 'settled'],
    ['/_sluice/chaos/faults', 'chaos-api'],
    ['/_sluice/chaos/faults/some-id', 'chaos-api'],
    ['/_sluice/health', 'health'],
    ['/', 'health'],
  ])('serves %s locally (%s)', (path, kind) => {
    expect(routeOf(request(path.startsWith('/_sluice/chaos') ? 'POST' : 'GET', path))).toEqual({ kind });
  });

  it('sends a Lambda API path that carries an X-Amz-Target to that target, not to the Lambda API', () => {
    expect(routeOf(request('POST', '/2015-03-31/functions/fn/invocations', { 'x-amz-target': 'Kinesis_20131202.ListStreams' }))).toMatchObject({
      kind: 'emulator',
      service: 'kinesis',
    });
  });

  it("sends fauxqs' own paths to the SQS emulator", () => {
    expect(routeOf(request('GET', '/_fauxqs/queues'))).toMatchObject({ kind: 'emulator', service: 'sqs' });
  });

  it.each([
    ['an unknown target', json('Lambda.Invoke'), 'Lambda.Invoke'],
    ['no target on a POST', request('POST', '/', { 'content-type': 'application/json' }), undefined],
  ])('leaves %s unrouted', (_case, req, target) => {
    expect(routeOf(req)).toEqual({ kind: 'unrouted', target });
  });

  it.each([
    ['/_sluice/chaos/faults', { origin: 'https://evil.example' }],
    ['/_sluice/settled', { 'sec-fetch-site': 'cross-site' }],
    ['/2015-03-31/functions/fn/invocations', { host: 'rebound.example:4566' }],
  ])('refuses a cross-site browser request to the local tool %s', (path, headers) => {
    expect(routeOf(request('POST', path, headers))).toEqual({ kind: 'cross-site-refused', message: expect.stringMatching(/sluice local tools/) });
  });

  it('does not apply the cross-site guard to the AWS protocols (SDK clients send no browser headers anyway)', () => {
    expect(routeOf({ ...json('AmazonSQS.SendMessage'), headers: { 'x-amz-target': 'AmazonSQS.SendMessage', origin: 'https://evil.example' } })).toMatchObject({
      kind: 'emulator',
    });
  });
});

describe('routeOf: the console', () => {
  const request = (path: string, headers: Record<string, string> = {}) => ({ method: 'GET', path, headers: { host: 'localhost:4566', ...headers } });

  it.each(['/_sluice/console', '/_sluice/console/', '/_sluice/console/api/topology', '/_sluice/console/assets/console.js', '/_sluice/console?x=1'])(
    'sends %s to the console',
    (path) => {
      expect(routeOf(request(path))).toEqual({ kind: 'console' });
    },
  );

  it('does not take paths that only start like it', () => {
    expect(routeOf(request('/_sluice/consoles'))).not.toEqual({ kind: 'console' });
  });

  it.each<Record<string, string>>([{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { host: 'evil.example' }])(
    'refuses a cross-site request %j',
    (headers) => {
      expect(routeOf(request('/_sluice/console/api/topology', headers)).kind).toBe('cross-site-refused');
    },
  );
});

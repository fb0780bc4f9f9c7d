import { routeRequest, sourceWriteOf } from '../../../../local/endpoint/router';

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

import type { SourceWrite } from '../model';

/** Which emulator serves a request. */
export type AwsService = 'kinesis' | 'dynamodb' | 'sqs';

const TARGET_PREFIXES: ReadonlyArray<readonly [string, AwsService]> = [
  ['Kinesis_20131202.', 'kinesis'],
  ['DynamoDBStreams_20120810.', 'dynamodb'],
  ['DynamoDB_20120810.', 'dynamodb'],
  ['AmazonSQS.', 'sqs'],
];

/**
 * Picks the emulator for a request from its `X-Amz-Target` header (JSON protocols); a request
 * without one but with a form body is an SQS query-protocol call (`Action=...`).
 *
 * @returns the service, or undefined when the request names none of them
 */
export function routeRequest(target: string | undefined, contentType: string | undefined): AwsService | undefined {
  if (target) {
    for (const [prefix, service] of TARGET_PREFIXES) if (target.startsWith(prefix)) return service;
    return undefined;
  }
  if (contentType?.toLowerCase().includes('application/x-www-form-urlencoded')) return 'sqs';
  return undefined;
}

const SOURCE_WRITES: Readonly<Record<string, SourceWrite>> = {
  'Kinesis_20131202.PutRecord': 'kinesis',
  'Kinesis_20131202.PutRecords': 'kinesis',
  'DynamoDB_20120810.PutItem': 'dynamodb',
  'DynamoDB_20120810.UpdateItem': 'dynamodb',
  'DynamoDB_20120810.DeleteItem': 'dynamodb',
  'DynamoDB_20120810.BatchWriteItem': 'dynamodb',
  'DynamoDB_20120810.TransactWriteItems': 'dynamodb',
};

/** Whether a request writes to a stream source (so its pollers have new records to read). */
export function sourceWriteOf(target: string | undefined): SourceWrite | undefined {
  return target === undefined ? undefined : SOURCE_WRITES[target];
}

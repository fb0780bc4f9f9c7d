import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { captureClient } from './tracing';

// One client per container, created on first use: a warm invocation reuses its connections, and a
// function that never talks to SQS never builds an SQS client. Region, credentials and
// AWS_ENDPOINT_URL (local cloud, LocalStack) come from the SDK's own environment lookup. With
// X-Ray tracing on (AWS), each client is captured by the Tracer: its calls are subsegments.
let dynamoDbClient: DynamoDBClient | undefined;
let documentClient: DynamoDBDocumentClient | undefined;
let kinesisClient: KinesisClient | undefined;
let sqsClient: SQSClient | undefined;

/**
 * The container's DynamoDB document client (plain JS values in and out).
 *
 * @example
 * const store = new DynamoDbEventStore(getDocumentClient(), requireEnv('EVENT_STORE_TABLE_NAME'));
 */
export function getDocumentClient(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(getDynamoDbClient(), {
    // Optional fields left undefined are dropped rather than failing the marshalling.
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
}

/** The container's plain DynamoDB client (shared with the document client and Powertools idempotency). */
export function getDynamoDbClient(): DynamoDBClient {
  dynamoDbClient ??= captureClient(new DynamoDBClient({}));
  return dynamoDbClient;
}

/** The container's Kinesis client. */
export function getKinesisClient(): KinesisClient {
  kinesisClient ??= captureClient(new KinesisClient({}));
  return kinesisClient;
}

/** The container's SQS client. */
export function getSqsClient(): SQSClient {
  sqsClient ??= captureClient(new SQSClient({}));
  return sqsClient;
}

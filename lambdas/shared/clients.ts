import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient, type KinesisClientConfig } from '@aws-sdk/client-kinesis';
import { SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { withoutCallLog } from './sdk-call-log';
import { captureClient } from './tracing';

// One client per container, created on first use: a warm invocation reuses its connections, and a
// function that never talks to SQS never builds an SQS client. Region, credentials and
// AWS_ENDPOINT_URL (local cloud, LocalStack) come from the SDK's own environment lookup. With
// X-Ray tracing on (AWS), each client is captured by the Tracer: its calls are subsegments.
let dynamoDbClient: DynamoDBClient | undefined;
let kinesisClient: KinesisClient | undefined;
let sqsClient: SQSClient | undefined;

/** The container's plain DynamoDB client (shared with the document client, ./document-client, and Powertools idempotency). */
export function getDynamoDbClient(): DynamoDBClient {
  dynamoDbClient ??= captureClient(withoutCallLog(new DynamoDBClient({})));
  return dynamoDbClient;
}

/** The container's Kinesis client ({@link newKinesisClient}). */
export function getKinesisClient(): KinesisClient {
  kinesisClient ??= captureClient(newKinesisClient());
  return kinesisClient;
}

/**
 * A Kinesis client over HTTP/1.1 with keep-alive, like every other client here, instead of the
 * SDK's default for Kinesis: HTTP/2 with `disableConcurrentStreams`, which opens a new session (a
 * TCP and TLS handshake on AWS) for every call and closes it after the answer, so a warm container
 * never reused a connection for `PutRecords` (aws/aws-sdk-js-v3#8279). Kinesis serves every
 * operation sluice calls over HTTP/1.1; only `SubscribeToShard` (enhanced fan-out, not used) needs
 * HTTP/2. The function bundles leave the HTTP/2 handler out (lib/sluice-function.ts `BUNDLE_ALIASES`),
 * so a Kinesis client built without this handler fails at construction there.
 *
 * @example
 * const kinesis = newKinesisClient({ endpoint: 'http://localhost:4566' });
 */
export function newKinesisClient(config: KinesisClientConfig = {}): KinesisClient {
  return withoutCallLog(new KinesisClient({ requestHandler: new NodeHttpHandler(), ...config }));
}

/** The container's SQS client. */
export function getSqsClient(): SQSClient {
  sqsClient ??= captureClient(withoutCallLog(new SQSClient({})));
  return sqsClient;
}

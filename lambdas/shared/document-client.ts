import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { getDynamoDbClient } from './clients';

// Apart from ./clients: @aws-sdk/lib-dynamodb does not declare itself free of side effects, so
// esbuild keeps its modules in every bundle that merely imports it. Only the functions that use
// the document client import this file (docs/benchmarks.md, "Cold start").
let documentClient: DynamoDBDocumentClient | undefined;

/**
 * The container's DynamoDB document client (plain JS values in and out), over the shared
 * {@link getDynamoDbClient}.
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

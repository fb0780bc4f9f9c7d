/**
 * The local cloud's view of the synthesized app: what the template loader produces from
 * `cdk.out` and what the provisioner, the Lambda runner, the mapping pollers and the API
 * emulator consume. Physical names and ARNs are already resolved here.
 */

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';

export interface LocalTable {
  readonly logicalId: string;
  readonly stackName: string;
  readonly tableName: string;
  readonly arn: string;
  /** CreateTable input fields taken from the template (KeySchema, AttributeDefinitions, GSIs, StreamSpecification...). */
  readonly keySchema: ReadonlyArray<{ AttributeName: string; KeyType: 'HASH' | 'RANGE' }>;
  readonly attributeDefinitions: ReadonlyArray<{ AttributeName: string; AttributeType: 'S' | 'N' | 'B' }>;
  readonly globalSecondaryIndexes?: ReadonlyArray<Record<string, unknown>>;
  readonly localSecondaryIndexes?: ReadonlyArray<Record<string, unknown>>;
  readonly streamViewType?: 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY';
  readonly timeToLiveAttribute?: string;
  /** Set by the provisioner once the table exists (DynamoDB Local's real stream ARN). */
  streamArn?: string;
}

export interface LocalStream {
  readonly logicalId: string;
  readonly stackName: string;
  readonly streamName: string;
  readonly arn: string;
  /** Shards to create: the template's ShardCount, or 4 for on-demand (AWS's initial on-demand shard count). */
  readonly shardCount: number;
  readonly retentionHours: number;
}

export interface LocalQueue {
  readonly logicalId: string;
  readonly stackName: string;
  readonly queueName: string;
  readonly arn: string;
  readonly url: string;
  readonly fifo: boolean;
  readonly contentBasedDeduplication: boolean;
  readonly visibilityTimeoutSeconds: number;
  readonly messageRetentionSeconds: number;
  readonly redrive?: { readonly deadLetterTargetArn: string; readonly maxReceiveCount: number };
}

export interface LocalFunction {
  readonly logicalId: string;
  readonly stackName: string;
  /** Physical function name. */
  readonly functionName: string;
  /** Short name for logs: the loader's `displayName` option (sluice: POWERTOOLS_SERVICE_NAME without `sluice-`), else the logical id. */
  readonly displayName: string;
  /** Absolute path of the bundled asset folder in cdk.out (contains index.js). */
  readonly assetDir: string;
  /** `index.handler` → file `index.js`, export `handler`. */
  readonly handler: string;
  /** The template's `Runtime`, e.g. `nodejs24.x`: the runner runs that Node major (see local/runtime/node-binary.ts). */
  readonly runtime?: string;
  /** The template's `Architectures[0]`. @default 'x86_64' (Lambda's default) */
  readonly architecture?: 'x86_64' | 'arm64';
  /** `LoggingConfig.LogFormat`. @default 'Text' (Lambda's default) */
  readonly logFormat?: 'Text' | 'JSON';
  /** `LoggingConfig.LogGroup`, resolved. @default `/aws/lambda/<functionName>` */
  readonly logGroup?: string;
  /** `LoggingConfig.ApplicationLogLevel` (JSON format only), e.g. `INFO`. */
  readonly applicationLogLevel?: string;
  /** `TracingConfig.Mode`: `Active` samples every invocation (`Sampled=1` in `_X_AMZN_TRACE_ID`). */
  readonly tracingMode?: 'Active' | 'PassThrough';
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  readonly reservedConcurrency?: number;
}

export type StartingPosition = 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';

export interface LocalStreamMapping {
  readonly kind: 'kinesis' | 'dynamodb';
  readonly logicalId: string;
  readonly functionName: string;
  /** Kinesis stream name, or the table name whose stream is read. */
  readonly sourceName: string;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  readonly startingPosition: StartingPosition;
  readonly startingPositionTimestamp?: number;
  readonly maximumRetryAttempts: number;
  readonly maximumRecordAgeSeconds: number;
  readonly bisectBatchOnFunctionError: boolean;
  readonly parallelizationFactor: number;
  readonly reportBatchItemFailures: boolean;
  /** On-failure destination queue URL. */
  readonly onFailureQueueUrl?: string;
  readonly onFailureArn?: string;
  readonly filterPatterns: readonly string[];
  readonly sourceArn: string;
}

export interface LocalQueueMapping {
  readonly kind: 'sqs';
  readonly logicalId: string;
  readonly functionName: string;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly fifo: boolean;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  readonly reportBatchItemFailures: boolean;
  readonly maximumConcurrency?: number;
  readonly filterPatterns: readonly string[];
}

export type LocalMapping = LocalStreamMapping | LocalQueueMapping;

export interface LocalRoute {
  readonly method: string;
  /** Resource path with placeholders, e.g. `/accounts/{id}/deposits`. */
  readonly resourcePath: string;
  readonly functionName: string;
  readonly apiKeyRequired: boolean;
  readonly validateBody: boolean;
  readonly validateParameters: boolean;
  /** JSON Schema (draft 4) of the body for `application/json`, if a model is attached. */
  readonly bodySchema?: Record<string, unknown>;
  /** `method.request.path.id` → required? */
  readonly requestParameters: Readonly<Record<string, boolean>>;
}

export interface LocalGatewayResponse {
  readonly type: string;
  readonly statusCode?: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly templates: Readonly<Record<string, string>>;
}

export interface LocalApi {
  readonly logicalId: string;
  readonly stageName: string;
  readonly routes: readonly LocalRoute[];
  readonly gatewayResponses: readonly LocalGatewayResponse[];
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
}

/** Everything the local cloud runs, resolved from the synthesized templates. */
export interface LocalApp {
  readonly cloudAssemblyDir: string;
  readonly tables: readonly LocalTable[];
  readonly streams: readonly LocalStream[];
  readonly queues: readonly LocalQueue[];
  readonly functions: readonly LocalFunction[];
  readonly mappings: readonly LocalMapping[];
  readonly api?: LocalApi;
  /** Stack outputs by stack name, then output name, with values resolved (ApiUrl points at the local API). */
  readonly outputs: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Stack names in deployment order (from the cloud assembly manifest). */
  readonly stackNames?: readonly string[];
  /** Resources the local cloud does not run (inline-code functions, disabled mappings, MOCK integrations...). */
  readonly skipped?: readonly LocalSkippedResource[];
  /** Resource types of the templates that do not exist locally (WAF, IAM, alarms...), each with what stands in for it. */
  readonly notEmulated?: readonly LocalNotEmulatedType[];
}

export interface LocalNotEmulatedType {
  /** The CloudFormation type, e.g. `AWS::WAFv2::WebACL`. */
  readonly type: string;
  /** How many resources of the type the templates hold. */
  readonly count: number;
  readonly reason: string;
}

export interface LocalSkippedResource {
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  readonly reason: string;
}

/** A write that reached a stream source through the AWS endpoint: Kinesis PutRecord(s) or a DynamoDB item write. */
export type SourceWrite = 'kinesis' | 'dynamodb';

/** Where a write to a stream source landed, as the endpoint saw it; an absent field is unknown (every reader it could concern wakes). */
export interface WrittenPlace {
  /** Stream names (Kinesis) or table names (DynamoDB) the request wrote to. */
  readonly sources?: readonly string[];
  /** The Kinesis shards its answer names. */
  readonly shardIds?: readonly string[];
}

/**
 * The probe app's scenarios, declared once: the probe stack builds a source, a mapping and a
 * function from each entry, and the conformance tests read the same entries to know what to
 * expect (batch size, retries, visibility timeout...) and which stack outputs to look up.
 *
 * Settings are chosen so behaviours that wait are fast: short visibility timeouts, small
 * maxReceiveCount, one or two retries, the minimum record age (60 s).
 */

/** The probe stack's name, on AWS, LocalStack and the local cloud alike. */
export const PROBE_STACK_NAME = 'sluice-conformance';

export interface StreamScenario {
  readonly source: 'kinesis' | 'dynamodb';
  readonly batchSize: number;
  readonly batchingWindowSeconds: number;
  readonly reportBatchItemFailures: boolean;
  readonly bisect: boolean;
  /** -1 = until the record expires. */
  readonly retryAttempts: number;
  /** -1 = never; otherwise 60 or more. */
  readonly maxRecordAgeSeconds: number;
  /** 0 pauses the consumer (every invocation is throttled). */
  readonly reservedConcurrency?: number;
}

/** Stream sources (Kinesis streams with one shard, DynamoDB tables with a NEW_AND_OLD_IMAGES stream). */
export const STREAM_SCENARIOS = {
  kinesisBatching: {
    source: 'kinesis',
    batchSize: 3,
    batchingWindowSeconds: 2,
    reportBatchItemFailures: true,
    bisect: false,
    retryAttempts: 0,
    maxRecordAgeSeconds: -1,
  },
  kinesisPartial: {
    source: 'kinesis',
    batchSize: 10,
    batchingWindowSeconds: 1,
    reportBatchItemFailures: true,
    bisect: false,
    retryAttempts: 1,
    maxRecordAgeSeconds: -1,
  },
  kinesisBisect: {
    source: 'kinesis',
    batchSize: 10,
    batchingWindowSeconds: 1,
    reportBatchItemFailures: false,
    bisect: true,
    retryAttempts: 1,
    maxRecordAgeSeconds: -1,
  },
  kinesisBisectPartial: {
    source: 'kinesis',
    batchSize: 10,
    batchingWindowSeconds: 1,
    reportBatchItemFailures: true,
    bisect: true,
    retryAttempts: 1,
    maxRecordAgeSeconds: -1,
  },
  kinesisThrottled: {
    source: 'kinesis',
    batchSize: 10,
    batchingWindowSeconds: 0,
    reportBatchItemFailures: true,
    bisect: false,
    retryAttempts: 0,
    maxRecordAgeSeconds: 60,
    reservedConcurrency: 0,
  },
  kinesisRecordAge: {
    source: 'kinesis',
    batchSize: 10,
    batchingWindowSeconds: 0,
    reportBatchItemFailures: true,
    bisect: false,
    retryAttempts: -1,
    maxRecordAgeSeconds: 60,
  },
  dynamodbPartial: {
    source: 'dynamodb',
    batchSize: 10,
    batchingWindowSeconds: 1,
    reportBatchItemFailures: true,
    bisect: false,
    retryAttempts: 1,
    maxRecordAgeSeconds: -1,
  },
  dynamodbBisect: {
    source: 'dynamodb',
    batchSize: 10,
    batchingWindowSeconds: 1,
    reportBatchItemFailures: false,
    bisect: true,
    retryAttempts: 0,
    maxRecordAgeSeconds: -1,
  },
} as const satisfies Record<string, StreamScenario>;

export interface QueueScenario {
  readonly fifo: boolean;
  readonly batchSize: number;
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
  /** The consumer's timeout: at most the visibility timeout (AWS refuses the mapping otherwise). */
  readonly functionTimeoutSeconds: number;
  /** Concurrent invocations of the mapping (2 is AWS's minimum): fewer cold starts at once. */
  readonly maximumConcurrency: number;
}

/** SQS sources, each with a DLQ (redrive after `maxReceiveCount` receives) and ReportBatchItemFailures. */
export const QUEUE_SCENARIOS = {
  sqsStandard: { fifo: false, batchSize: 5, visibilityTimeoutSeconds: 6, maxReceiveCount: 2, functionTimeoutSeconds: 5, maximumConcurrency: 2 },
  sqsFifo: { fifo: true, batchSize: 10, visibilityTimeoutSeconds: 6, maxReceiveCount: 2, functionTimeoutSeconds: 5, maximumConcurrency: 2 },
} as const satisfies Record<string, QueueScenario>;

export type StreamScenarioName = keyof typeof STREAM_SCENARIOS;
export type QueueScenarioName = keyof typeof QUEUE_SCENARIOS;

/** Directly invoked probes (runtime behaviour) and the API's echo function. */
export const RUNTIME_PROBE = { timeoutSeconds: 2, memorySize: 256 } as const;

/** The probe API's usage plan: high enough for the suite's own requests, low enough to reach with a burst. */
export const API_THROTTLE = { rateLimit: 20, burstLimit: 40 } as const;
export const API_STAGE = 'probe';

/** Stack output names, derived here so the stack and the tests agree. */
export const OUTPUT = {
  observationsTable: 'ObservationsTableName',
  apiUrl: 'ApiUrl',
  apiKeyId: 'ApiKeyId',
  runtimeFunction: 'RuntimeFunctionName',
  callbackFunction: 'CallbackFunctionName',
  source: (scenario: StreamScenarioName) => `${pascal(scenario)}SourceName`,
  failureQueue: (scenario: StreamScenarioName) => `${pascal(scenario)}FailureQueueUrl`,
  functionName: (scenario: StreamScenarioName | QueueScenarioName) => `${pascal(scenario)}FunctionName`,
  queue: (scenario: QueueScenarioName) => `${pascal(scenario)}QueueUrl`,
  deadLetterQueue: (scenario: QueueScenarioName) => `${pascal(scenario)}DeadLetterQueueUrl`,
} as const;

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

import { Duration } from 'aws-cdk-lib';

/**
 * Shared defaults for sluice's functions, queues and event source mappings, in one place so
 * the stateful stack (queues) and the stateless stack (functions) agree on them.
 */
export const FUNCTION_DEFAULTS = {
  memorySize: 256,
  /** API-facing functions answer within API Gateway's 29 s limit with room for retries. */
  apiTimeout: Duration.seconds(10),
  /** Stream consumers: a batch of 100 with a few DynamoDB/SQS calls finishes well inside this. */
  consumerTimeout: Duration.seconds(30),
} as const;

/** Queue consumers' timeouts: the queues' visibility timeouts are derived from these. */
export const QUEUE_CONSUMER_TIMEOUTS = {
  /** Delivers to a webhook with a 10 s request timeout, up to 10 messages per batch. */
  notificationWorker: Duration.seconds(30),
  replica: Duration.seconds(10),
} as const;

/** AWS recommends a queue visibility timeout of at least 6× the consuming function's timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

export const QUEUE_DEFAULTS = {
  /** Receives before a message moves to its DLQ: enough to ride out a short outage downstream. */
  maxReceiveCount: 5,
  /** DLQs keep messages for the SQS maximum, so there is time to inspect and redrive. */
  dlqRetention: Duration.days(14),
  retention: Duration.days(4),
} as const;

/** Defaults for Kinesis and DynamoDB stream mappings (see `FanOutConsumer`). */
export const STREAM_MAPPING_DEFAULTS = {
  batchSize: 100,
  /** Zero keeps end-to-end latency low; consumers that prefer bigger batches raise it. */
  maxBatchingWindow: Duration.seconds(0),
  /** Bounded: a poison record cannot stall its shard for the whole retention period. */
  retryAttempts: 3,
  /** Records older than this go to the DLQ instead of being processed late. */
  maxRecordAge: Duration.hours(6),
  parallelizationFactor: 1,
} as const;

/**
 * When the outbox relay gives an unpublishable record up to its DLQ (whole): under the DynamoDB
 * stream's 24 h retention, so the record is still there to copy. `-c relayDeadLetterAfterSeconds`
 * shortens it for a test stage, so the give-up path runs in seconds instead of a day.
 */
export const RELAY_DEAD_LETTER_AFTER = Duration.hours(23);

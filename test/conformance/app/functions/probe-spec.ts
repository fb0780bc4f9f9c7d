/**
 * What a probe record asks the batch probe to do, and what the probe records about each
 * invocation in the observations table. Shared by the probe functions and the tests.
 *
 * A record carries `{"probe": ProbeSpec}`: in a Kinesis record's data, in the `probe` string
 * attribute of a DynamoDB item (its new image, or old image for a REMOVE), or in an SQS body.
 */
export interface ProbeSpec {
  /** The test's own run id: the observations partition key. */
  readonly run: string;
  /** The record's id within the run. */
  readonly id: string;
  /** Fail the first N deliveries of this record; -1 = every delivery. */
  readonly failTimes?: number;
  /** How a failing record fails: reported in batchItemFailures (default) or by throwing. */
  readonly how?: 'report' | 'throw';
  /** Replace the whole response on the first `respondTimes` deliveries (default 1). */
  readonly respond?: ProbeResponse;
  readonly respondTimes?: number;
  /** Hold the invocation this long after recording it (keeps a FIFO group locked meanwhile). */
  readonly sleepMs?: number;
}

export type ProbeResponse = 'null' | 'empty-list' | 'null-list' | 'empty-id' | 'unknown-id';

/** One invocation as the probe saw it (one item per run present in the batch). */
export interface Observation {
  readonly run: string;
  /** `inv#<epoch ms, 15 digits>#<request id>`: sorts in invocation order. */
  readonly sk: string;
  readonly functionName: string;
  readonly requestId: string;
  readonly at: number;
  /** This run's record ids, in batch order (DynamoDB: `<id>:<eventName>`). */
  readonly ids: readonly string[];
  /** The batch's records of this run: their identifiers (sequence number / message id). */
  readonly itemIdentifiers: readonly string[];
  /** Delivery count of each of this run's records, this one included. */
  readonly deliveries: Readonly<Record<string, number>>;
  /** Records in the whole batch, all runs. */
  readonly batchSize: number;
  /** This run's records as the event carried them. */
  readonly records: readonly unknown[];
}

export const OBSERVATIONS_TABLE_ENV = 'OBSERVATIONS_TABLE';
export const INVOCATION_PREFIX = 'inv#';
export const DELIVERY_PREFIX = 'delivery#';

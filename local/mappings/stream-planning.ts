/**
 * The decisions of a stream event source mapping (Kinesis, DynamoDB Streams), free of I/O:
 * how a function's outcome splits a batch into done and failed records, and what happens to the
 * failed part next (retry, bisect, discard to the on-failure destination). Quotes are from the
 * Lambda developer guide, "Using Lambda with Kinesis" (error handling, partial batch response).
 */
import type { InvokeOutcome } from '../runtime/lambda-runner';
import { isThrottled } from '../runtime/invoke-outcome';

/** Compares stream sequence numbers (decimal strings of arbitrary length). */
export function compareSequenceNumbers(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * How one attempt at a batch ended, as Lambda classifies it:
 * - `success`: every record is done;
 * - `itemFailures`: the function reported failures (ReportBatchItemFailures): the records from the
 *   lowest reported one on are to be retried;
 * - `invalidResponse`: the response broke the partial-response rules, so the whole batch failed;
 * - `functionError`: the function threw, timed out or crashed;
 * - `throttled`: the function never ran (TooManyRequestsException).
 */
export type AttemptKind = 'success' | 'itemFailures' | 'invalidResponse' | 'functionError' | 'throttled';

export interface BatchVerdict {
  readonly kind: AttemptKind;
  /** Index of the first record to process again; `sequenceNumbers.length` when the whole batch succeeded. */
  readonly failedFrom: number;
}

/**
 * Reads a function's outcome for a stream batch the way Lambda does.
 *
 * A throttle is not a function error. Without ReportBatchItemFailures any error fails the whole
 * batch. With it, the lowest reported sequence number and everything after it is retried; a
 * response that is not an object, a malformed list or an identifier that is not in the batch fails
 * the whole batch; a null response or an empty or absent list is a success.
 */
export function interpretStreamOutcome(sequenceNumbers: readonly string[], outcome: InvokeOutcome, reportBatchItemFailures: boolean): BatchVerdict {
  if (isThrottled(outcome)) return { kind: 'throttled', failedFrom: 0 };
  if (!outcome.ok) return { kind: 'functionError', failedFrom: 0 };
  const done: BatchVerdict = { kind: 'success', failedFrom: sequenceNumbers.length };
  const invalid: BatchVerdict = { kind: 'invalidResponse', failedFrom: 0 };
  if (!reportBatchItemFailures) return done;
  const response = outcome.result;
  if (response === null || response === undefined) return done;
  if (typeof response !== 'object' || Array.isArray(response)) return invalid;
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return done;
  if (!Array.isArray(failures)) return invalid;
  if (failures.length === 0) return done;
  let lowest = sequenceNumbers.length;
  for (const failure of failures) {
    const id = failure !== null && typeof failure === 'object' ? (failure as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    const index = typeof id === 'string' && id !== '' ? sequenceNumbers.indexOf(id) : -1;
    if (index < 0) return invalid;
    lowest = Math.min(lowest, index);
  }
  return { kind: 'itemFailures', failedFrom: lowest };
}

export type NextStep =
  | { readonly kind: 'done' }
  /** Invoke again with the records from `from` on; `counted`: whether this retry uses up one of MaximumRetryAttempts. */
  | { readonly kind: 'retry'; readonly from: number; readonly counted: boolean }
  | { readonly kind: 'bisect'; readonly from: number; readonly split: number }
  | { readonly kind: 'discard'; readonly from: number };

export interface RetryPolicy {
  /** -1 retries until the record expires. */
  readonly maximumRetryAttempts: number;
  readonly bisectBatchOnFunctionError: boolean;
}

/**
 * What to do after an attempt, as the Lambda developer guide describes it:
 * - a throttle is retried without using a retry ("This doesn't apply to service errors or
 *   throttles where the batch didn't reach the function"); only the record age ends it;
 * - a function error splits the batch in halves when bisecting is on and it has more than one
 *   record, without using a retry ("Splitting a batch does not count towards the retry quota");
 * - reported item failures are not halved again: the batch is split at the reported sequence
 *   number and only the records from it on are retried ("the batch is bisected at the returned
 *   sequence number and Lambda retries only the remaining records"), using a retry;
 * - otherwise the failed records are retried while `retriesUsed` is below the maximum, and then
 *   discarded (sent to the on-failure destination, checkpointed past).
 */
export function planNextStep(batchLength: number, verdict: BatchVerdict, retriesUsed: number, policy: RetryPolicy): NextStep {
  const from = verdict.failedFrom;
  if (verdict.kind === 'success' || from >= batchLength) return { kind: 'done' };
  if (verdict.kind === 'throttled') return { kind: 'retry', from: 0, counted: false };
  if (verdict.kind === 'functionError' && policy.bisectBatchOnFunctionError && batchLength > 1) {
    return { kind: 'bisect', from: 0, split: Math.ceil(batchLength / 2) };
  }
  if (policy.maximumRetryAttempts < 0 || retriesUsed < policy.maximumRetryAttempts) return { kind: 'retry', from, counted: true };
  return { kind: 'discard', from };
}

/** Splits records into those still young enough to process and those past MaximumRecordAgeInSeconds (-1 = never). */
export function partitionByAge<T>(
  records: readonly T[],
  arrivalMs: (record: T) => number,
  maximumRecordAgeSeconds: number,
  now: number,
): { fresh: T[]; expired: T[] } {
  if (maximumRecordAgeSeconds < 0) return { fresh: [...records], expired: [] };
  const fresh: T[] = [];
  const expired: T[] = [];
  for (const record of records) (now - arrivalMs(record) > maximumRecordAgeSeconds * 1000 ? expired : fresh).push(record);
  return { fresh, expired };
}

/** Which of `factor` concurrent lanes of a shard a partition key goes to (same key, same lane, so per-key order holds). */
export function laneOf(partitionKey: string, factor: number): number {
  if (factor <= 1) return 0;
  // FNV-1a: stable across runs, cheap, evenly spread for short keys.
  let hash = 0x811c9dc5;
  for (let i = 0; i < partitionKey.length; i += 1) {
    hash ^= partitionKey.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % factor;
}

/** What a shard reader knows when it sizes its next GetRecords page. */
export interface PageSizing {
  /** The most the service returns in one call (Kinesis 10,000, DynamoDB Streams 1,000). */
  readonly serviceLimit: number;
  /** Records the reader may hold read but not yet processed. */
  readonly backlogLimit: number;
  /** Records it holds now. */
  readonly held: number;
  /** Records that start every lane at once: BatchSize × ParallelizationFactor. */
  readonly firstBatches: number;
}

/**
 * The `Limit` of a shard reader's next GetRecords: with nothing held (the lanes wait for work), just
 * enough records to start every lane, so a backlog's first batches are invoked after a small read,
 * not after the service has served and the poller has shaped a page of thousands; otherwise what
 * the backlog still has room for, so a page never overfills it. Lambda's record batches are the
 * same either way: only when they arrive changes.
 *
 * @example
 * pageLimit({ serviceLimit: 10_000, backlogLimit: 500, held: 0, firstBatches: 100 }) // 100
 * pageLimit({ serviceLimit: 10_000, backlogLimit: 500, held: 100, firstBatches: 100 }) // 400
 */
export function pageLimit({ serviceLimit, backlogLimit, held, firstBatches }: PageSizing): number {
  const wanted = held === 0 ? firstBatches : backlogLimit - held;
  return Math.min(serviceLimit, Math.max(1, wanted));
}

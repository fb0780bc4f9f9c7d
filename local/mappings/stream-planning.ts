/**
 * The decisions of a stream event source mapping (Kinesis, DynamoDB Streams), free of I/O:
 * how a function's outcome splits a batch into done and failed records, and what happens to the
 * failed part next (retry, bisect, discard to the on-failure destination).
 */
import type { InvokeOutcome } from '../runtime/lambda-runner';

/** Compares stream sequence numbers (decimal strings of arbitrary length). */
export function compareSequenceNumbers(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export interface BatchVerdict {
  /** Index of the first record to process again; `sequenceNumbers.length` when the whole batch succeeded. */
  readonly failedFrom: number;
  /** The function itself failed (threw, timed out, crashed) rather than reporting item failures. */
  readonly functionError: boolean;
}

/**
 * Reads a function's outcome for a stream batch the way Lambda does.
 *
 * Without ReportBatchItemFailures any error fails the whole batch. With it, the lowest reported
 * sequence number and everything after it is retried; a response that is not an object, a
 * malformed list or an identifier that is not in the batch fails the whole batch; a null
 * response or an empty or absent list is a success.
 */
export function interpretStreamOutcome(sequenceNumbers: readonly string[], outcome: InvokeOutcome, reportBatchItemFailures: boolean): BatchVerdict {
  if (!outcome.ok) return { failedFrom: 0, functionError: true };
  const done = { failedFrom: sequenceNumbers.length, functionError: false };
  if (!reportBatchItemFailures) return done;
  const response = outcome.result;
  if (response === null || response === undefined) return done;
  if (typeof response !== 'object' || Array.isArray(response)) return { failedFrom: 0, functionError: false };
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return done;
  if (!Array.isArray(failures)) return { failedFrom: 0, functionError: false };
  if (failures.length === 0) return done;
  let lowest = sequenceNumbers.length;
  for (const failure of failures) {
    const id = failure !== null && typeof failure === 'object' ? (failure as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    const index = typeof id === 'string' && id !== '' ? sequenceNumbers.indexOf(id) : -1;
    if (index < 0) return { failedFrom: 0, functionError: false };
    lowest = Math.min(lowest, index);
  }
  return { failedFrom: lowest, functionError: false };
}

export type NextStep =
  | { readonly kind: 'done' }
  | { readonly kind: 'retry'; readonly from: number }
  | { readonly kind: 'bisect'; readonly from: number; readonly split: number }
  | { readonly kind: 'discard'; readonly from: number };

export interface RetryPolicy {
  /** -1 retries until the record expires. */
  readonly maximumRetryAttempts: number;
  readonly bisectBatchOnFunctionError: boolean;
}

/**
 * What to do after an attempt.
 *
 * The failed tail (`from` onwards) is split in halves when bisecting is on and it has more than one
 * record — a split does not use up a retry (AWS: "splitting a batch does not count towards the
 * retry quota"); otherwise it is retried while `retriesUsed` is below the maximum, and then
 * discarded (sent to the on-failure destination, checkpointed past).
 */
export function planNextStep(batchLength: number, verdict: BatchVerdict, retriesUsed: number, policy: RetryPolicy): NextStep {
  const from = verdict.failedFrom;
  if (from >= batchLength) return { kind: 'done' };
  const failing = batchLength - from;
  if (policy.bisectBatchOnFunctionError && failing > 1) {
    return { kind: 'bisect', from, split: from + Math.ceil(failing / 2) };
  }
  if (policy.maximumRetryAttempts < 0 || retriesUsed < policy.maximumRetryAttempts) return { kind: 'retry', from };
  return { kind: 'discard', from };
}

/** Splits records into those still young enough to process and those past MaximumRecordAgeInSeconds (-1 = never). */
export function partitionByAge<T>(records: readonly T[], arrivalMs: (record: T) => number, maximumRecordAgeSeconds: number, now: number): { fresh: T[]; expired: T[] } {
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

import { RecordTooLargeError } from './errors';

/** One record as PutRecords takes it; `data` is the raw (not base64) payload. */
export interface PutRecordsEntry {
  readonly data: Uint8Array;
  readonly partitionKey: string;
}

/** Kinesis PutRecords quotas: records per call, bytes per call and bytes per record. */
export interface PutRecordsLimits {
  readonly maxRecords: number;
  readonly maxBatchBytes: number;
  readonly maxRecordBytes: number;
}

const MiB = 1024 * 1024;

/** The service quotas documented for PutRecords (partition keys count towards the bytes). */
export const PUT_RECORDS_LIMITS: PutRecordsLimits = Object.freeze({
  maxRecords: 500,
  maxBatchBytes: 5 * MiB,
  maxRecordBytes: 1 * MiB,
});

/** Bytes a record counts for against the quotas: its data plus its UTF-8 partition key. */
export function recordBytes(entry: PutRecordsEntry): number {
  return entry.data.byteLength + Buffer.byteLength(entry.partitionKey, 'utf8');
}

/**
 * Checks every record against the per-record quota before anything is sent.
 *
 * @throws {RecordTooLargeError} naming the first record over the limit.
 */
export function assertRecordsFit(entries: readonly PutRecordsEntry[], limits: PutRecordsLimits = PUT_RECORDS_LIMITS): void {
  entries.forEach((entry, index) => {
    const size = recordBytes(entry);
    if (size > limits.maxRecordBytes) throw new RecordTooLargeError(index, size, limits.maxRecordBytes);
  });
}

/**
 * Splits records into PutRecords calls that respect the count and byte quotas, keeping input order.
 *
 * Returns the input indices of each call, so callers can map results back to their own records.
 *
 * @example
 * planPutRecordsBatches(entries) // → [[0, 1, …, 499], [500, …]]
 * @throws {RecordTooLargeError} when one record alone exceeds the per-record quota.
 */
export function planPutRecordsBatches(entries: readonly PutRecordsEntry[], limits: PutRecordsLimits = PUT_RECORDS_LIMITS): number[][] {
  assertRecordsFit(entries, limits);
  const batches: number[][] = [];
  let current: number[] = [];
  let currentBytes = 0;
  entries.forEach((entry, index) => {
    const size = recordBytes(entry);
    if (current.length === limits.maxRecords || currentBytes + size > limits.maxBatchBytes) {
      batches.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(index);
    currentBytes += size;
  });
  if (current.length > 0) batches.push(current);
  return batches;
}

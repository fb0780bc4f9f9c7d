import type { PutRecordsEntry } from './batch-planner';

/** The outcome of one entry of a PutRecords call, in the order the entries were sent. */
export type PutRecordsEntryResult = { readonly sequenceNumber: string; readonly shardId: string } | { readonly errorCode: string; readonly errorMessage: string };

/**
 * The one Kinesis operation the publisher needs, bound to a stream.
 *
 * The SDK adapter implements it with `PutRecordsCommand`; unit tests use an in-memory fake that
 * fails chosen records.
 */
export interface PutRecordsPort {
  /**
   * Sends one PutRecords call (already within the quotas).
   *
   * @returns one result per entry, in order; a partial failure is reported here, not thrown.
   * @throws when the whole call fails (after the SDK's own retries).
   */
  putRecords(entries: readonly PutRecordsEntry[]): Promise<PutRecordsEntryResult[]>;
}

import type { PutRecordsEntry, PutRecordsEntryResult, PutRecordsPort } from '../../lambdas/shared/kinesis';

/** Decides whether an entry fails on a given attempt: return an error code to fail it. */
export type FailureRule = (entry: PutRecordsEntry, callNumber: number) => string | undefined;

/**
 * In-memory {@link PutRecordsPort}: records every call and fails the entries a rule picks.
 *
 * Sequence numbers count up across calls so tests can tell which call published a record.
 */
export class FakePutRecordsPort implements PutRecordsPort {
  public readonly calls: PutRecordsEntry[][] = [];
  private sequence = 0;

  public constructor(private readonly failureRule: FailureRule = () => undefined) {}

  public async putRecords(entries: readonly PutRecordsEntry[]): Promise<PutRecordsEntryResult[]> {
    this.calls.push([...entries]);
    const callNumber = this.calls.length;
    return entries.map((entry) => {
      const errorCode = this.failureRule(entry, callNumber);
      if (errorCode) return { errorCode, errorMessage: `${errorCode} for ${entry.partitionKey}` };
      this.sequence += 1;
      return { sequenceNumber: String(this.sequence).padStart(10, '0'), shardId: 'shardId-000000000000' };
    });
  }

  /** The events that reached the stream, decoded. */
  public published(): unknown[] {
    return this.calls.flat().map((entry) => JSON.parse(Buffer.from(entry.data).toString('utf8')));
  }
}

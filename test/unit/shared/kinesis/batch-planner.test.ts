import { planPutRecordsBatches, PUT_RECORDS_LIMITS, RecordTooLargeError, recordBytes, type PutRecordsEntry } from '../../../../lambdas/shared/kinesis';

const MiB = 1024 * 1024;

/** An entry whose data + partition key is exactly `totalBytes` bytes. */
function entryOf(totalBytes: number, partitionKey = 'pk'): PutRecordsEntry {
  return { data: new Uint8Array(totalBytes - Buffer.byteLength(partitionKey)), partitionKey };
}

describe('planPutRecordsBatches', () => {
  it('returns no batches for no records', () => {
    expect(planPutRecordsBatches([])).toEqual([]);
  });

  it('puts exactly 500 small records in one call', () => {
    const batches = planPutRecordsBatches(Array.from({ length: 500 }, () => entryOf(10)));
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(500);
  });

  it('starts a second call at the 501st record, keeping input order', () => {
    const batches = planPutRecordsBatches(Array.from({ length: 501 }, () => entryOf(10)));
    expect(batches.map((batch) => batch.length)).toEqual([500, 1]);
    expect(batches.flat()).toEqual(Array.from({ length: 501 }, (_, index) => index));
  });

  it('fills a call up to exactly 5 MiB and starts another for the next byte', () => {
    const fiveExactly = Array.from({ length: 5 }, () => entryOf(MiB));
    expect(planPutRecordsBatches(fiveExactly)).toEqual([[0, 1, 2, 3, 4]]);

    const oneMore = [...fiveExactly, entryOf(3)];
    expect(planPutRecordsBatches(oneMore)).toEqual([[0, 1, 2, 3, 4], [5]]);
  });

  it('counts the partition key towards the bytes', () => {
    const entry: PutRecordsEntry = { data: new Uint8Array(10), partitionKey: 'kärte' };
    expect(recordBytes(entry)).toBe(10 + 6);
  });

  it('accepts a record of exactly 1 MiB', () => {
    expect(planPutRecordsBatches([entryOf(MiB)])).toEqual([[0]]);
  });

  it('rejects a record over 1 MiB up front, naming its index', () => {
    const entries = [entryOf(10), entryOf(10), entryOf(MiB + 1)];
    const attempt = () => planPutRecordsBatches(entries);
    expect(attempt).toThrow(RecordTooLargeError);
    expect(attempt).toThrow(/record 2 is 1048577 bytes/);
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ code: 'record_too_large', index: 2, limitBytes: PUT_RECORDS_LIMITS.maxRecordBytes });
    }
  });

  it('honours custom limits', () => {
    const limits = { maxRecords: 2, maxBatchBytes: 100, maxRecordBytes: 60 };
    const batches = planPutRecordsBatches([entryOf(50), entryOf(50), entryOf(10), entryOf(10), entryOf(10)], limits);
    expect(batches).toEqual([[0, 1], [2, 3], [4]]);
  });
});

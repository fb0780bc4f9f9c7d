import fc from 'fast-check';
import { PUT_RECORDS_LIMITS, planPutRecordsBatches, recordBytes, type PutRecordsEntry, type PutRecordsLimits } from '../../../lambdas/shared/kinesis/batch-planner';
import { RecordTooLargeError } from '../../../lambdas/shared/kinesis/errors';
import { planPublishRounds } from '../../../lambdas/outbox-relay/publish-rounds';

/** Property tests of the two batch planners; a failure prints fast-check's seed and the shrunk counterexample. */
const SEED = 20_261_129;
const MiB = 1024 * 1024;

/** A record of `size` data bytes; the planner only reads `byteLength`, so no megabytes are allocated. */
const entryOf = ([size, partitionKey]: [number, string]): PutRecordsEntry => ({ data: { byteLength: size } as Uint8Array, partitionKey });

const partitionKey = fc.constantFrom('acc-1', 'acc-2', 'acc-3', 'ü-4', 'k');
/** Sizes around the real quotas: many small records, some near 1 MiB, so both the count and the 5 MiB limit bind. */
const realSize = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 2_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: MiB - 64 * 1024, max: MiB - 16 }) },
);
const fittingEntries = fc.array(fc.tuple(realSize, partitionKey), { maxLength: 1_300 }).map((list) => list.map(entryOf));

/** Small random quotas, so every edge (exactly full, one byte over) is reached in few records. */
const smallLimits: fc.Arbitrary<PutRecordsLimits> = fc
  .record({ maxRecords: fc.integer({ min: 1, max: 8 }), maxRecordBytes: fc.integer({ min: 2, max: 40 }), extra: fc.integer({ min: 0, max: 80 }) })
  .map(({ maxRecords, maxRecordBytes, extra }) => ({ maxRecords, maxRecordBytes, maxBatchBytes: maxRecordBytes + extra }));

function assertValidPlan(entries: readonly PutRecordsEntry[], limits: PutRecordsLimits, batches: number[][]): void {
  // Order kept: the batches, read in turn, are the input in order (so every key's records are too).
  expect(batches.flat()).toEqual(entries.map((_, index) => index));
  batches.forEach((batch, n) => {
    const bytes = batch.reduce((sum, index) => sum + recordBytes(entries[index]), 0);
    expect(batch.length).toBeGreaterThan(0);
    expect(batch.length).toBeLessThanOrEqual(limits.maxRecords);
    expect(bytes).toBeLessThanOrEqual(limits.maxBatchBytes);
    // Greedy: a batch is closed only when the next record would not fit in it.
    const next = batches[n + 1]?.[0];
    if (next !== undefined) {
      expect(batch.length === limits.maxRecords || bytes + recordBytes(entries[next]) > limits.maxBatchBytes).toBe(true);
    }
  });
}

describe('planPutRecordsBatches properties', () => {
  it('keeps order and holds the PutRecords quotas (500 records, 5 MiB, 1 MiB per record)', () => {
    expect(PUT_RECORDS_LIMITS).toEqual({ maxRecords: 500, maxBatchBytes: 5 * MiB, maxRecordBytes: MiB });
    fc.assert(
      fc.property(fittingEntries, (entries) => assertValidPlan(entries, PUT_RECORDS_LIMITS, planPutRecordsBatches(entries))),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('keeps order and holds any quotas', () => {
    const entries = (limits: PutRecordsLimits) =>
      fc
        .array(fc.tuple(fc.integer({ min: 0, max: limits.maxRecordBytes - 1 }), partitionKey), { maxLength: 60 })
        .map((list) => list.map(entryOf).filter((entry) => recordBytes(entry) <= limits.maxRecordBytes));
    fc.assert(
      fc.property(
        smallLimits.chain((limits) => fc.tuple(fc.constant(limits), entries(limits))),
        ([limits, list]) => {
          assertValidPlan(list, limits, planPutRecordsBatches(list, limits));
        },
      ),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('refuses the first oversized record, naming its index and size, before planning anything', () => {
    const withOversized = fc
      .tuple(
        fc.array(fc.tuple(realSize, partitionKey), { maxLength: 40 }),
        fc.array(fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 * MiB })), { minLength: 1, maxLength: 3 }),
        fc.infiniteStream(fc.nat()),
      )
      .map(([fitting, excess, positions]) => {
        const entries = fitting.map(entryOf);
        const it = positions[Symbol.iterator]();
        for (const over of excess) {
          const key = 'acc-1';
          const at = it.next().value % (entries.length + 1);
          entries.splice(at, 0, entryOf([MiB - Buffer.byteLength(key) + over, key]));
        }
        return entries;
      });
    fc.assert(
      fc.property(withOversized, (entries) => {
        const first = entries.findIndex((entry) => recordBytes(entry) > MiB);
        let thrown: unknown;
        try {
          planPutRecordsBatches(entries);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(RecordTooLargeError);
        expect(thrown).toMatchObject({ index: first, sizeBytes: recordBytes(entries[first]), limitBytes: MiB });
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('accepts a record of exactly 1 MiB (data plus partition key) and refuses one byte more', () => {
    const key = 'acc-1';
    const exact = entryOf([MiB - Buffer.byteLength(key), key]);
    expect(planPutRecordsBatches([exact, exact])).toEqual([[0, 1]]);
    expect(() => planPutRecordsBatches([exact, entryOf([MiB - Buffer.byteLength(key) + 1, key])])).toThrow(expect.objectContaining({ index: 1 }));
  });
});

describe('planPublishRounds properties', () => {
  const keys = fc.array(fc.constantFrom('acc-1', 'acc-2', 'acc-3', 'acc-4', 'acc-5'), { maxLength: 200 });

  it('publishes every record once, never two of one account in a round, each account in stream order', () => {
    fc.assert(
      fc.property(keys, (partitionKeys) => {
        const rounds = planPublishRounds(partitionKeys);
        expect(rounds.flat().sort((a, b) => a - b)).toEqual(partitionKeys.map((_, index) => index));
        const roundOf = new Map<number, number>();
        rounds.forEach((round, n) => {
          expect(round.length).toBeGreaterThan(0);
          expect([...round].sort((a, b) => a - b)).toEqual(round);
          expect(new Set(round.map((index) => partitionKeys[index])).size).toBe(round.length);
          round.forEach((index) => roundOf.set(index, n));
        });
        // The k-th record of an account goes in round k: its order survives round-by-round publishing.
        const seen = new Map<string, number>();
        partitionKeys.forEach((key, index) => {
          const k = seen.get(key) ?? 0;
          seen.set(key, k + 1);
          expect(roundOf.get(index)).toBe(k);
        });
        // No more rounds than the busiest account needs.
        expect(rounds.length).toBe(Math.max(0, ...seen.values()));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});

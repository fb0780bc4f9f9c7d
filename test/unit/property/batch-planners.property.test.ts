import fc from 'fast-check';
import { PUT_RECORDS_LIMITS, planPutRecordsBatches, recordBytes, type PutRecordsEntry, type PutRecordsLimits } from '../../../lambdas/shared/kinesis/batch-planner';
import { RecordTooLargeError } from '../../../lambdas/shared/kinesis/errors';
import { overtakenRecords } from '../../../lambdas/outbox-relay/overtaken-records';

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

describe('overtakenRecords properties', () => {
  const landings = fc.array(
    fc.record({ partitionKey: fc.constantFrom('acc-1', 'acc-2', 'acc-3'), sequence: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }) }),
    { maxLength: 100 },
  );

  it('after publishing the returned records again (landing above everything), each key is in order on its last copies', () => {
    fc.assert(
      fc.property(landings, (drawn) => {
        const input = drawn.map(({ partitionKey, sequence }) =>
          sequence === undefined ? { partitionKey } : { partitionKey, shardId: 'shardId-000000000000', sequenceNumber: String(sequence) },
        );
        const again = overtakenRecords(input);
        expect([...again].sort((x, y) => x - y)).toEqual(again);
        expect(again.every((index) => input[index].sequenceNumber !== undefined)).toBe(true);
        // Republished records land above every sequence number so far, in the order given.
        const top = Math.max(0, ...drawn.map((item) => item.sequence ?? 0));
        const last = input.map((item, index) => {
          const position = again.indexOf(index);
          return item.sequenceNumber === undefined ? undefined : position >= 0 ? top + 1 + position : Number(item.sequenceNumber);
        });
        for (const key of ['acc-1', 'acc-2', 'acc-3']) {
          const order = last.filter((sequence, index): sequence is number => sequence !== undefined && input[index].partitionKey === key);
          expect([...order].sort((x, y) => x - y)).toEqual(order);
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});

import type { InvokeOutcome } from '../../../../local/runtime/lambda-runner';
import { throttledOutcome } from '../../../../local/runtime/invoke-outcome';
import { compareSequenceNumbers, interpretStreamOutcome, laneOf, pageLimit, partitionByAge, planNextStep } from '../../../../local/mappings/stream-planning';

const seqs = [
  '49600000000000000000000000000000000000000000000000000001',
  '49600000000000000000000000000000000000000000000000000002',
  '49600000000000000000000000000000000000000000000000000003',
  '49600000000000000000000000000000000000000000000000000004',
];
const ok = (result: unknown): InvokeOutcome => ({ ok: true, result });
const thrown: InvokeOutcome = { ok: false, error: { errorType: 'Error', errorMessage: 'boom' } };

const throttled: InvokeOutcome = throttledOutcome();

// Quotes: AWS Lambda developer guide, "Using Lambda with Kinesis" / "Configuring partial batch
// response with Kinesis Data Streams and Lambda" (the DynamoDB Streams pages say the same).
describe('stream mapping planning', () => {
  describe('interpretStreamOutcome', () => {
    it('fails the whole batch when the function throws', () => {
      expect(interpretStreamOutcome(seqs, thrown, true)).toEqual({ kind: 'functionError', failedFrom: 0 });
    });

    // "If Lambda throttles the function or returns an error without invoking the function, Lambda
    // retries until the records expire or exceed the maximum age" — a throttle is not a function error.
    it('tells a throttle apart from a function error', () => {
      expect(interpretStreamOutcome(seqs, throttled, true)).toEqual({ kind: 'throttled', failedFrom: 0 });
      expect(interpretStreamOutcome(seqs, throttled, false)).toEqual({ kind: 'throttled', failedFrom: 0 });
    });

    it('treats any successful response as done without ReportBatchItemFailures', () => {
      expect(interpretStreamOutcome(seqs, ok({ batchItemFailures: [{ itemIdentifier: seqs[1] }] }), false)).toEqual({ kind: 'success', failedFrom: 4 });
    });

    // "Lambda treats a batch as a complete success if you return any of the following: An empty
    // batchItemFailure list, A null batchItemFailure list, An empty EventResponse, A null EventResponse"
    it.each([
      ['null', null],
      ['an empty object', {}],
      ['an empty list', { batchItemFailures: [] }],
      ['a null list', { batchItemFailures: null }],
    ])('treats %s as a full success', (_name, response) => {
      expect(interpretStreamOutcome(seqs, ok(response), true)).toEqual({ kind: 'success', failedFrom: 4 });
    });

    // "If the batchItemFailures array contains multiple items, Lambda uses the record with the
    // lowest sequence number as the checkpoint. Lambda then retries all records starting from that checkpoint."
    it('resumes from the lowest reported sequence number', () => {
      const verdict = interpretStreamOutcome(seqs, ok({ batchItemFailures: [{ itemIdentifier: seqs[3] }, { itemIdentifier: seqs[1] }] }), true);
      expect(verdict).toEqual({ kind: 'itemFailures', failedFrom: 1 });
    });

    // "Lambda treats a batch as a complete failure if you return any of the following: An empty
    // string itemIdentifier, A null itemIdentifier, An itemIdentifier with a bad key name"
    it.each([
      ['an unknown identifier', { batchItemFailures: [{ itemIdentifier: '123' }] }],
      ['an empty identifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
      ['a null identifier', { batchItemFailures: [{ itemIdentifier: null }] }],
      ['a misnamed key', { batchItemFailures: [{ id: seqs[0] }] }],
      ['a list that is not an array', { batchItemFailures: 'all' }],
      ['a response that is not an object', 'failed'],
    ])('fails the whole batch for %s', (_name, response) => {
      expect(interpretStreamOutcome(seqs, ok(response), true)).toEqual({ kind: 'invalidResponse', failedFrom: 0 });
    });
  });

  describe('planNextStep', () => {
    const policy = { maximumRetryAttempts: 2, bisectBatchOnFunctionError: false };
    const bisect = { ...policy, bisectBatchOnFunctionError: true };
    const functionError = { kind: 'functionError', failedFrom: 0 } as const;
    const itemFailuresFrom = (failedFrom: number) => ({ kind: 'itemFailures', failedFrom }) as const;

    it('is done when nothing failed', () => {
      expect(planNextStep(4, { kind: 'success', failedFrom: 4 }, 0, policy)).toEqual({ kind: 'done' });
    });

    it('retries the failed tail while retries remain, using one', () => {
      expect(planNextStep(4, itemFailuresFrom(2), 1, policy)).toEqual({ kind: 'retry', from: 2, counted: true });
    });

    it('discards the failed tail once the retries are used up', () => {
      expect(planNextStep(4, itemFailuresFrom(2), 2, policy)).toEqual({ kind: 'discard', from: 2 });
    });

    it('retries forever with -1', () => {
      expect(planNextStep(4, functionError, 1000, { ...policy, maximumRetryAttempts: -1 })).toEqual({ kind: 'retry', from: 0, counted: true });
    });

    it('discards at once with 0 retries', () => {
      expect(planNextStep(1, functionError, 0, { ...policy, maximumRetryAttempts: 0 })).toEqual({ kind: 'discard', from: 0 });
    });

    it('retries an invalid partial response as a whole-batch failure, without bisecting it', () => {
      expect(planNextStep(4, { kind: 'invalidResponse', failedFrom: 0 }, 0, bisect)).toEqual({ kind: 'retry', from: 0, counted: true });
      expect(planNextStep(4, { kind: 'invalidResponse', failedFrom: 0 }, 2, bisect)).toEqual({ kind: 'discard', from: 0 });
    });

    // "If your invocation fails and BisectBatchOnFunctionError is turned on, the batch is bisected
    // regardless of your ReportBatchItemFailures setting." / "Splitting a batch does not count
    // towards the retry quota."
    it('bisects a batch whose invocation failed without using a retry, even when retries are used up', () => {
      expect(planNextStep(4, functionError, 2, bisect)).toEqual({ kind: 'bisect', from: 0, split: 2 });
      expect(planNextStep(5, functionError, 0, bisect)).toEqual({ kind: 'bisect', from: 0, split: 3 });
    });

    // "When a partial batch success response is received and both BisectBatchOnFunctionError and
    // ReportBatchItemFailures are turned on, the batch is bisected at the returned sequence number
    // and Lambda retries only the remaining records."
    it('splits at the reported record and retries all the rest, never halving the failed tail', () => {
      expect(planNextStep(4, itemFailuresFrom(1), 0, bisect)).toEqual({ kind: 'retry', from: 1, counted: true });
      expect(planNextStep(100, itemFailuresFrom(0), 0, bisect)).toEqual({ kind: 'retry', from: 0, counted: true });
    });

    // "Lambda retries failures based on your retry strategy." — the retries of a reported tail count.
    it('discards the reported tail once the retries are used up, also with bisect on', () => {
      expect(planNextStep(4, itemFailuresFrom(1), 2, bisect)).toEqual({ kind: 'discard', from: 1 });
    });

    it('stops bisecting at a single record and then retries or discards it', () => {
      expect(planNextStep(1, functionError, 0, bisect)).toEqual({ kind: 'retry', from: 0, counted: true });
      expect(planNextStep(1, functionError, 2, bisect)).toEqual({ kind: 'discard', from: 0 });
    });

    // "Retry attempts – The maximum number of times that Lambda retries when the function returns an
    // error. This doesn't apply to service errors or throttles where the batch didn't reach the function."
    it.each([
      ['with retries left', 0, policy],
      ['with every retry used up', 2, policy],
      ['with zero retries allowed', 0, { ...policy, maximumRetryAttempts: 0 }],
      ['with bisect on', 0, bisect],
    ])('retries a throttled batch whole, without using a retry, %s', (_name, retriesUsed, retryPolicy) => {
      expect(planNextStep(4, { kind: 'throttled', failedFrom: 0 }, retriesUsed, retryPolicy)).toEqual({ kind: 'retry', from: 0, counted: false });
    });
  });

  describe('partitionByAge', () => {
    it('separates records older than the maximum age', () => {
      const now = 1_000_000;
      const records = [{ at: now - 61_000 }, { at: now - 59_000 }];
      expect(partitionByAge(records, (r) => r.at, 60, now)).toEqual({ expired: [records[0]], fresh: [records[1]] });
    });

    it('keeps everything with -1', () => {
      expect(partitionByAge([{ at: 0 }], (r) => r.at, -1, Date.now()).expired).toEqual([]);
    });
  });

  describe('laneOf', () => {
    it('puts every record of a partition key on the same lane', () => {
      expect(new Set(Array.from({ length: 5 }, () => laneOf('account#42', 4))).size).toBe(1);
    });

    it('spreads keys over all lanes', () => {
      const lanes = new Set(Array.from({ length: 200 }, (_, i) => laneOf(`key-${i}`, 4)));
      expect([...lanes].sort()).toEqual([0, 1, 2, 3]);
    });

    it('uses lane 0 without parallelization', () => {
      expect(laneOf('anything', 1)).toBe(0);
    });
  });

  it('compares sequence numbers numerically, not as text', () => {
    expect(compareSequenceNumbers('9', '10')).toBe(-1);
    expect(compareSequenceNumbers(seqs[2], seqs[2])).toBe(0);
  });

  describe('pageLimit', () => {
    const sizing = { serviceLimit: 10_000, backlogLimit: 500, firstBatches: 100 };

    it('reads just the first batches of every lane when nothing is held, so they start at once', () => {
      expect(pageLimit({ ...sizing, held: 0 })).toBe(100);
      expect(pageLimit({ ...sizing, held: 0, firstBatches: 300 })).toBe(300);
    });

    it('reads what the backlog has room for while batches are held', () => {
      expect(pageLimit({ ...sizing, held: 100 })).toBe(400);
      expect(pageLimit({ ...sizing, held: 499 })).toBe(1);
    });

    it("never asks for more than the service's own limit, nor for less than one record", () => {
      expect(pageLimit({ serviceLimit: 1000, backlogLimit: 5000, held: 10, firstBatches: 100 })).toBe(1000);
      expect(pageLimit({ serviceLimit: 1000, backlogLimit: 5000, held: 0, firstBatches: 20_000 })).toBe(1000);
      expect(pageLimit({ ...sizing, held: 600 })).toBe(1);
    });
  });
});

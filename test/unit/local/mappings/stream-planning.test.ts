import type { InvokeOutcome } from '../../../../local/runtime/lambda-runner';
import { compareSequenceNumbers, interpretStreamOutcome, laneOf, partitionByAge, planNextStep } from '../../../../local/mappings/stream-planning';

const seqs = ['49600000000000000000000000000000000000000000000000000001', '49600000000000000000000000000000000000000000000000000002', '49600000000000000000000000000000000000000000000000000003', '49600000000000000000000000000000000000000000000000000004'];
const ok = (result: unknown): InvokeOutcome => ({ ok: true, result });
const thrown: InvokeOutcome = { ok: false, error: { errorType: 'Error', errorMessage: 'boom' } };

describe('stream mapping planning', () => {
  describe('interpretStreamOutcome', () => {
    it('fails the whole batch when the function throws', () => {
      expect(interpretStreamOutcome(seqs, thrown, true)).toEqual({ failedFrom: 0, functionError: true });
    });

    it('treats any successful response as done without ReportBatchItemFailures', () => {
      expect(interpretStreamOutcome(seqs, ok({ batchItemFailures: [{ itemIdentifier: seqs[1] }] }), false)).toEqual({ failedFrom: 4, functionError: false });
    });

    it.each([
      ['null', null],
      ['an empty object', {}],
      ['an empty list', { batchItemFailures: [] }],
      ['a null list', { batchItemFailures: null }],
    ])('treats %s as a full success', (_name, response) => {
      expect(interpretStreamOutcome(seqs, ok(response), true).failedFrom).toBe(4);
    });

    it('resumes from the lowest reported sequence number', () => {
      const verdict = interpretStreamOutcome(seqs, ok({ batchItemFailures: [{ itemIdentifier: seqs[3] }, { itemIdentifier: seqs[1] }] }), true);
      expect(verdict).toEqual({ failedFrom: 1, functionError: false });
    });

    it.each([
      ['an unknown identifier', { batchItemFailures: [{ itemIdentifier: '123' }] }],
      ['an empty identifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
      ['a null identifier', { batchItemFailures: [{ itemIdentifier: null }] }],
      ['a misnamed key', { batchItemFailures: [{ id: seqs[0] }] }],
      ['a list that is not an array', { batchItemFailures: 'all' }],
      ['a response that is not an object', 'failed'],
    ])('fails the whole batch for %s', (_name, response) => {
      expect(interpretStreamOutcome(seqs, ok(response), true)).toEqual({ failedFrom: 0, functionError: false });
    });
  });

  describe('planNextStep', () => {
    const policy = { maximumRetryAttempts: 2, bisectBatchOnFunctionError: false };

    it('is done when nothing failed', () => {
      expect(planNextStep(4, { failedFrom: 4, functionError: false }, 0, policy)).toEqual({ kind: 'done' });
    });

    it('retries the failed tail while retries remain', () => {
      expect(planNextStep(4, { failedFrom: 2, functionError: false }, 1, policy)).toEqual({ kind: 'retry', from: 2 });
    });

    it('discards the failed tail once the retries are used up', () => {
      expect(planNextStep(4, { failedFrom: 2, functionError: false }, 2, policy)).toEqual({ kind: 'discard', from: 2 });
    });

    it('retries forever with -1', () => {
      expect(planNextStep(4, { failedFrom: 0, functionError: true }, 1000, { ...policy, maximumRetryAttempts: -1 })).toEqual({ kind: 'retry', from: 0 });
    });

    it('discards at once with 0 retries', () => {
      expect(planNextStep(1, { failedFrom: 0, functionError: true }, 0, { ...policy, maximumRetryAttempts: 0 })).toEqual({ kind: 'discard', from: 0 });
    });

    it('bisects the failed tail without using a retry, even when retries are used up', () => {
      const bisect = { ...policy, bisectBatchOnFunctionError: true };
      expect(planNextStep(4, { failedFrom: 0, functionError: true }, 2, bisect)).toEqual({ kind: 'bisect', from: 0, split: 2 });
      expect(planNextStep(4, { failedFrom: 1, functionError: false }, 0, bisect)).toEqual({ kind: 'bisect', from: 1, split: 3 });
    });

    it('stops bisecting at a single record and then retries or discards it', () => {
      const bisect = { ...policy, bisectBatchOnFunctionError: true };
      expect(planNextStep(1, { failedFrom: 0, functionError: true }, 0, bisect)).toEqual({ kind: 'retry', from: 0 });
      expect(planNextStep(1, { failedFrom: 0, functionError: true }, 2, bisect)).toEqual({ kind: 'discard', from: 0 });
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
});

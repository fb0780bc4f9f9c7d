import type { InvokeOutcome } from '../../../../local/runtime/lambda-runner';
import { throttledOutcome } from '../../../../local/runtime/invoke-outcome';
import { decideDeletes, retryThrottledBatch } from '../../../../local/mappings/sqs-planning';

const standard = [{ messageId: 'a' }, { messageId: 'b' }, { messageId: 'c' }];
const fifo = [
  { messageId: 'a1', messageGroupId: 'A' },
  { messageId: 'b1', messageGroupId: 'B' },
  { messageId: 'a2', messageGroupId: 'A' },
  { messageId: 'b2', messageGroupId: 'B' },
  { messageId: 'a3', messageGroupId: 'A' },
];
const failures = (...ids: string[]): InvokeOutcome => ({ ok: true, result: { batchItemFailures: ids.map((itemIdentifier) => ({ itemIdentifier })) } });
const options = { reportBatchItemFailures: true };
const throttled: InvokeOutcome = throttledOutcome();

// Quotes: AWS Lambda developer guide, "Handling errors for an SQS event source in Lambda".

describe('decideDeletes', () => {
  it('deletes nothing when the function throws', () => {
    expect(decideDeletes(standard, { ok: false, error: { errorType: 'Error', errorMessage: 'x' } }, options)).toEqual({ remove: [], keep: ['a', 'b', 'c'] });
  });

  it('deletes everything on success without ReportBatchItemFailures, whatever the response says', () => {
    expect(decideDeletes(standard, failures('b'), { ...options, reportBatchItemFailures: false }).remove).toEqual(['a', 'b', 'c']);
  });

  it('deletes all but the reported messages', () => {
    expect(decideDeletes(standard, failures('b'), options)).toEqual({ remove: ['a', 'c'], keep: ['b'] });
  });

  it.each([
    ['an unknown id', failures('zzz')],
    ['an empty id', failures('')],
    ['a response that is not an object', { ok: true, result: 'oops' } as InvokeOutcome],
  ])('keeps the whole batch for %s', (_name, outcome) => {
    expect(decideDeletes(standard, outcome, options).remove).toEqual([]);
  });

  it('deletes everything for an empty failure list', () => {
    expect(decideDeletes(standard, { ok: true, result: { batchItemFailures: [] } }, options).keep).toEqual([]);
  });

  // "If you're using this feature with a FIFO queue, your function should stop processing messages
  // after the first failure and return all failed and unprocessed messages in batchItemFailures."
  // Lambda itself deletes every message that was not reported, whatever its group.
  it("deletes a later message of a failed FIFO message's group when the function did not report it", () => {
    expect(decideDeletes(fifo, failures('a2'), options)).toEqual({ remove: ['a1', 'b1', 'b2', 'a3'], keep: ['a2'] });
  });

  it("keeps a FIFO group's later messages when the function reports them, as the docs tell it to", () => {
    expect(decideDeletes(fifo, failures('a2', 'a3'), options)).toEqual({ remove: ['a1', 'b1', 'b2'], keep: ['a2', 'a3'] });
  });

  it('deletes nothing of a FIFO batch when the function throws', () => {
    expect(decideDeletes(fifo, { ok: false, error: { errorType: 'Error', errorMessage: 'x' } }, options)).toEqual({
      remove: [],
      keep: ['a1', 'b1', 'a2', 'b2', 'a3'],
    });
  });

  it('deletes nothing when the invocation was throttled', () => {
    expect(decideDeletes(standard, throttled, options).remove).toEqual([]);
  });
});

// "If the invocation fails due to throttling, Lambda gradually backs off retries [...] Lambda
// continues to retry the message until the message's timestamp exceeds your queue's visibility
// timeout, at which point Lambda drops the message."
describe('retryThrottledBatch', () => {
  const receivedAt = 1_000_000;

  it('retries a throttled batch while the retry starts within the visibility timeout', () => {
    expect(retryThrottledBatch(throttled, receivedAt, 30, receivedAt + 10_000, 1000)).toBe(true);
  });

  it('drops it when the retry would start after the visibility timeout', () => {
    expect(retryThrottledBatch(throttled, receivedAt, 30, receivedAt + 29_500, 1000)).toBe(false);
  });

  it('never retries a function error or a success: those are not throttles', () => {
    expect(retryThrottledBatch({ ok: false, error: { errorType: 'Error', errorMessage: 'x' } }, receivedAt, 30, receivedAt, 1)).toBe(false);
    expect(retryThrottledBatch({ ok: true, result: null }, receivedAt, 30, receivedAt, 1)).toBe(false);
  });
});

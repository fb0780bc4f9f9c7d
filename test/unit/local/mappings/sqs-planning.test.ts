import type { InvokeOutcome } from '../../../../local/runtime/lambda-runner';
import { decideDeletes } from '../../../../local/mappings/sqs-planning';

const standard = [{ messageId: 'a' }, { messageId: 'b' }, { messageId: 'c' }];
const fifo = [
  { messageId: 'a1', messageGroupId: 'A' },
  { messageId: 'b1', messageGroupId: 'B' },
  { messageId: 'a2', messageGroupId: 'A' },
  { messageId: 'b2', messageGroupId: 'B' },
  { messageId: 'a3', messageGroupId: 'A' },
];
const failures = (...ids: string[]): InvokeOutcome => ({ ok: true, result: { batchItemFailures: ids.map((itemIdentifier) => ({ itemIdentifier })) } });
const options = { reportBatchItemFailures: true, fifo: false };

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

  it('keeps the later messages of a FIFO group behind a failed one, and only of that group', () => {
    expect(decideDeletes(fifo, failures('a2'), { ...options, fifo: true })).toEqual({ remove: ['a1', 'b1', 'b2'], keep: ['a2', 'a3'] });
  });

  it('does not block groups on a standard queue', () => {
    expect(decideDeletes(fifo, failures('a2'), options).keep).toEqual(['a2']);
  });
});

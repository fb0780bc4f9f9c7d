import type { LocalQueueMapping } from '../../../../local/model';
import { queueMappingProblems } from '../../../../local/mappings/sqs-mapping-rules';

const mapping = (overrides: Partial<LocalQueueMapping> = {}): LocalQueueMapping => ({
  kind: 'sqs', logicalId: 'Mapping', functionName: 'worker', queueUrl: 'http://localhost/000000000000/q', queueArn: 'arn:aws:sqs:us-east-1:000000000000:q',
  fifo: false, batchSize: 10, maxBatchingWindowSeconds: 0, reportBatchItemFailures: true, filterPatterns: [], ...overrides,
});
const context = { visibilityTimeoutSeconds: 180, functionTimeoutSeconds: 30 };

// Quotes: AWS Lambda developer guide, "Lambda parameters for Amazon SQS event source mappings".
describe('queueMappingProblems', () => {
  it('accepts what sluice deploys: batch of 10, no window, visibility 6 × the function timeout', () => {
    expect(queueMappingProblems(mapping(), context)).toEqual([]);
    expect(queueMappingProblems(mapping({ fifo: true }), context)).toEqual([]);
  });

  // "For FIFO queues, the maximum is 10." / "Batching window is not supported for FIFO queues"
  it('refuses a FIFO batch above 10 and a FIFO batching window', () => {
    const problems = queueMappingProblems(mapping({ fifo: true, batchSize: 11, maxBatchingWindowSeconds: 2 }), context);
    expect(problems).toEqual([
      'BatchSize is 11, but a FIFO queue allows at most 10: lower batchSize',
      'MaximumBatchingWindowInSeconds is 2, but a FIFO queue has no batching window: remove maxBatchingWindow',
    ]);
  });

  // "For standard queues, the maximum is 10,000." / "when you set BatchSize to a value greater than 10,
  // you must set MaximumBatchingWindowInSeconds to at least 1" (CreateEventSourceMapping API reference)
  it('refuses a standard batch above 10,000, and above 10 without a window of at least 1 s', () => {
    expect(queueMappingProblems(mapping({ batchSize: 10_001, maxBatchingWindowSeconds: 1 }), context)).toEqual(['BatchSize is 10001, but a standard queue allows at most 10,000: lower batchSize']);
    expect(queueMappingProblems(mapping({ batchSize: 100 }), context)[0]).toMatch(/batch above 10 needs a batching window of at least 1 second/);
    expect(queueMappingProblems(mapping({ batchSize: 100, maxBatchingWindowSeconds: 1 }), context)).toEqual([]);
  });

  it('refuses a function timeout longer than the queue\'s visibility timeout, naming both', () => {
    expect(queueMappingProblems(mapping(), { visibilityTimeoutSeconds: 30, functionTimeoutSeconds: 60 })).toEqual([
      'the queue\'s visibility timeout (30 s) is less than the function\'s timeout (60 s): raise the queue\'s visibilityTimeout (AWS advises 6 × the function timeout)',
    ]);
  });
});

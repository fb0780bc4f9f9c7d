import type { LocalQueueMapping } from '../../../../local/model';
import { queueMappingProblems } from '../../../../local/mappings/sqs-mapping-rules';

const mapping = (overrides: Partial<LocalQueueMapping> = {}): LocalQueueMapping => ({
  kind: 'sqs',
  logicalId: 'Mapping',
  functionName: 'worker',
  queueUrl: 'http://localhost/000000000000/q',
  queueArn: 'arn:aws:sqs:us-east-1:000000000000:q',
  fifo: false,
  batchSize: 10,
  maxBatchingWindowSeconds: 0,
  reportBatchItemFailures: true,
  filterPatterns: [],
  ...overrides,
});

// Quotes: AWS Lambda developer guide, "Lambda parameters for Amazon SQS event source mappings".
describe('queueMappingProblems', () => {
  it('accepts what sluice deploys: batch of 10, no window', () => {
    expect(queueMappingProblems(mapping())).toEqual([]);
    expect(queueMappingProblems(mapping({ fifo: true }))).toEqual([]);
  });

  // "For FIFO queues, the maximum is 10." / "Batching window is not supported for FIFO queues"
  it('refuses a FIFO batch above 10 and a FIFO batching window', () => {
    const problems = queueMappingProblems(mapping({ fifo: true, batchSize: 11, maxBatchingWindowSeconds: 2 }));
    expect(problems).toEqual([
      'BatchSize is 11, but a FIFO queue allows at most 10: lower batchSize',
      'MaximumBatchingWindowInSeconds is 2, but a FIFO queue has no batching window: remove maxBatchingWindow',
    ]);
  });

  // "For standard queues, the maximum is 10,000." / "when you set BatchSize to a value greater than 10,
  // you must set MaximumBatchingWindowInSeconds to at least 1" (CreateEventSourceMapping API reference)
  it('refuses a standard batch above 10,000, and above 10 without a window of at least 1 s', () => {
    expect(queueMappingProblems(mapping({ batchSize: 10_001, maxBatchingWindowSeconds: 1 }))).toEqual([
      'BatchSize is 10001, but a standard queue allows at most 10,000: lower batchSize',
    ]);
    expect(queueMappingProblems(mapping({ batchSize: 100 }))[0]).toMatch(/batch above 10 needs a batching window of at least 1 second/);
    expect(queueMappingProblems(mapping({ batchSize: 100, maxBatchingWindowSeconds: 1 }))).toEqual([]);
  });
});

/**
 * What Lambda refuses when an SQS event source mapping is created (CreateEventSourceMapping
 * fails, so the deploy fails): the local cloud refuses the same at start-up rather than running a
 * configuration AWS would never run. Sources: the Lambda developer guide, "Lambda parameters for
 * Amazon SQS event source mappings" and "Using Lambda with Amazon SQS".
 */
import type { LocalQueueMapping } from '../model';

/**
 * Every rule the mapping breaks, each as a sentence naming the bad value and the fix; empty when
 * Lambda would accept it.
 *
 * @example
 * queueMappingProblems({ ...mapping, fifo: true, batchSize: 20 })
 * // ['BatchSize is 20, but a FIFO queue allows at most 10: lower batchSize']
 */
export function queueMappingProblems(mapping: LocalQueueMapping): string[] {
  const problems: string[] = [];
  const { batchSize, maxBatchingWindowSeconds } = mapping;
  if (mapping.fifo) {
    // "For FIFO queues, the maximum is 10." / "Batching window is not supported for FIFO queues"
    if (batchSize > 10) problems.push(`BatchSize is ${batchSize}, but a FIFO queue allows at most 10: lower batchSize`);
    if (maxBatchingWindowSeconds > 0)
      problems.push(`MaximumBatchingWindowInSeconds is ${maxBatchingWindowSeconds}, but a FIFO queue has no batching window: remove maxBatchingWindow`);
  } else {
    // "For standard queues, the maximum is 10,000." / "when you set BatchSize to a value greater than
    // 10, you must set MaximumBatchingWindowInSeconds to at least 1" (CreateEventSourceMapping). The
    // API reference words that rule for streams too, but Lambda's own stream default (BatchSize 100,
    // window 0) breaks it, so it is checked for SQS only.
    if (batchSize > 10_000) problems.push(`BatchSize is ${batchSize}, but a standard queue allows at most 10,000: lower batchSize`);
    if (batchSize > 10 && maxBatchingWindowSeconds < 1)
      problems.push(
        `BatchSize is ${batchSize} with MaximumBatchingWindowInSeconds ${maxBatchingWindowSeconds}: a batch above 10 needs a batching window of at least 1 second`,
      );
  }
  // A visibility timeout below the function timeout is refused at template load (local/template/refusals.ts).
  return problems;
}

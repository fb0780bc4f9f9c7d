/**
 * The decisions of an SQS event source mapping, free of I/O: which messages of a batch to
 * delete after the function returned, and how long a throttled batch is retried. Quotes are from
 * the Lambda developer guide, "Handling errors for an SQS event source in Lambda".
 */
import type { InvokeOutcome } from '../runtime/lambda-runner';
import { isThrottled } from '../runtime/invoke-outcome';

export interface BatchMessage {
  readonly messageId: string;
}

export interface DeleteDecision {
  /** Message ids to delete (processed). */
  readonly remove: readonly string[];
  /** Message ids left on the queue: visible again after the visibility timeout. */
  readonly keep: readonly string[];
}

/**
 * Decides which messages the mapping deletes, as Lambda does.
 *
 * A function error (or a throttle) deletes none. Without ReportBatchItemFailures a success deletes
 * all. With it, exactly the reported ids are kept and every other message is deleted; a malformed
 * list or an id not in the batch fails the whole batch.
 *
 * FIFO queues get no special treatment: Lambda deletes every message the function did not report,
 * even a later message of a failed message's group. The function must report those itself ("If
 * you're using this feature with a FIFO queue, your function should stop processing messages after
 * the first failure and return all failed and unprocessed messages in batchItemFailures"); SQS
 * itself then holds the rest of the group back while the kept messages are in flight.
 */
export function decideDeletes(messages: readonly BatchMessage[], outcome: InvokeOutcome, options: { reportBatchItemFailures: boolean }): DeleteDecision {
  const all = messages.map((message) => message.messageId);
  const none = { remove: [], keep: all };
  if (!outcome.ok) return none;
  if (!options.reportBatchItemFailures) return { remove: all, keep: [] };
  const failedIds = reportedFailures(outcome.result, new Set(all));
  if (failedIds === 'invalid') return none;
  return { remove: all.filter((id) => !failedIds.has(id)), keep: all.filter((id) => failedIds.has(id)) };
}

function reportedFailures(response: unknown, ids: ReadonlySet<string>): Set<string> | 'invalid' {
  if (response === null || response === undefined) return new Set();
  if (typeof response !== 'object' || Array.isArray(response)) return 'invalid';
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === null || failures === undefined) return new Set();
  if (!Array.isArray(failures)) return 'invalid';
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = failure !== null && typeof failure === 'object' ? (failure as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    if (typeof id !== 'string' || id === '' || !ids.has(id)) return 'invalid';
    failed.add(id);
  }
  return failed;
}

/**
 * Whether a throttled batch is invoked again after `delayMs`: only while its messages are still
 * invisible, i.e. the retry starts before the visibility timeout (counted from the receive) ends.
 * After that the batch is dropped and its messages come back on the queue ("Lambda continues to
 * retry the message until the message's timestamp exceeds your queue's visibility timeout, at
 * which point Lambda drops the message"); their next receive counts towards maxReceiveCount.
 */
export function retryThrottledBatch(outcome: InvokeOutcome, receivedAtMs: number, visibilityTimeoutSeconds: number, now: number, delayMs: number): boolean {
  return isThrottled(outcome) && now + delayMs < receivedAtMs + visibilityTimeoutSeconds * 1000;
}

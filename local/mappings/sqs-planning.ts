/**
 * The decisions of an SQS event source mapping, free of I/O: which messages of a batch to
 * delete after the function returned.
 */
import type { InvokeOutcome } from '../runtime/lambda-runner';

export interface BatchMessage {
  readonly messageId: string;
  /** FIFO queues only. */
  readonly messageGroupId?: string;
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
 * A function error deletes none. Without ReportBatchItemFailures a success deletes all. With it,
 * the reported ids are kept and the rest deleted; a malformed list or an id not in the batch fails
 * the whole batch. In a FIFO queue a kept message also keeps every later message of its group in
 * the batch, so the group's order holds when it is redelivered.
 */
export function decideDeletes(messages: readonly BatchMessage[], outcome: InvokeOutcome, options: { reportBatchItemFailures: boolean; fifo: boolean }): DeleteDecision {
  const all = messages.map((message) => message.messageId);
  const none = { remove: [], keep: all };
  if (!outcome.ok) return none;
  if (!options.reportBatchItemFailures) return { remove: all, keep: [] };
  const failedIds = reportedFailures(outcome.result, new Set(all));
  if (failedIds === 'invalid') return none;
  const blockedGroups = new Set<string>();
  const remove: string[] = [];
  const keep: string[] = [];
  for (const message of messages) {
    const group = options.fifo ? message.messageGroupId : undefined;
    const failed = failedIds.has(message.messageId) || (group !== undefined && blockedGroups.has(group));
    if (failed && group !== undefined) blockedGroups.add(group);
    (failed ? keep : remove).push(message.messageId);
  }
  return { remove, keep };
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

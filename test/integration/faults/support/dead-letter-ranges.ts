/**
 * Which stream records a DLQ message stands for, as ranges: a record counts as dead-lettered when
 * any part of a DLQ message's range covers it, not only when it is the range's first or last
 * record. The event source mapping's on-failure record names a batch by its shard and its first
 * and last sequence numbers ("KinesisBatchInfo" / "DDBStreamBatchInfo"); every record between them
 * was discarded with the batch. A consumer's own dead letter (`{reason, record}`) names one record.
 *
 * Sequence numbers are decimal strings longer than a JavaScript number holds, so they are compared
 * as big integers.
 */

/** One stream record: the shard it is in and its sequence number. */
export interface StreamPosition {
  readonly shardId: string;
  readonly sequenceNumber: string;
}

/** The records a DLQ message stands for: `start..end` (inclusive) in one shard, or any shard when the message does not say. */
export interface DeadLetteredRange {
  readonly shardId?: string;
  readonly start: bigint;
  readonly end: bigint;
}

/** Pure decimal digits: a sequence number (an SQS FIFO message's `SequenceNumber` is one too, in its own queue). */
const SEQUENCE_NUMBER = /^\d+$/;

/**
 * The ranges a DLQ message body names, whatever its shape: the mapping's on-failure record, a
 * consumer's dead letter, or either carried as JSON text inside another message.
 *
 * @throws Error for a range whose start or end is not a sequence number, or whose end is before its start
 */
export function deadLetteredRanges(body: unknown): DeadLetteredRange[] {
  const ranges: DeadLetteredRange[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    if (typeof value === 'string') {
      if (value.startsWith('{') || value.startsWith('[')) {
        try {
          visit(JSON.parse(value));
        } catch {
          // text that only looks like JSON
        }
      }
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const object = value as Record<string, unknown>;
    const shardId = typeof object.shardId === 'string' ? object.shardId : undefined;
    if (typeof object.startSequenceNumber === 'string') {
      ranges.push(range(object.startSequenceNumber, typeof object.endSequenceNumber === 'string' ? object.endSequenceNumber : object.startSequenceNumber, shardId));
      return;
    }
    for (const key of ['sequenceNumber', 'SequenceNumber']) {
      const point = object[key];
      if (typeof point === 'string' && SEQUENCE_NUMBER.test(point)) ranges.push(range(point, point, shardId));
    }
    for (const [key, inner] of Object.entries(object)) if (key !== 'sequenceNumber' && key !== 'SequenceNumber') visit(inner);
  };
  visit(body);
  return ranges;
}

function range(start: string, end: string, shardId: string | undefined): DeadLetteredRange {
  if (!SEQUENCE_NUMBER.test(start) || !SEQUENCE_NUMBER.test(end)) {
    throw new Error(`a dead-lettered range must be two sequence numbers (decimal digits); got start "${start}", end "${end}"`);
  }
  const [from, to] = [BigInt(start), BigInt(end)];
  if (to < from) throw new Error(`a dead-lettered range ends (${end}) before it starts (${start}); the failure record is malformed`);
  return { ...(shardId === undefined ? {} : { shardId }), start: from, end: to };
}

/** Whether the range covers the record: same shard (or a range that names none) and start ≤ sequence number ≤ end. */
export function rangeCovers(range: DeadLetteredRange, position: StreamPosition): boolean {
  if (range.shardId !== undefined && range.shardId !== position.shardId) return false;
  const sequence = BigInt(position.sequenceNumber);
  return range.start <= sequence && sequence <= range.end;
}

/** Whether any range the message names covers any of the records. */
export function namesAnyOf(body: unknown, positions: readonly StreamPosition[]): boolean {
  const ranges = deadLetteredRanges(body);
  return ranges.some((r) => positions.some((p) => rangeCovers(r, p)));
}

import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import type { EventEnvelope } from '../envelope';
import { mapWithConcurrency } from './bounded-concurrency';
import { acceptedEvent, BatchTally, divertKinesisPoison, recordLogKeys, type StreamConsumerOptions } from './consumer-options';
import { permanentFailureReason } from './errors';

/** How far a group (one key's items of a batch, in stream order) got. */
export interface GroupSettlement {
  /**
   * How many leading items of the group are finished: applied, skipped as duplicates, or listed
   * in `poison`. Item `settled` is the first unapplied one when `settled` < the group's length.
   */
  readonly settled: number;
  /** Items (by position in the group) that are poison: dead-lettered when nothing before them failed. */
  readonly poison?: ReadonlyMap<number, unknown>;
  /** Why item `settled` was not applied; required when the group did not settle completely. */
  readonly failure?: unknown;
}

/** One key's items of a batch, in stream order. */
export interface ItemGroup<TItem> {
  readonly key: string;
  readonly items: readonly TItem[];
}

interface GroupedHandlerBase<TItem> extends StreamConsumerOptions {
  /** Turns an accepted event into the consumer's item. Throwing a poison error sends the record to the DLQ. */
  readonly prepare: (event: EventEnvelope, record: KinesisStreamRecord) => TItem;
  /** The key whose items must be applied in order (an account, a card): groups run in parallel. */
  readonly groupOf: (item: TItem) => string;
}

/** Each group on its own: the handler runs `concurrency` of them at once. */
interface PerGroupOptions<TItem> extends GroupedHandlerBase<TItem> {
  /** Applies one group's items, in stream order, with as few writes as it can. Should not throw. */
  readonly handleGroup: (key: string, items: readonly TItem[]) => Promise<GroupSettlement>;
  /** Groups in flight at once. */
  readonly concurrency: number;
}

/** Every group at once: for a consumer that shares calls between keys (one batch read, one batch write for all). */
interface AllGroupsOptions<TItem> extends GroupedHandlerBase<TItem> {
  /** Applies every group, each in stream order; answers one settlement per group, in the groups' order. Should not throw. */
  readonly handleGroups: (groups: readonly ItemGroup<TItem>[]) => Promise<readonly GroupSettlement[]>;
}

export type KinesisGroupedHandlerOptions<TItem> = PerGroupOptions<TItem> | AllGroupsOptions<TItem>;

/** Settles every group, whichever way the consumer applies them; a throw fails every group at its first item. */
async function settleGroups<TItem>(options: KinesisGroupedHandlerOptions<TItem>, groups: readonly ItemGroup<TItem>[]): Promise<readonly GroupSettlement[]> {
  if ('handleGroups' in options) {
    try {
      const settlements = await options.handleGroups(groups);
      if (settlements.length !== groups.length) throw new Error(`handleGroups answered ${settlements.length} settlements for ${groups.length} groups`);
      return settlements;
    } catch (failure) {
      return groups.map(() => ({ settled: 0, failure }));
    }
  }
  return mapWithConcurrency(groups, options.concurrency, async ({ key, items }) => {
    try {
      return await options.handleGroup(key, items);
    } catch (failure) {
      return { settled: 0, failure } satisfies GroupSettlement;
    }
  });
}

interface Member<TItem> {
  readonly index: number;
  readonly record: KinesisStreamRecord;
  readonly item: TItem;
}

/**
 * Builds a Kinesis handler that applies a batch per key: records are decoded, grouped by key in
 * stream order, and each group is handed over whole, so a consumer can fold a key's events into
 * one read and one write per batch. Groups run in parallel (bounded); order within a key is kept.
 *
 * The response reports, for each group that did not finish, its first unapplied record and
 * nothing after it. Lambda resumes the shard from the LOWEST reported sequence number ("Lambda
 * uses the record with the lowest sequence number as the checkpoint"), so the records of other
 * groups after it come back too: consumers must make them no-ops (a version or revision guard).
 * Poison records go to the DLQ only when they lie before that checkpoint, and in stream order,
 * so a record redelivered after the checkpoint is never dead-lettered twice; a poison record the
 * DLQ refuses (or without a DLQ) is reported itself.
 *
 * A consumer gives either `handleGroup` (each key on its own, `concurrency` keys at once) or
 * `handleGroups` (every key of the batch in one call, to share reads and writes between keys).
 *
 * @example
 * createKinesisGroupedHandler({ catalog, accepts, logger, concurrency: 8, prepare, groupOf: (e) => e.data.accountId, handleGroup })
 */
export function createKinesisGroupedHandler<TItem>(
  options: KinesisGroupedHandlerOptions<TItem>,
): (event: KinesisStreamEvent, context?: Context) => Promise<KinesisStreamBatchResponse> {
  return async (event) => {
    const tally = new BatchTally();
    const groups = new Map<string, Member<TItem>[]>();
    const poison: { index: number; record: KinesisStreamRecord; error: unknown }[] = [];
    const failedAt: number[] = [];
    const failures = new Map<number, unknown>();
    const fail = (index: number, error: unknown): void => {
      failedAt.push(index);
      failures.set(index, error);
    };

    event.Records.forEach((record, index) => {
      try {
        const accepted = acceptedEvent(record, options);
        if (!accepted) {
          tally.skipped += 1;
          return;
        }
        const item = options.prepare(accepted, record);
        const key = options.groupOf(item);
        const members = groups.get(key) ?? [];
        members.push({ index, record, item });
        groups.set(key, members);
      } catch (error) {
        if (permanentFailureReason(error)) poison.push({ index, record, error });
        else fail(index, error);
      }
    });

    const entries = [...groups];
    const settlements = await settleGroups(
      options,
      entries.map(([key, members]) => ({ key, items: members.map(({ item }) => item) })),
    );
    entries.forEach(([, members], position) => {
      const settlement = settlements[position]!;
      const settled = Math.min(settlement.settled, members.length);
      members.slice(0, settled).forEach((member, offset) => {
        const error = settlement.poison?.get(offset);
        if (error === undefined) tally.handled += 1;
        else poison.push({ index: member.index, record: member.record, error });
      });
      const firstUnapplied = members[settled];
      if (firstUnapplied) fail(firstUnapplied.index, settlement.failure ?? new Error(`group settled ${settled} of ${members.length} items without saying why`));
    });

    // The checkpoint Lambda will resume from: poison after it comes back and is handled then.
    const checkpoint = Math.min(event.Records.length, ...failedAt);
    for (const { index, record, error } of poison.sort((a, b) => a.index - b.index)) {
      if (index >= checkpoint) break;
      if (await divertKinesisPoison(record, error, options)) {
        tally.deadLettered += 1;
        continue;
      }
      // A poison record that cannot be dead-lettered becomes the restart point itself.
      fail(index, error);
      break;
    }

    const reported = [...new Set(failedAt)].sort((a, b) => a - b);
    for (const index of reported) {
      const record = event.Records[index]!;
      options.logger.error('stream record failed; it (and what follows it on the shard) will be retried and finally sent to the DLQ', {
        ...recordLogKeys(record),
        sequenceNumber: record.kinesis.sequenceNumber,
        partitionKey: record.kinesis.partitionKey,
        error: failures.get(index) as Error,
      });
    }
    tally.failed = reported.length;
    tally.emit(options.metrics);
    return { batchItemFailures: reported.map((index) => ({ itemIdentifier: event.Records[index]!.kinesis.sequenceNumber })) };
  };
}

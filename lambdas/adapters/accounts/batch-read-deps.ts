import type { KinesisStreamRecord } from 'aws-lambda';
import type { AccountReadDeps } from '../../domain/accounts';
import { logger } from '../../shared/observability';
import { batchAccountReads } from './batch-account-reads';
import { counterpartKeys, prefetchedEventStore, type StoredEventBatchReader } from './prefetched-events';

/**
 * The account reads one Kinesis batch shares: the stored counterparts of its account events (the
 * trust check) read in one round of calls up front, and each account's snapshot and history read
 * once per batch (see {@link batchAccountReads}), instead of three reads per event. A consumer
 * that loads an account as of each event (the notifier, state transfer) hands these to its
 * per-event work. When the up-front read fails (logged as a warning), each event reads its own
 * counterpart, as without it.
 *
 * @example
 * const reads = await batchReadDeps({ eventStore, snapshotStore, storedEvents: eventStore }, event.Records);
 * await accountAtEvent(reads, envelope); // no call for the counterpart; the account read once for the batch
 */
export async function batchReadDeps(
  deps: AccountReadDeps & { readonly storedEvents?: StoredEventBatchReader },
  records: readonly KinesisStreamRecord[],
): Promise<AccountReadDeps> {
  const keys = counterpartKeys(records);
  const reads = batchAccountReads(deps, keys);
  let eventStore = reads.eventStore;
  if (deps.storedEvents) {
    try {
      eventStore = await prefetchedEventStore(eventStore, deps.storedEvents, keys);
    } catch (error) {
      // Not fatal: each event then reads its own counterpart, as without the batch read.
      logger.warn('batch read of the stored events failed; reading them one by one', { error: error as Error });
    }
  }
  return { eventStore, snapshotStore: reads.snapshotStore };
}

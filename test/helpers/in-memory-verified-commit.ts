import { isDeepStrictEqual } from 'node:util';
import type { VerifiedRun, VerifiedRunCommit } from '../../lambdas/domain/accounts';
import type { InMemoryEventStore } from './in-memory-event-store';
import type { InMemoryReadModel } from './in-memory-read-model';

/**
 * The DynamoDB adapter's one-transaction write ({@link VerifiedRunCommit}) over the in-memory read
 * model and event store: every condition is checked first (each balance row at its run's previous
 * version, the store holding each delivered event with the same id, type, time and data), then
 * all of it is written, or nothing. `failWith` makes the next calls throw (a throttle, a timeout).
 */
export class InMemoryVerifiedCommit implements VerifiedRunCommit {
  /** Every call, in order: the runs it was given, and whether it wrote them. */
  public readonly calls: { runs: readonly VerifiedRun[]; written: boolean }[] = [];
  public failWith?: Error;

  public constructor(
    private readonly readModel: InMemoryReadModel,
    private readonly eventStore: InMemoryEventStore,
    public readonly maxActions = 100,
  ) {}

  public async commitVerified(runs: readonly VerifiedRun[]): Promise<boolean> {
    if (this.failWith) throw this.failWith;
    // Straight from the fake's table, not through its read methods: a test counts the projector's reads.
    const stored = runs.flatMap(({ delivered }) => delivered.flatMap(({ streamId }) => this.eventStore.stream(streamId)));
    const holds = runs.every(({ run, delivered }) => {
      const rowAt = this.readModel.balances.get(run.balance.accountId)?.version ?? 0;
      const asDelivered = delivered.every((expected) =>
        stored.some(
          (event) =>
            event.streamId === expected.streamId &&
            event.version === expected.version &&
            event.eventId === expected.eventId &&
            event.type === expected.type &&
            event.time === expected.time &&
            // As DynamoDB holds them: attributes set to undefined are not stored.
            isDeepStrictEqual(JSON.parse(JSON.stringify(event.data)), expected.data),
        ),
      );
      return rowAt === run.previousVersion && asDelivered;
    });
    this.calls.push({ runs, written: holds });
    if (!holds) return false;
    for (const { run } of runs) {
      await this.readModel.putTransactions(run.transactions);
      await this.readModel.putBalance(run);
    }
    return true;
  }
}

import { accountEventFromStored, accountStateFromSnapshot, accountStreamId, type AccountState, foldAccount } from '../../lambdas/domain/accounts';
import { DynamoDbEventStore } from '../../lambdas/shared/event-store/dynamodb-event-store';
import { DynamoDbSnapshotStore } from '../../lambdas/shared/event-store/dynamodb-snapshot-store';
import { action, type CliContext } from '../context';
import type { CommonOptions } from '../options';
import { CliError } from '../errors';
import { line, printJson, shortJson, table } from '../print';

interface SnapshotReport {
  readonly version: number;
  readonly takenAt: string;
  /** The snapshot's state has the account shape and its version matches. */
  readonly parses: boolean;
  /** The snapshot equals the fold of the history up to its version. */
  readonly matchesHistory: boolean;
  /** The state the snapshot holds (absent when it does not parse), to compare with `state`. */
  readonly state?: AccountState;
}

async function storeAction(ctx: CliContext, accountId: string, _options: CommonOptions): Promise<void> {
  const streamId = accountStreamId(accountId);
  const eventStore = new DynamoDbEventStore(ctx.dynamo, ctx.output('EventStoreTableName'));
  const snapshots = new DynamoDbSnapshotStore(ctx.dynamo, ctx.output('SnapshotTableName'));
  const [stored, snapshot] = await Promise.all([eventStore.readStream(streamId), snapshots.load(streamId)]);
  if (stored.length === 0) throw new CliError(`account ${accountId} has no events in ${ctx.output('EventStoreTableName')} (stream ${streamId})`);

  let state: AccountState | undefined;
  let foldError: string | undefined;
  try {
    state = foldAccount(stored.map(accountEventFromStored));
  } catch (error) {
    foldError = (error as Error).message;
  }
  let snapshotReport: SnapshotReport | undefined;
  if (snapshot) {
    const parsed = accountStateFromSnapshot(snapshot);
    let atVersion: AccountState | undefined;
    try {
      atVersion = foldAccount(stored.filter((event) => event.version <= snapshot.version).map(accountEventFromStored));
    } catch {
      atVersion = undefined;
    }
    snapshotReport = {
      version: snapshot.version,
      takenAt: snapshot.takenAt,
      parses: parsed !== undefined,
      matchesHistory: parsed !== undefined && JSON.stringify(sorted(parsed)) === JSON.stringify(sorted(atVersion)),
      ...(parsed ? { state: parsed } : {}),
    };
  }

  const events = stored.map((event) => ({ version: event.version, eventId: event.eventId, type: event.type, time: event.time, data: event.data }));
  if (ctx.json) {
    printJson({ accountId, streamId, events, state: state ?? null, ...(foldError ? { foldError } : {}), snapshot: snapshotReport ?? null });
  } else {
    line(`account ${accountId} (${streamId}): ${stored.length} event(s)`);
    for (const row of table([['VERSION', 'TIME', 'TYPE', 'DATA'], ...events.map((e) => [String(e.version), e.time, e.type, shortJson(e.data)])])) line(`  ${row}`);
    line();
    if (state?.status === 'open') {
      line(
        `state    ${state.owner}, balance ${state.balance} ${state.currency} (minor units), version ${state.version}, opened ${state.openedAt}, updated ${state.updatedAt}`,
      );
    } else if (state) {
      line('state    unopened');
    } else {
      line(`state    the history does not fold: ${foldError}`);
    }
    line(
      snapshotReport
        ? `snapshot version ${snapshotReport.version}${snapshotReport.state?.status === 'open' ? `, balance ${snapshotReport.state.balance}` : ''}, taken ${snapshotReport.takenAt}, ` +
            `${snapshotReport.parses ? 'parses' : 'does NOT parse (ignored: commands fold the full history)'}` +
            (snapshotReport.parses ? `, ${snapshotReport.matchesHistory ? 'matches' : 'does NOT match'} the history at that version` : '')
        : 'snapshot none',
    );
  }
  if (foldError) throw new CliError(`the history of account ${accountId} does not fold: ${foldError}`);
}

function sorted(value: unknown): unknown {
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
}

/** What `sluice store` runs (its options: `cli/program/store.ts`). */
export const run = action(storeAction);

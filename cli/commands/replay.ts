import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ACCOUNT_STREAM_PREFIX, diffRows, groupByStream, rebuildAccount, type RebuiltAccount, type RowDifference } from '../../lambdas/domain/replay';
import { isConditionalCheckFailure } from '../../lambdas/shared/dynamodb-errors';
import { parseStoredEvent } from '../../lambdas/shared/event-store/stored-event';
import type { StoredEvent } from '../../lambdas/shared/event-store/port';
import { checkpointPath, loadCheckpoint, pendingSegments, type RebuildCounts, recordSegment, type ReplayCheckpoint, saveCheckpoint, stamp } from '../checkpoint';
import { action, type CliContext } from '../context';
import { confirm } from '../confirm';
import { CliError, UsageError } from '../errors';
import type { CommonOptions } from '../options';
import { line, note, printJson, progress, table } from '../print';
import { batchPut, concurrencyGate, createTableLike, type Gate, inPool, scanSegment, scanTable } from '../tables';

type Kind = 'read-model' | 'replica';

interface RebuildOptions extends CommonOptions {
  readonly target?: string;
  readonly segments?: number;
  readonly concurrency?: number;
  readonly resume?: string;
  readonly verify?: boolean;
  readonly stopAfterSegments?: number;
}

const ROLES: Record<Kind, Record<string, string>> = {
  'read-model': { balances: 'BalancesTableName', transactions: 'TransactionsTableName' },
  replica: { replica: 'ReplicaTableName' },
};

async function rebuildAction(ctx: CliContext, kind: Kind, options: RebuildOptions): Promise<void> {
  // Milliseconds since the process started (--json prints them): where a job's time went.
  const timings: Record<string, number> = { startedMs: Math.round(performance.now()) };
  const inPlace = options.resume ? resumeCheckpoint(options.resume, kind).target === 'in-place' : options.target === 'in-place';
  if (inPlace)
    await confirm(
      `replay ${kind} --target in-place overwrites rows of the live ${kind} tables (${Object.values(ROLES[kind])
        .map((o) => ctx.output(o))
        .join(', ')})`,
      options.yes,
    );
  const { checkpoint, tablesReady } = options.resume
    ? { checkpoint: resumeCheckpoint(options.resume, kind), tablesReady: Promise.resolve() }
    : newJob(ctx, kind, options);
  // The scan and fold below run while the fresh tables are created; each segment's writes wait for them.
  const ready = tablesReady.then(() => {
    timings.tablesReadyMs = Math.round(performance.now());
  });
  ready.catch(() => undefined); // awaited by every segment (and below): not an unhandled rejection meanwhile
  if (!options.resume && !ctx.json) note(`job ${checkpoint.job} (checkpoint ${checkpointPath(checkpoint.job)})`);
  const eventStore = ctx.output('EventStoreTableName');
  const pending = pendingSegments(checkpoint);
  const thisRun = options.stopAfterSegments ? pending.slice(0, options.stopAfterSegments) : pending;
  const bar = progress(`replay ${kind}`, checkpoint.segments, ctx.json);
  bar.increment(checkpoint.done.length);
  const onInterrupt = () => {
    bar.stop();
    note(`\ninterrupted; finished segments are saved: resume with sluice replay ${kind} --resume ${checkpoint.job}`);
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  const writes = concurrencyGate(REBUILD_WRITES_IN_FLIGHT);
  try {
    await inPool(thisRun, options.concurrency ?? Math.min(checkpoint.segments, 4), async (segment) => {
      const items = await scanSegment(ctx.dynamo, eventStore, segment, checkpoint.segments);
      timings.lastScanMs = Math.round(performance.now());
      const counts = await rebuildSegment(ctx, checkpoint, items, writes, ready);
      recordSegment(checkpoint, segment, counts);
      saveCheckpoint(checkpoint);
      bar.increment();
    });
  } finally {
    bar.stop();
    process.removeListener('SIGINT', onInterrupt);
  }
  await ready;
  timings.writtenMs = Math.round(performance.now());
  const finished = checkpoint.done.length === checkpoint.segments;
  if (finished && !checkpoint.finishedAt) {
    checkpoint.finishedAt = new Date().toISOString();
    saveCheckpoint(checkpoint);
  }
  const differences = finished && options.verify ? await verify(ctx, kind, checkpoint) : undefined;
  report(ctx, checkpoint, finished, differences, timings);
  if (!finished) {
    throw new CliError(`stopped after ${checkpoint.done.length} of ${checkpoint.segments} segments; resume with sluice replay ${kind} --resume ${checkpoint.job}`);
  }
  if (checkpoint.failures.length) throw new CliError(`${checkpoint.failures.length} stream(s) could not be rebuilt`);
  if (differences?.length) throw new CliError(`${differences.length} difference(s) between the rebuilt and the live ${kind}`);
}

function resumeCheckpoint(job: string, kind: Kind): ReplayCheckpoint {
  const checkpoint = loadCheckpoint(job);
  if (checkpoint.kind !== kind) throw new UsageError(`job ${job} is a ${checkpoint.kind} replay; resume it with sluice replay ${checkpoint.kind} --resume ${job}`);
  return checkpoint;
}

/**
 * A new job's checkpoint, and its fresh tables being created (`tablesReady`). The checkpoint is
 * saved once the tables exist, so a job that can be resumed always has its tables.
 */
function newJob(ctx: CliContext, kind: Kind, options: RebuildOptions): { checkpoint: ReplayCheckpoint; tablesReady: Promise<void> } {
  const target = (options.target ?? 'fresh') as ReplayCheckpoint['target'];
  const now = new Date();
  const live = Object.fromEntries(Object.entries(ROLES[kind]).map(([role, output]) => [role, ctx.output(output)]));
  ctx.output('EventStoreTableName');
  const tables = target === 'fresh' ? Object.fromEntries(Object.entries(live).map(([role, name]) => [role, `${name}-rebuild-${stamp(now)}`])) : live;
  const checkpoint: ReplayCheckpoint = {
    job: `${kind}-${stamp(now)}`,
    kind,
    target,
    segments: options.segments ?? 4,
    tables,
    live,
    startedAt: now.toISOString(),
    done: [],
    counts: { streams: 0, events: 0, rowsWritten: 0, rowsUnchanged: 0, skippedStreams: 0, failedStreams: 0 },
    failures: [],
  };
  // In parallel: each waits for its table to be ACTIVE, a fixed cost the job's rate pays once.
  const created = target === 'fresh' ? Promise.all(Object.keys(live).map((role) => createTableLike(ctx.ddb, live[role], tables[role]))) : Promise.resolve();
  return { checkpoint, tablesReady: created.then(() => saveCheckpoint(checkpoint)) };
}

/** Parses each scanned item, setting aside (with the reason) every item that is not a stored event. */
function parseEachStoredEvent(items: ReadonlyArray<Record<string, unknown>>): { events: StoredEvent[]; failures: Array<{ streamId: string; error: string }> } {
  const events: StoredEvent[] = [];
  const failures: Array<{ streamId: string; error: string }> = [];
  for (const item of items) {
    try {
      events.push(parseStoredEvent(item));
    } catch (error) {
      failures.push({ streamId: String(item.streamId), error: `version ${String(item.version)}: ${(error as Error).message}` });
    }
  }
  return { events, failures };
}

/**
 * Folds every account stream among the scanned items. A stream with an item that is not a stored
 * event, or whose events do not fold, is a failure with its reason and is not rebuilt.
 */
export function foldAccounts(items: ReadonlyArray<Record<string, unknown>>): {
  rebuilt: RebuiltAccount[];
  failures: Array<{ streamId: string; error: string }>;
  skippedStreams: number;
} {
  const { events: stored, failures } = parseEachStoredEvent(items);
  const unreadable = new Set(failures.map((f) => f.streamId));
  const rebuilt: RebuiltAccount[] = [];
  let skippedStreams = 0;
  for (const [streamId, events] of groupByStream(stored)) {
    if (!streamId.startsWith(ACCOUNT_STREAM_PREFIX)) {
      skippedStreams++;
      continue;
    }
    if (unreadable.has(streamId)) continue;
    try {
      rebuilt.push(rebuildAccount(events));
    } catch (error) {
      failures.push({ streamId, error: (error as Error).message });
    }
  }
  return { rebuilt, failures, skippedStreams };
}

/**
 * BatchWriteItem calls a rebuild into fresh tables keeps in flight, all segments and tables
 * together: enough to hide each call's round trip, few enough that the table's writes do not queue
 * behind each other (each segment's own pool alone would put 4 × 2 × 8 in flight).
 */
export const REBUILD_WRITES_IN_FLIGHT = 8;

/** Folds every account of one segment and writes its rows (fresh tables: through the job's `writes` gate). */
async function rebuildSegment(
  ctx: CliContext,
  checkpoint: ReplayCheckpoint,
  items: ReadonlyArray<Record<string, unknown>>,
  writes: Gate,
  tablesReady: Promise<void>,
): Promise<{ counts: RebuildCounts; failures: Array<{ streamId: string; error: string }> }> {
  const counts: RebuildCounts = { streams: 0, events: 0, rowsWritten: 0, rowsUnchanged: 0, skippedStreams: 0, failedStreams: 0 };
  const { rebuilt, failures, skippedStreams } = foldAccounts(items);
  counts.skippedStreams = skippedStreams;
  counts.streams = rebuilt.length;
  counts.events = rebuilt.reduce((sum, account) => sum + account.events, 0);
  counts.failedStreams = new Set(failures.map((f) => f.streamId)).size;
  const { tables } = checkpoint;
  const replicatedAt = new Date().toISOString();
  await tablesReady;
  if (checkpoint.target === 'fresh') {
    if (checkpoint.kind === 'read-model') {
      await Promise.all([
        batchPut(
          ctx.dynamo,
          tables.balances,
          rebuilt.map((account) => ({ ...account.balance })),
          KEYS.balances,
          REBUILD_WRITES_IN_FLIGHT,
          writes,
        ),
        batchPut(
          ctx.dynamo,
          tables.transactions,
          rebuilt.flatMap((account) => account.transactions.map((row) => ({ ...row }))),
          KEYS.transactions,
          REBUILD_WRITES_IN_FLIGHT,
          writes,
        ),
      ]);
      counts.rowsWritten += rebuilt.reduce((sum, account) => sum + 1 + account.transactions.length, 0);
    } else {
      await batchPut(
        ctx.dynamo,
        tables.replica,
        rebuilt.map((account) => ({ ...account.replica, replicatedAt })),
        KEYS.replica,
        REBUILD_WRITES_IN_FLIGHT,
        writes,
      );
      counts.rowsWritten += rebuilt.length;
    }
    return { counts, failures };
  }
  await inPool(rebuilt, 8, async (account) => {
    if (checkpoint.kind === 'read-model') {
      // Transaction rows are immutable per (account, version): rewriting one is idempotent.
      await batchPut(
        ctx.dynamo,
        tables.transactions,
        account.transactions.map((row) => ({ ...row })),
        KEYS.transactions,
      );
      counts.rowsWritten += account.transactions.length;
      const written = await putIfNewer(ctx, tables.balances, { ...account.balance });
      counts[written ? 'rowsWritten' : 'rowsUnchanged']++;
    } else {
      const written = await putIfNewer(ctx, tables.replica, { ...account.replica, replicatedAt });
      counts[written ? 'rowsWritten' : 'rowsUnchanged']++;
    }
  });
  return { counts, failures };
}

/**
 * Conditional put that never moves a row backwards: it writes when the row is missing, older, or
 * at the same version (rewriting the folded truth over a corrupted row of that version).
 */
async function putIfNewer(ctx: CliContext, tableName: string, item: Record<string, unknown> & { version: number }): Promise<boolean> {
  try {
    await ctx.dynamo.send(
      new PutCommand({
        TableName: tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(accountId) OR #version <= :version',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':version': item.version },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailure(error)) return false;
    throw error;
  }
}

/** Each table's primary key as a string: how verify pairs rows, and how a failed write names them. */
const KEYS: Record<string, (row: Record<string, any>) => string> = {
  balances: (row) => String(row.accountId),
  transactions: (row) => `${row.accountId}#${row.version}`,
  replica: (row) => String(row.accountId),
};
/**
 * Differ between a rebuild and the live rows by design: when a row was written, and the trace of
 * the delivery that wrote it (hop records for `sluice trace`, not state a fold can reproduce).
 */
const IGNORED: Record<string, string[]> = { transactions: ['projectedAt'], replica: ['replicatedAt', 'traceparent', 'queuedAt'] };

/**
 * The differences between the live tables and the rebuild: the new tables (fresh), or the
 * expected rows folded again from the event store (in-place, where the live tables are the target).
 */
async function verify(ctx: CliContext, kind: Kind, checkpoint: ReplayCheckpoint): Promise<RowDifference[]> {
  let expected: Record<string, Array<Record<string, any>>>;
  if (checkpoint.target === 'fresh') {
    expected = Object.fromEntries(
      await Promise.all(Object.entries(checkpoint.tables).map(async ([role, name]) => [role, await scanTable(ctx.dynamo, name, checkpoint.segments)] as const)),
    );
  } else {
    // Streams that did not fold were reported as failures by the rebuild; they are left out here too.
    const accounts = foldAccounts(await scanTable(ctx.dynamo, ctx.output('EventStoreTableName'), checkpoint.segments)).rebuilt;
    expected =
      kind === 'read-model'
        ? { balances: accounts.map((a) => ({ ...a.balance })), transactions: accounts.flatMap((a) => a.transactions.map((t) => ({ ...t }))) }
        : { replica: accounts.map((a) => ({ ...a.replica })) };
  }
  const differences: RowDifference[] = [];
  for (const [role, liveName] of Object.entries(checkpoint.live)) {
    const live = await scanTable(ctx.dynamo, liveName, checkpoint.segments);
    const byKey = (rows: Array<Record<string, any>>) => new Map(rows.map((row) => [KEYS[role](row), row]));
    differences.push(...diffRows(role, byKey(live), byKey(expected[role] ?? []), IGNORED[role] ?? []));
  }
  return differences;
}

function report(ctx: CliContext, checkpoint: ReplayCheckpoint, finished: boolean, differences: RowDifference[] | undefined, timings: Record<string, number>): void {
  const { job, kind, target, tables, counts, failures, segments, done } = checkpoint;
  if (ctx.json) {
    printJson({
      job,
      kind,
      target,
      tables,
      checkpoint: checkpointPath(job),
      segments: { total: segments, done: done.length },
      finished,
      ...counts,
      failures,
      ...(differences ? { verified: differences.length === 0, differences } : {}),
      timings,
    });
    return;
  }
  line(`${finished ? 'rebuilt' : 'partly rebuilt'} ${kind} (${target}), job ${job}: ${done.length}/${segments} segments`);
  line(
    `  streams ${counts.streams}, events ${counts.events}, rows written ${counts.rowsWritten}, unchanged ${counts.rowsUnchanged}, skipped streams ${counts.skippedStreams}`,
  );
  for (const [role, name] of Object.entries(tables)) line(`  ${role}: ${name}`);
  for (const failure of failures.slice(0, 20)) line(`  failed ${failure.streamId}: ${failure.error}`);
  if (differences) {
    if (differences.length === 0) line('verify: the rebuilt rows equal the live ones, field for field');
    else {
      line(`verify: ${differences.length} difference(s)`);
      const rows = differences
        .slice(0, 30)
        .map((d) => [d.table, d.key, d.issue, d.field ?? '', d.field ? `live=${JSON.stringify(d.live)} rebuilt=${JSON.stringify(d.rebuilt)}` : '']);
      for (const row of table(rows)) line(`  ${row}`);
      if (differences.length > 30) line(`  … and ${differences.length - 30} more (--json lists all)`);
    }
  }
}

/** What `sluice replay read-model|replica` runs (its options: `cli/program/replay.ts`). */
export const runRebuild = (kind: Kind) => action((ctx: CliContext, options: RebuildOptions) => rebuildAction(ctx, kind, options));

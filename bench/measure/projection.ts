/**
 * Projection throughput (events the running pipeline applies to the read model per second) and
 * replay rebuild rate (events per second from the event store into a fresh read model), both read
 * against raw BatchWriteItem items/s measured in the same run.
 */
import { BatchGetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { accountEventFromStored, type BalanceRow, projectAccountEvent, type TransactionRow } from '../../lambdas/domain/accounts';
import { parseStoredEvent } from '../../lambdas/shared/event-store/stored-event';
import { batchWriteAll, type BenchClients, type BenchTarget, createBenchTable, deleteBenchTable, output } from '../lib/aws';
import { median, ratePerSecond } from '../lib/stats';
import type { LocalApp, LocalStreamMapping } from '../../local/model';
import type { PendingItem } from '../../local/settled';
import type { LambdaRunner } from '../../local/runtime';
import { type InvocationRecord, readArrivals, recordInvocations } from './latency-trace';
import { pipelineFunctions } from './latency-figures';
import { chunk, now, sleep } from '../lib/util';

/**
 * The stored history of one seeded account: opened, then deposits of 100, in the stable v1 types
 * of the design card (current code upcasts them), so any build of the functions can project them.
 */
export function seededHistory(accountId: string, events: number, startMs: number): Array<Record<string, unknown>> {
  const metadata = { source: 'sluice/accounts', subject: accountId, partitionkey: accountId };
  return Array.from({ length: events }, (_, i) => {
    const time = new Date(startMs + i).toISOString();
    return {
      streamId: `account#${accountId}`,
      version: i + 1,
      eventId: ulid(startMs + i),
      type: i === 0 ? 'sluice.account.opened.v1' : 'sluice.account.deposited.v1',
      time,
      data: i === 0 ? { accountId, owner: 'Bench', currency: 'EUR' } : { accountId, amount: 100 },
      metadata,
    };
  });
}

export interface ProjectionResult {
  readonly events: number;
  readonly eventsPerSecond: number;
  /** How long the BatchWriteItem seeding itself took (part of the elapsed time). */
  readonly seedMs: number;
  /**
   * When the outbox relay had put the last seeded event on the events stream (its Kinesis
   * ApproximateArrivalTimestamp), in ms from the first write: the stages before the projector.
   * Undefined when the stream could not be read back.
   */
  readonly relayedMs?: number;
  /** When the read model showed every seeded account at its last version, in ms from the first write. */
  readonly projectedMs: number;
}

/** How many accounts × events a projection measure seeds, and how long it may wait for the read model. */
export interface ProjectionLoad {
  /** @default 40 */
  readonly accounts?: number;
  /** @default 25 */
  readonly eventsPerAccount?: number;
  /** @default 180 000 */
  readonly timeoutMs?: number;
}

/** Ids of seeded accounts, and their histories interleaved (version 1 of every account, then 2…) so every shard has work at once. */
function seedPlan(runId: string, tag: string, accounts: number, eventsPerAccount: number) {
  const ids = Array.from({ length: accounts }, (_, i) => `bench-${runId}-${tag}-${i}`);
  const perAccount = ids.map((id) => seededHistory(id, eventsPerAccount, Date.now()));
  const items = Array.from({ length: eventsPerAccount }, (_, v) => perAccount.map((h) => h[v])).flat();
  return { ids, items };
}

/** Waits until the balances table shows every account of `ids` at `version` (polling every `pollMs`). */
async function waitProjected(clients: BenchClients, balances: string, ids: readonly string[], version: number, timeoutMs: number, pollMs: number): Promise<void> {
  const pending = new Set(ids);
  const deadline = Date.now() + timeoutMs;
  while (pending.size > 0) {
    if (Date.now() > deadline) throw new Error(`${pending.size} of ${ids.length} seeded accounts were not fully projected within ${timeoutMs / 1000} s`);
    for (const keys of chunk([...pending], 100)) {
      const result = await clients.doc.send(
        new BatchGetCommand({
          RequestItems: { [balances]: { Keys: keys.map((accountId) => ({ accountId })), ProjectionExpression: 'accountId, version' } },
        }),
      );
      for (const row of result.Responses?.[balances] ?? []) if (row.version >= version) pending.delete(row.accountId);
    }
    if (pending.size > 0) await sleep(pollMs);
  }
}

/**
 * End to end: seeds `accounts` × `eventsPerAccount` events straight into the event store and times
 * until the read model shows every account at its last version. Elapsed time runs from the first
 * write, so the seeding, the outbox relay, Kinesis and the projector are all inside it: it is
 * bounded by the slowest stage, the relay included (an info figure, see {@link measureProjectionDrain}).
 */
export async function measureProjection(target: BenchTarget, clients: BenchClients, runId: string, load: ProjectionLoad = {}): Promise<ProjectionResult> {
  const { accounts = 40, eventsPerAccount = 25, timeoutMs = 180_000 } = load;
  const eventStore = output(target, 'EventStoreTableName');
  const balances = output(target, 'BalancesTableName');
  const { ids, items } = seedPlan(runId, 'proj', accounts, eventsPerAccount);
  const t0 = now();
  const startedAt = Date.now();
  await batchWriteAll(clients.doc, eventStore, items, 4);
  const seedMs = now() - t0;
  await waitProjected(clients, balances, ids, eventsPerAccount, timeoutMs, 50);
  const projectedMs = now() - t0;
  const events = accounts * eventsPerAccount;
  const relayedAt = await readArrivals(clients.kinesis, output(target, 'EventsStreamName')).then(
    (arrivals) => Math.max(...items.map((item) => arrivals.get(String(item.eventId)) ?? Number.NaN)),
    () => Number.NaN,
  );
  return {
    events,
    eventsPerSecond: ratePerSecond(events, projectedMs),
    seedMs,
    projectedMs,
    ...(Number.isFinite(relayedAt) ? { relayedMs: relayedAt - startedAt } : {}),
  };
}

/** What the drain measure needs of the running local cloud: its functions and mappings, in process. */
export interface DrainContext {
  readonly runner: LambdaRunner;
  readonly app: LocalApp;
  /** Disables or enables a function's stream mappings (`RunningRuntime.setStreamMappingsEnabled`). */
  readonly setStreamMappingsEnabled: (functionName: string, enabled: boolean) => number;
  /**
   * Everything that keeps the local cloud from being settled now, the drained function's own
   * backlog included (`SettledProbe.pending`, what `GET /_sluice/settled` waits on).
   * With `quick`, the cheap checks only, up to the first that finds something (see `SettledProbe.pending`).
   */
  readonly pending: (quick: boolean) => Promise<readonly PendingItem[]>;
}

/**
 * What keeps the cloud from being settled apart from `functionName`'s own mapping and
 * invocations: the other stream consumers' shards and invocations, and every queue that is not a
 * DLQ (the SQS workers behind the notifier and state transfer).
 *
 * @example
 * othersPending([{ kind: 'mapping', function: 'projector', … }, { kind: 'queue', queue: 'notifications', … }], 'projector')
 * // [{ kind: 'queue', queue: 'notifications', … }]
 */
export function othersPending(items: readonly PendingItem[], functionName: string): PendingItem[] {
  return items.filter((item) => !((item.kind === 'mapping' || item.kind === 'invocation') && item.function === functionName));
}

/** How often, and how many checks in a row, the drain waits for the rest of the cloud to be quiet. */
const QUIET_CHECK_MS = 100;
const QUIET_CHECKS = 2;

/**
 * Waits until nothing but `functionName`'s backlog keeps the cloud from being settled, twice in a
 * row: the drain then has the machine the baseline has (which runs on a settled cloud), not a
 * share of it next to the SQS workers still delivering the seeded events' notifications.
 *
 * @returns what was still pending when `deadline` (epoch ms) passed first, so the round is timed
 *   anyway and its note says why it may be slow (a loaded machine's SQS worker can hold one
 *   message in flight for minutes of timeouts); empty when the cloud got quiet
 */
export async function waitOthersQuiet(context: DrainContext, functionName: string, deadline: number): Promise<PendingItem[]> {
  for (let quiet = 0; quiet < QUIET_CHECKS;) {
    // The cheap checks first (runner, queues): the full one reads every shard past its checkpoint,
    // the drained function's backlog too, so it runs only once nothing cheaper is pending.
    const cheap = othersPending(await context.pending(true), functionName);
    const others = cheap.length > 0 ? cheap : othersPending(await context.pending(false), functionName);
    if (others.length > 0 && Date.now() > deadline) return others;
    quiet = others.length === 0 ? quiet + 1 : 0;
    await sleep(QUIET_CHECK_MS);
  }
  return [];
}

/**
 * Starts, before the timed drain, as many sandboxes of the function as its stream mappings can
 * run at once (one per shard and ParallelizationFactor lane), each by an invocation with no
 * records: the drain then times the rate at which the function applies a backlog, as the
 * baseline times BatchWriteItem after its own warm-up, not cold starts (the wait before the drain
 * outlives the idle sandboxes, so every round would start cold; the cold figure measures those).
 *
 * @returns how many invocations it made
 */
export async function warmSandboxes(context: Pick<DrainContext, 'app' | 'runner'>, functionName: string): Promise<number> {
  const lanes = context.app.mappings
    .filter((mapping): mapping is LocalStreamMapping => mapping.functionName === functionName && mapping.kind === 'kinesis')
    .map((mapping) => {
      const stream = context.app.streams.find((candidate) => candidate.arn === mapping.sourceArn);
      if (!stream) throw new Error(`the stream ${mapping.sourceArn} of ${functionName}'s mapping is not among the app's streams`);
      return stream.shardCount * Math.max(1, mapping.parallelizationFactor);
    })
    .reduce((sum, count) => sum + count, 0);
  const outcomes = await Promise.all(Array.from({ length: lanes }, () => context.runner.invoke(functionName, { Records: [] })));
  const failed = outcomes.find((outcome) => !outcome.ok);
  if (failed && !failed.ok) throw new Error(`warming ${functionName} failed: ${failed.error.errorType}: ${failed.error.errorMessage}`);
  return lanes;
}

export interface DrainResult {
  readonly events: number;
  /** Events applied per second from the moment the projector's mapping was enabled over the backlog. */
  readonly eventsPerSecond: number;
  /** From enabling the mapping until the read model showed every seeded account at its last version. */
  readonly drainMs: number;
  /** Projector invocations that carried the seeded events, and the mean events per invocation. */
  readonly invocations: number;
  readonly eventsPerInvocation: number;
  /** What else was still at work when the drain started (empty: the cloud was quiet but for the backlog). */
  readonly notQuiet: readonly PendingItem[];
  /** From enabling the mapping to the start of the first invocation that carried seeded events: the reader's first page and the batch's hand-off. */
  readonly firstInvocationMs?: number;
  /** How long the first of those invocations took, and the median of them all. */
  readonly firstBatchMs?: number;
  readonly medianBatchMs?: number;
}

/** How long the drain waits for the outbox relay to put its backlog on the stream (untimed), at least. */
const RELAY_WAIT_MS = 300_000;

/**
 * The projector's throughput, as a stream consumer's is measured: with its event source mapping
 * disabled, `accounts` × `eventsPerAccount` events are seeded into the event store and the outbox
 * relay puts them all on the events stream (a backlog the projector has been given); then the
 * mapping is enabled and the time runs until the read model shows every account at its last
 * version. So the figure is the rate the projector applies events, not the rate the stages before
 * it deliver them (that is {@link measureProjection}, end to end). Everything else in the cloud
 * (the other stream consumers and the SQS workers behind them) finishes its share of the events
 * before the drain starts, so the drain runs on a cloud as quiet as its baseline's.
 */
export async function measureProjectionDrain(
  target: BenchTarget,
  clients: BenchClients,
  context: DrainContext,
  runId: string,
  load: ProjectionLoad = {},
): Promise<DrainResult> {
  const { accounts = 40, eventsPerAccount = 25, timeoutMs = 180_000 } = load;
  const eventStore = output(target, 'EventStoreTableName');
  const balances = output(target, 'BalancesTableName');
  const { relay, projector } = pipelineFunctions(context.app, eventStore);
  const { ids, items } = seedPlan(runId, 'drain', accounts, eventsPerAccount);
  const seeded = new Set(items.map((item) => String(item.eventId)));
  const recorder = recordInvocations(context.runner, [relay, projector]);
  if (context.setStreamMappingsEnabled(projector, false) === 0) throw new Error(`the projector ${projector} has no stream mapping to disable`);
  try {
    await batchWriteAll(clients.doc, eventStore, items, 4);
    // Untimed, and on a loaded machine the relay of 4,000 events alone took over 180 s: a longer wait than the drain's own.
    const relayWaitMs = Math.max(timeoutMs, RELAY_WAIT_MS);
    const deadline = Date.now() + relayWaitMs;
    const relayed = () => new Set(recorder.records.filter((record) => record.functionName === relay).flatMap((record) => record.eventIds));
    while ([...seeded].some((id) => !relayed().has(id))) {
      if (Date.now() > deadline) throw new Error(`the outbox relay had not put all ${seeded.size} seeded events on the stream within ${relayWaitMs / 1000} s`);
      await sleep(50);
    }
    // The other consumers got the same events, and the SQS workers behind them: let them all finish first.
    const notQuiet = await waitOthersQuiet(context, projector, Date.now() + timeoutMs);
    await warmSandboxes(context, projector);
    const t1 = now();
    const enabledAt = Date.now(); // the recorder's clock
    context.setStreamMappingsEnabled(projector, true);
    // The read model is polled only once the projector has finished an invocation carrying each
    // seeded event: a poll is a BatchGetItem of every account that the projector's own calls queue
    // behind on DynamoDB Local, which the baseline never competes with.
    await waitCarried(recorder.records, projector, seeded, Date.now() + timeoutMs);
    await waitProjected(clients, balances, ids, eventsPerAccount, timeoutMs, 50);
    const drainMs = now() - t1;
    const carrying = recorder.records.filter((record) => record.functionName === projector && record.eventIds.some((id) => seeded.has(id)));
    const carried = carrying.reduce((sum, record) => sum + record.eventIds.length, 0);
    return {
      events: items.length,
      eventsPerSecond: ratePerSecond(items.length, drainMs),
      drainMs,
      invocations: carrying.length,
      eventsPerInvocation: carrying.length > 0 ? carried / carrying.length : 0,
      notQuiet,
      ...batchTimes(carrying, enabledAt),
    };
  } finally {
    context.setStreamMappingsEnabled(projector, true);
    recorder.detach();
  }
}

/** How often {@link waitCarried} looks at the invocation records (in process: no call to the cloud). */
const CARRIED_CHECK_MS = 10;

/**
 * Waits until finished invocations of `functionName` in `records` (a list the recorder keeps
 * appending to) have carried every id of `eventIds`, each at least once (a retried record counts
 * from its first delivery). Whether they were applied is for the read model to say afterwards.
 *
 * @throws when `deadline` (epoch ms) passes first
 */
export async function waitCarried(records: readonly InvocationRecord[], functionName: string, eventIds: ReadonlySet<string>, deadline: number): Promise<void> {
  const waiting = new Set(eventIds);
  let seen = 0;
  for (;;) {
    for (; seen < records.length; seen++) {
      const record = records[seen]!;
      if (record.functionName === functionName) for (const id of record.eventIds) waiting.delete(id);
    }
    if (waiting.size === 0) return;
    if (Date.now() > deadline) throw new Error(`${waiting.size} of ${eventIds.size} events were not carried by a finished ${functionName} invocation in time`);
    await sleep(CARRIED_CHECK_MS);
  }
}

/** When the first invocation carrying the backlog started (ms after `enabledAt`), how long it took, and the median invocation. */
function batchTimes(carrying: readonly InvocationRecord[], enabledAt: number): Pick<DrainResult, 'firstInvocationMs' | 'firstBatchMs' | 'medianBatchMs'> {
  if (carrying.length === 0) return {};
  const first = carrying.reduce((earliest, record) => (record.startMs < earliest.startMs ? record : earliest));
  return {
    firstInvocationMs: first.startMs - enabledAt,
    firstBatchMs: first.endMs - first.startMs,
    medianBatchMs: median(carrying.map((record) => record.endMs - record.startMs)),
  };
}

/** Events the replay figure needs in the store at least: fewer, and it would time little more than its table set-up. */
export const REPLAY_MIN_EVENTS = 2_000;

/**
 * Makes sure the event store holds at least {@link REPLAY_MIN_EVENTS} events for the replay to
 * fold: the earlier phases leave ~14,000, but `--only replay` starts on an empty store (and read 0
 * events). Tops it up through the pipeline, as the end-to-end projection does, so the cloud has
 * projected them before the replay is timed.
 *
 * @returns the events it added (0 when the store already held enough)
 */
export async function ensureReplayHistory(target: BenchTarget, clients: BenchClients, runId: string): Promise<number> {
  const eventStore = output(target, 'EventStoreTableName');
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await clients.doc.send(new ScanCommand({ TableName: eventStore, Select: 'COUNT', ExclusiveStartKey: startKey }));
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey && count < REPLAY_MIN_EVENTS);
  if (count >= REPLAY_MIN_EVENTS) return 0;
  const accounts = 40;
  const eventsPerAccount = Math.ceil((REPLAY_MIN_EVENTS - count) / accounts);
  await measureProjection(target, clients, `${runId}replay`, { accounts, eventsPerAccount });
  return accounts * eventsPerAccount;
}

export interface ReplayResult {
  readonly events: number;
  readonly accounts: number;
  /** Streams whose history could not be folded (left out of the rebuilt read model). */
  readonly skippedAccounts: number;
  readonly eventsPerSecond: number;
}

/** Folds stored items (any order) into read-model rows with the domain's projection. */
export function foldReadModel(items: ReadonlyArray<Record<string, unknown>>): {
  balances: BalanceRow[];
  transactions: TransactionRow[];
  events: number;
  skippedAccounts: number;
} {
  const streams = new Map<string, Array<Record<string, unknown>>>();
  for (const item of items) {
    const streamId = String(item.streamId);
    if (!streamId.startsWith('account#')) continue;
    const list = streams.get(streamId) ?? [];
    list.push(item);
    streams.set(streamId, list);
  }
  const balances: BalanceRow[] = [];
  const transactions: TransactionRow[] = [];
  let events = 0;
  let skippedAccounts = 0;
  for (const history of streams.values()) {
    history.sort((a, b) => Number(a.version) - Number(b.version));
    try {
      let row: BalanceRow | undefined;
      const rows: TransactionRow[] = [];
      for (const item of history) {
        const change = projectAccountEvent(row, accountEventFromStored(parseStoredEvent(item)));
        rows.push(change.transaction);
        row = change.balance;
      }
      if (row) balances.push(row);
      transactions.push(...rows);
      events += history.length;
    } catch {
      skippedAccounts++;
    }
  }
  return { balances, transactions, events, skippedAccounts };
}

/**
 * Rebuilds the read model from the whole event store into two fresh tables (same keys as balances
 * and transactions): Scan → fold with the domain's projection → BatchWriteItem, 4 calls in flight.
 */
export async function measureReplay(target: BenchTarget, clients: BenchClients, runId: string, concurrency = 4): Promise<ReplayResult> {
  const eventStore = output(target, 'EventStoreTableName');
  const balancesTable = `sluice-bench-${runId}-replay-balances`;
  const transactionsTable = `sluice-bench-${runId}-replay-transactions`;
  await createBenchTable(clients.dynamo, balancesTable, [{ name: 'accountId', type: 'S', key: 'HASH' }]);
  await createBenchTable(clients.dynamo, transactionsTable, [
    { name: 'accountId', type: 'S', key: 'HASH' },
    { name: 'version', type: 'N', key: 'RANGE' },
  ]);
  try {
    const t0 = now();
    const items: Array<Record<string, unknown>> = [];
    let startKey: Record<string, unknown> | undefined;
    for (let page = 0; page < 10_000; page++) {
      const result = await clients.doc.send(new ScanCommand({ TableName: eventStore, ExclusiveStartKey: startKey }));
      items.push(...(result.Items ?? []));
      startKey = result.LastEvaluatedKey;
      if (!startKey) break;
    }
    const folded = foldReadModel(items);
    await batchWriteAll(
      clients.doc,
      transactionsTable,
      folded.transactions.map((row) => ({ ...row })),
      concurrency,
    );
    await batchWriteAll(
      clients.doc,
      balancesTable,
      folded.balances.map((row) => ({ ...row })),
      concurrency,
    );
    return {
      events: folded.events,
      accounts: folded.balances.length,
      skippedAccounts: folded.skippedAccounts,
      eventsPerSecond: ratePerSecond(folded.events, now() - t0),
    };
  } finally {
    await deleteBenchTable(clients.dynamo, balancesTable);
    await deleteBenchTable(clients.dynamo, transactionsTable);
  }
}

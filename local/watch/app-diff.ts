/**
 * What a `lib/` (or `bin/`) change did to the app, as the local cloud sees it: the running app
 * against the one loaded from the new assembly. Pure: the hot reload applies the result.
 *
 * Applied in place: new tables, streams, queues, functions and mappings (created; nothing existing
 * is touched, so data, messages and checkpoints stay), and a function's changed settings
 * (environment, timeout, memory, concurrency, logging) swapped like a code change. Everything else
 * (a changed key schema, a removed resource, a changed mapping or route) needs a restart, and the
 * diff says which and why.
 */
import type { LocalApp, LocalFunction, LocalMapping, LocalQueue, LocalStream, LocalTable } from '../model';

export interface AppDiff {
  readonly create: {
    readonly tables: readonly LocalTable[];
    readonly streams: readonly LocalStream[];
    readonly queues: readonly LocalQueue[];
    readonly functions: readonly LocalFunction[];
    readonly mappings: readonly LocalMapping[];
  };
  /** Functions whose settings changed in a way a sandbox restart applies (their new definitions). */
  readonly reconfigure: readonly LocalFunction[];
  /** Functions (physical names) that keep running as they are: their change needs a restart. */
  readonly keepAsIs: readonly string[];
  /** What only a restart applies, one line each, naming the resource and the change. */
  readonly needsRestart: readonly string[];
}

/** Whether the diff changes nothing. */
export function isEmptyDiff(diff: AppDiff): boolean {
  return Object.values(diff.create).every((list) => list.length === 0) && diff.reconfigure.length === 0 && diff.needsRestart.length === 0;
}

type Keyed<T> = { readonly key: (item: T) => string; readonly kind: string };

/** Items of `next` not in `running`, and a restart line for each item of `running` gone from `next`. */
function added<T>(running: readonly T[], next: readonly T[], { key, kind }: Keyed<T>, needsRestart: string[]): T[] {
  const before = new Set(running.map(key));
  const after = new Set(next.map(key));
  for (const name of before) if (!after.has(name)) needsRestart.push(`${kind} ${name} was removed`);
  return next.filter((item) => !before.has(key(item)));
}

/** Items in both apps whose `view` differs, as [running, next] pairs. */
function changed<T>(running: readonly T[], next: readonly T[], key: (item: T) => string, view: (item: T) => unknown): Array<[T, T]> {
  const before = new Map(running.map((item) => [key(item), item]));
  return next.flatMap((item): Array<[T, T]> => {
    const old = before.get(key(item));
    return old && JSON.stringify(view(old)) !== JSON.stringify(view(item)) ? [[old, item]] : [];
  });
}

const tableSchema = (t: LocalTable) => [
  t.keySchema,
  t.attributeDefinitions,
  t.globalSecondaryIndexes,
  t.localSecondaryIndexes,
  t.streamViewType,
  t.timeToLiveAttribute,
];
const streamSettings = (s: LocalStream) => [s.shardCount, s.retentionHours];
const queueSettings = (q: LocalQueue) => [q.fifo, q.contentBasedDeduplication, q.visibilityTimeoutSeconds, q.messageRetentionSeconds, q.redrive];
/** What a sandbox restart cannot change: the Node binary it runs on. */
const functionPlatform = (f: LocalFunction) => [f.runtime, f.architecture];
/** What a sandbox restart applies. The asset folder is left out: code is compared by content hash. */
const functionSettings = (f: LocalFunction) => {
  const { assetDir: _assetDir, ...settings } = f;
  return settings;
};
/** A mapping as the template defines it (a DynamoDB source's ARN is filled in at provisioning: left out). */
const mappingSettings = (m: LocalMapping) => (m.kind === 'sqs' ? m : { ...m, sourceArn: undefined });

/**
 * Compares the running app with the next one.
 *
 * @example
 * const diff = diffApps(running, next);
 * // diff.create.queues: the queues to create; diff.needsRestart: ['table sluice-dev-balances: key schema or indexes changed']
 */
export function diffApps(running: LocalApp, next: LocalApp): AppDiff {
  const needsRestart: string[] = [];
  const tables = added(running.tables, next.tables, { key: (t) => t.tableName, kind: 'table' }, needsRestart);
  const streams = added(running.streams, next.streams, { key: (s) => s.streamName, kind: 'stream' }, needsRestart);
  const queues = added(running.queues, next.queues, { key: (q) => q.queueName, kind: 'queue' }, needsRestart);
  const functions = added(running.functions, next.functions, { key: (f) => f.functionName, kind: 'function' }, needsRestart);
  const mappings = added(running.mappings, next.mappings, { key: (m) => m.logicalId, kind: 'event source mapping' }, needsRestart);

  for (const [, t] of changed(running.tables, next.tables, (t) => t.tableName, tableSchema)) {
    needsRestart.push(
      `table ${t.tableName}: key schema, indexes, stream or TTL changed (DynamoDB cannot change them in place; locally the table must be made again)`,
    );
  }
  for (const [, s] of changed(running.streams, next.streams, (s) => s.streamName, streamSettings)) {
    needsRestart.push(`stream ${s.streamName}: shard count or retention changed`);
  }
  for (const [, q] of changed(running.queues, next.queues, (q) => q.queueName, queueSettings)) {
    needsRestart.push(`queue ${q.queueName}: attributes changed`);
  }
  for (const [, m] of changed(running.mappings, next.mappings, (m) => m.logicalId, mappingSettings)) {
    needsRestart.push(`event source mapping ${m.logicalId} (${m.functionName}): settings changed`);
  }
  const platformChanged = changed(running.functions, next.functions, (f) => f.functionName, functionPlatform);
  for (const [, f] of platformChanged) needsRestart.push(`function ${f.displayName}: runtime or architecture changed`);
  const blocked = new Set(platformChanged.map(([, f]) => f.functionName));
  const reconfigure = changed(running.functions, next.functions, (f) => f.functionName, functionSettings)
    .map(([, f]) => f)
    .filter((f) => !blocked.has(f.functionName));
  if (JSON.stringify(running.api ?? null) !== JSON.stringify(next.api ?? null)) needsRestart.push('the HTTP API (routes, models or gateway responses) changed');

  return { create: { tables, streams, queues, functions, mappings }, reconfigure, keepAsIs: [...blocked], needsRestart };
}

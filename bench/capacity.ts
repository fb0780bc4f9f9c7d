/**
 * Sizing and cost of the deployed pipeline for a given event rate and size: Kinesis shards
 * (provisioned vs on-demand, standard vs enhanced fan-out), ESM parallelization, Lambda
 * concurrency, DynamoDB request units and the cost per million events at published prices.
 *
 * Pure functions (unit tested in test/unit/bench/capacity.test.ts) plus a CLI:
 *   npm run capacity -- --rate 10000 --size 1024 [--command-share 0.1] [--json]
 * See docs/capacity.md for the reasoning behind every assumption.
 */

/** Kinesis Data Streams per-shard limits (AWS quotas; the same for provisioned and on-demand shards). */
export const KINESIS_SHARD_LIMITS = {
  writeBytesPerSecond: 1024 * 1024,
  writeRecordsPerSecond: 1000,
  /** Shared by all standard (GetRecords) consumers of the shard; each enhanced fan-out consumer gets its own. */
  readBytesPerSecond: 2 * 1024 * 1024,
  /** GetRecords calls per shard per second, shared by all standard consumers. */
  readCallsPerSecond: 5,
  /** A Kinesis event source mapping runs at most this many batches per shard at once. */
  maxParallelizationFactor: 10,
} as const;

/** A DynamoDB partition (and so a single partition key) sustains at most this many units per second. */
export const DYNAMODB_PARTITION_LIMITS = { writeUnitsPerSecond: 1000, readUnitsPerSecond: 3000 } as const;

/** Default (soft) account quotas that the bigger workloads run into; raise them before going live. */
export const DEFAULT_QUOTAS = {
  /** DynamoDB on-demand: maximum read or write request units per second per table. */
  dynamoUnitsPerTablePerSecond: 40_000,
  /** API Gateway: requests per second per account and region (all APIs). */
  apiGatewayRequestsPerSecond: 10_000,
  /** Lambda: concurrent executions per account and region. */
  lambdaConcurrency: 1000,
} as const;

/**
 * Published on-demand prices in USD, region us-east-1, as listed on the AWS pricing pages in 2025
 * (DynamoDB after the November 2024 on-demand price cut; Lambda arm64 first tier; API Gateway REST
 * first tier; SQS after the free tier). Free tiers are ignored. Check the pages before you quote them.
 */
export const PRICES_US_EAST_1 = {
  region: 'us-east-1',
  asOf: '2025 (public AWS price pages; free tiers and volume discounts ignored)',
  kinesis: {
    /** Provisioned mode. */
    shardHour: 0.015,
    /** Per million PUT payload units (a record is ceil(size / 25 KB) units). */
    putPayloadUnitsPerMillion: 0.014,
    efoConsumerShardHour: 0.015,
    efoRetrievalPerGB: 0.013,
    /** On-demand mode. */
    onDemandStreamHour: 0.04,
    /** Per GB ingested, each record rounded up to 1 KB. */
    onDemandIngestPerGB: 0.08,
    onDemandRetrievalPerGB: 0.04,
    onDemandEfoRetrievalPerGB: 0.05,
  },
  lambda: { requestsPerMillion: 0.2, arm64PerGBSecond: 0.0000133334 },
  dynamodb: { writeRequestUnitsPerMillion: 0.625, readRequestUnitsPerMillion: 0.125 },
  sqs: { standardRequestsPerMillion: 0.4, fifoRequestsPerMillion: 0.5 },
  apiGateway: { restRequestsPerMillion: 3.5 },
  cloudWatchLogs: { ingestPerGB: 0.5 },
} as const;

export type Prices = typeof PRICES_US_EAST_1;

const GiB = 1024 ** 3;
const KiB = 1024;

/** What to size for. */
export interface Workload {
  /** Events per second on the `events` stream (card swipes + account events). */
  readonly ratePerSecond: number;
  /** Average record (CloudEvents envelope) size in bytes. */
  readonly eventBytes: number;
  /** Fraction of the events that are account domain events (commands); the rest is telemetry. @default 0.1 */
  readonly commandShare?: number;
  /** Kinesis consumers (event source mappings) on the stream. @default 4 (projector, notifier, state-transfer, fraud-detector) */
  readonly consumers?: number;
  /** Events per `POST /events` request. @default 500 */
  readonly apiBatchSize?: number;
  /** Records per stream batch (lib/defaults.ts). @default 100 */
  readonly streamBatchSize?: number;
  /**
   * Events of one key (account, card) in one stream batch, for the consumers that write once per
   * key per batch. @default 1 (every event of another key: the worst case for them)
   */
  readonly eventsPerKey?: number;
  /** Lambda memory in MB (lib/defaults.ts). @default 256 */
  readonly memoryMb?: number;
  /** CloudWatch Logs bytes per invocation (START/END/REPORT + a structured line or two). @default 1000 */
  readonly logBytesPerInvocation?: number;
}

function positive(name: string, value: number): number {
  if (!(value >= 1)) throw new Error(`${name} must be at least 1 (got ${value})`);
  return value;
}

function defaults(w: Workload): Required<Workload> {
  if (!(w.ratePerSecond > 0)) throw new Error(`rate must be a positive number of events per second (got ${w.ratePerSecond})`);
  if (!(w.eventBytes > 0)) throw new Error(`event size must be a positive number of bytes (got ${w.eventBytes})`);
  if (w.eventBytes > 1024 * 1024) throw new Error(`event size must be at most 1 MiB, the Kinesis record limit (got ${w.eventBytes})`);
  const commandShare = w.commandShare ?? 0.1;
  if (!(commandShare >= 0 && commandShare <= 1)) throw new Error(`command share must be between 0 and 1 (got ${commandShare})`);
  return {
    ratePerSecond: w.ratePerSecond,
    eventBytes: w.eventBytes,
    commandShare,
    consumers: w.consumers ?? 4,
    apiBatchSize: w.apiBatchSize ?? 500,
    streamBatchSize: w.streamBatchSize ?? 100,
    memoryMb: w.memoryMb ?? 256,
    logBytesPerInvocation: w.logBytesPerInvocation ?? 1000,
    eventsPerKey: positive('events per key', w.eventsPerKey ?? 1),
  };
}

/**
 * Shards the writes need: 1000 records/s and 1 MiB/s per shard, whichever binds.
 *
 * @example
 * writeShards(10_000, 1024) // 10 (records bind: 10 000 / 1000)
 * writeShards(1_000, 4096)  // 4 (bytes bind: 4 000 KiB/s / 1024 KiB/s → 3.9)
 */
export function writeShards(ratePerSecond: number, eventBytes: number): number {
  return Math.max(
    1,
    Math.ceil(ratePerSecond / KINESIS_SHARD_LIMITS.writeRecordsPerSecond),
    Math.ceil((ratePerSecond * eventBytes) / KINESIS_SHARD_LIMITS.writeBytesPerSecond),
  );
}

/**
 * Shards the reads need with standard consumers: every consumer reads every byte, and they share
 * 2 MiB/s per shard.
 *
 * @example
 * standardReadShards(10_000, 1024, 4) // 20 (4 × 9.77 MiB/s / 2 MiB/s = 19.5)
 */
export function standardReadShards(ratePerSecond: number, eventBytes: number, consumers: number): number {
  return Math.max(1, Math.ceil((ratePerSecond * eventBytes * consumers) / KINESIS_SHARD_LIMITS.readBytesPerSecond));
}

/**
 * Parallelization factor a consumer needs so that one shard's records are processed as fast as
 * they arrive: records/s per shard × ms per record / 1000, at least 1. Above 10 (the maximum),
 * add shards instead.
 *
 * @example
 * parallelizationFactor(1000, 10) // 10 (one batch at a time handles 100 records/s)
 */
export function parallelizationFactor(recordsPerShardPerSecond: number, msPerRecord: number): number {
  return Math.max(1, Math.ceil((recordsPerShardPerSecond * msPerRecord) / 1000));
}

/** Per-event work of each function on AWS (warm), by event kind: the model's assumptions. */
export interface FunctionProfile {
  readonly name: string;
  /** Triggered by: the API, the Kinesis stream, the event store's DynamoDB stream, or a queue (batch of 10). */
  readonly trigger: 'api' | 'kinesis' | 'dynamodb-stream' | 'sqs';
  /** Milliseconds of handler time per telemetry event (card swipe) and per account event; 0 = never sees it. */
  readonly msPerTelemetryEvent: number;
  readonly msPerAccountEvent: number;
  /** Records per invocation when its mapping sets its own batch size (lib/consumers/registry.ts); else the stream default. */
  readonly batchSize?: number;
}

/** The sluice functions (docs/architecture.md); ms are order-of-magnitude estimates, see docs/capacity.md. */
export const FUNCTION_PROFILES: readonly FunctionProfile[] = [
  { name: 'ingest', trigger: 'api', msPerTelemetryEvent: 0.2, msPerAccountEvent: 0 },
  { name: 'command', trigger: 'api', msPerTelemetryEvent: 0, msPerAccountEvent: 25 },
  { name: 'outbox-relay', trigger: 'dynamodb-stream', msPerTelemetryEvent: 0, msPerAccountEvent: 1, batchSize: 500 },
  // projector and fraud-detector: per-record decode only; their per-key writes are in BATCH_PROFILES.
  { name: 'projector', trigger: 'kinesis', msPerTelemetryEvent: 0.05, msPerAccountEvent: 0.05 },
  { name: 'notifier', trigger: 'kinesis', msPerTelemetryEvent: 0.05, msPerAccountEvent: 8 },
  { name: 'state-transfer', trigger: 'kinesis', msPerTelemetryEvent: 0.05, msPerAccountEvent: 8 },
  { name: 'fraud-detector', trigger: 'kinesis', msPerTelemetryEvent: 0.05, msPerAccountEvent: 0.05 },
  { name: 'notification-worker', trigger: 'sqs', msPerTelemetryEvent: 0, msPerAccountEvent: 20 },
  { name: 'replica', trigger: 'sqs', msPerTelemetryEvent: 0, msPerAccountEvent: 5 },
];

/**
 * A consumer that applies a batch per key (lambdas/shared/batch/kinesis-grouped-handler.ts): each
 * key (account, card) of a batch costs one round of sequential calls, `concurrency` keys run at
 * once, and calls shared by every key of the batch cost one round per batch. So a batch takes
 * `records × msPerRecord + ⌈keys / concurrency⌉ × msPerKey + msPerBatch`.
 */
export interface BatchProfile {
  readonly name: 'projector' | 'fraud-detector';
  /** Which events are its keys' events. */
  readonly acts: 'account' | 'telemetry';
  /** Keys written at once (PROJECTOR_CONCURRENCY, FRAUD_DETECTOR_CONCURRENCY). */
  readonly concurrency: number;
  /** The sequential calls per key: projector = none (every call is shared by the batch); fraud = GetItem + PutItem. */
  readonly msPerKey: number;
  /**
   * The rounds shared by the batch: projector = three (the BatchGetItem of every key's balance row
   * beside the BatchGetItem of every delivered event; the BatchWriteItem of every key's transaction
   * rows; one TransactWriteItems of every key's guarded balance row), ≈ 5 + 10 + 5 ms; fraud = none.
   */
  readonly msPerBatch: number;
}

export const BATCH_PROFILES: readonly BatchProfile[] = [
  { name: 'projector', acts: 'account', concurrency: 16, msPerKey: 0, msPerBatch: 20 },
  { name: 'fraud-detector', acts: 'telemetry', concurrency: 16, msPerKey: 8, msPerBatch: 0 },
];

/**
 * Milliseconds one batch takes in a per-key consumer: decoding every record (`msPerRecord`, the
 * function profile's) plus one round per wave of `concurrency` keys.
 *
 * @example
 * batchMilliseconds({ name: 'fraud-detector', acts: 'telemetry', concurrency: 16, msPerKey: 8, msPerBatch: 0 }, 100, 100, 0.05) // 5 + 7 × 8 = 61
 */
export function batchMilliseconds(profile: BatchProfile, records: number, keys: number, msPerRecord: number): number {
  return records * msPerRecord + Math.ceil(keys / profile.concurrency) * profile.msPerKey + profile.msPerBatch;
}

/**
 * Records per second one shard can push through a per-key consumer with one batch in flight
 * (parallelization factor 1): full batches of `batchSize` records, `keyShare` of them its keys'
 * events, each key with `eventsPerKey` events in the batch (1 = every event a different key: the
 * worst case).
 *
 * @example
 * recordsPerSecondPerShard(projector, 100, 1, 1) // 100 / 25 ms = 4000
 */
export function recordsPerSecondPerShard(profile: BatchProfile, batchSize: number, keyShare: number, eventsPerKey: number, msPerRecord = 0.05): number {
  const keys = Math.ceil((batchSize * keyShare) / eventsPerKey);
  return (batchSize * 1000) / batchMilliseconds(profile, batchSize, keys, msPerRecord);
}

/**
 * The projector's request units per account event with `eventsPerKey` events of an account in a
 * batch: the balance row read (1 RRU, consistent) shared by them, and the event's own stored copy
 * read by key (consistent, ⌈size / 4 KB⌉ RRU); a transaction row each (1 WRU, a plain batch write)
 * and the balance row, shared, in the batch's one TransactWriteItems (2 WRU: a transactional write;
 * a batch of one account puts it plainly, 1 WRU, which the model does not count on).
 *
 * @example
 * projectorUnitsPerEvent(1024, 1) // { rru: 2, wru: 3 }
 */
export function projectorUnitsPerEvent(eventBytes: number, eventsPerKey: number): { wru: number; rru: number } {
  const k = eventsPerKey;
  return { rru: 1 / k + Math.ceil(eventBytes / (4 * KiB)), wru: 1 + 2 / k };
}

/** DynamoDB request units per event, by table: the model's assumptions (items ≤ 1 KB except the event). */
export function dynamoUnitsPerAccountEvent(eventBytes: number, snapshotEvery = 50, eventsPerKey = 1): { wru: number; rru: number } {
  const eventWru = Math.ceil(eventBytes / KiB);
  // command: strongly consistent snapshot GetItem (1) + Query of the events since it (on average
  // snapshotEvery / 2 events, 4 KB per RRU) + the conditional append + a snapshot every N events.
  const sinceSnapshotRru = Math.max(1, Math.ceil(((snapshotEvery / 2) * eventBytes) / (4 * KiB)));
  const command = { rru: 1 + sinceSnapshotRru, wru: eventWru + 1 / snapshotEvery };
  // Per account per batch: its balance row in a consistent BatchGetItem (1 RRU) + its k stored
  // events by key in a consistent BatchGetItem + k transaction rows in BatchWriteItem (1 WRU each)
  // + its guarded balance row in the batch's TransactWriteItems (2 WRU): per event,
  // 1 / k + ⌈size / 4 KB⌉ RRU and 1 + 2 / k WRU.
  const k = eventsPerKey;
  const projector = projectorUnitsPerEvent(eventBytes, k);
  // notifier: loads each account once per batch (snapshot GetItem + one Query from it to the
  // batch's newest of its k events), shared by those k events.
  const notifierQueryRru = Math.max(1, Math.ceil(((snapshotEvery / 2 + k - 1) * eventBytes) / (4 * KiB)));
  const notifier = { rru: (1 + notifierQueryRru) / k, wru: 0 };
  const stateTransfer = { rru: 1 + sinceSnapshotRru, wru: 0 };
  const replica = { rru: 0, wru: 1 / k }; // one conditional put per account per batch, of its newest state
  const worker = { rru: 0, wru: 3 }; // idempotency put + update, delivery log put
  const all = [command, projector, notifier, stateTransfer, replica, worker];
  return { wru: all.reduce((s, u) => s + u.wru, 0), rru: all.reduce((s, u) => s + u.rru, 0) };
}

/**
 * Card swipe: the fraud detector reads and writes the card's window (≤ 2 KB) once per card per
 * batch; with `eventsPerKey` swipes of a card in a batch each swipe pays 1 / eventsPerKey of it
 * (1 = the worst case, every swipe of another card).
 */
export function dynamoUnitsPerTelemetryEvent(eventsPerKey = 1): { wru: number; rru: number } {
  return { wru: 2 / eventsPerKey, rru: 1 / eventsPerKey };
}

/** SQS requests per account event: send, receive and delete, each batched by 10 — for each of the two queues. */
export const SQS_REQUESTS_PER_ACCOUNT_EVENT = { standard: 0.3, fifo: 0.3 } as const;

export interface Sizing {
  readonly workload: Required<Workload>;
  readonly bytesPerSecond: number;
  readonly shards: {
    readonly write: number;
    readonly standardRead: number;
    /** Provisioned shards with standard consumers: max(write, reads). */
    readonly provisionedStandard: number;
    /** Provisioned shards with enhanced fan-out: the writes decide alone. */
    readonly provisionedEfo: number;
    /** GetRecords calls per shard per second the standard consumers make (each polls once a second). */
    readonly getRecordsPerShardPerSecond: number;
    readonly recommendEfo: boolean;
    readonly reason: string;
  };
  /** Per Kinesis consumer: parallelization factor needed and concurrency = shards × factor (on the shard count chosen). */
  readonly consumers: ReadonlyArray<{
    readonly name: string;
    readonly parallelizationFactor: number;
    readonly concurrency: number;
    readonly capped: boolean;
    /** Records/s one shard carries through this consumer with one batch in flight (factor 1), at this mix. */
    readonly recordsPerSecondPerShardPerBatch: number;
  }>;
  readonly concurrency: {
    readonly api: number;
    readonly streamConsumers: number;
    readonly outboxRelay: number;
    readonly queueConsumers: number;
    readonly total: number;
  };
  readonly dynamodb: {
    readonly writeUnitsPerSecond: number;
    readonly readUnitsPerSecond: number;
    readonly eventStoreWriteUnitsPerSecond: number;
    /** Units per second by table (group); `overQuota` when above the default 40 000 per table. */
    readonly tables: ReadonlyArray<{
      readonly table: string;
      readonly writeUnitsPerSecond: number;
      readonly readUnitsPerSecond: number;
      readonly overQuota: boolean;
    }>;
  };
  readonly apiRequestsPerSecond: number;
  /** Default quotas this workload exceeds (raise them first). */
  readonly warnings: readonly string[];
  readonly perKey: {
    readonly maxEventsPerSecondPerKeyOnStream: number;
    readonly projectorEventsPerSecondPerAccount: number;
    readonly eventStoreUnitsPerSecondPerAccount: number;
  };
}

/**
 * Sizes the pipeline for `workload`.
 *
 * @example
 * size({ ratePerSecond: 1000, eventBytes: 1024 }).shards.provisionedStandard // 2
 */
export function size(workload: Workload): Sizing {
  const w = defaults(workload);
  const bytesPerSecond = w.ratePerSecond * w.eventBytes;
  const write = writeShards(w.ratePerSecond, w.eventBytes);
  const standardRead = standardReadShards(w.ratePerSecond, w.eventBytes, w.consumers);
  const readBound = standardRead > write;
  // Each standard consumer's mapping polls every shard about once a second; they share 5 GetRecords/s.
  const callsBound = w.consumers >= KINESIS_SHARD_LIMITS.readCallsPerSecond;
  const recommendEfo = callsBound;
  const reason = callsBound
    ? `${w.consumers} standard consumers make ${w.consumers} GetRecords calls/s per shard (limit 5): use enhanced fan-out`
    : readBound
      ? `reads bind: ${w.consumers} standard consumers share 2 MiB/s per shard, so ${standardRead} shards for ${write} of writes; or ${write} shards with enhanced fan-out (dedicated 2 MiB/s and ~70 ms push per consumer)`
      : `writes bind (${write} shards); ${w.consumers} standard consumers fit in the shared 2 MiB/s and 5 GetRecords/s per shard`;
  const shards = recommendEfo ? write : Math.max(write, standardRead);

  const perShard = w.ratePerSecond / shards;
  const telemetryShare = 1 - w.commandShare;
  const consumers = FUNCTION_PROFILES.filter((f) => f.trigger === 'kinesis')
    .slice(0, w.consumers)
    .map((f) => {
      const msPerRecord = telemetryShare * f.msPerTelemetryEvent + w.commandShare * f.msPerAccountEvent;
      const batched = BATCH_PROFILES.find((b) => b.name === f.name);
      // A per-key consumer: the records/s one batch at a time carries, in full batches; others: per-record time.
      const perLane = batched
        ? recordsPerSecondPerShard(batched, w.streamBatchSize, batched.acts === 'account' ? w.commandShare : telemetryShare, w.eventsPerKey, msPerRecord)
        : 1000 / msPerRecord;
      const needed = Math.max(1, Math.ceil(perShard / perLane));
      const pf = Math.min(needed, KINESIS_SHARD_LIMITS.maxParallelizationFactor);
      return {
        name: f.name,
        parallelizationFactor: pf,
        concurrency: shards * pf,
        capped: needed > KINESIS_SHARD_LIMITS.maxParallelizationFactor,
        recordsPerSecondPerShardPerBatch: Math.floor(perLane),
      };
    });
  const accountRate = w.ratePerSecond * w.commandShare;
  const telemetryRate = w.ratePerSecond * telemetryShare;
  const profile = (name: string) => FUNCTION_PROFILES.find((f) => f.name === name)!;
  // Little's law: concurrency = arrival rate × time in the function.
  const api = Math.ceil(
    (telemetryRate / w.apiBatchSize) * ((profile('ingest').msPerTelemetryEvent * w.apiBatchSize) / 1000) +
      accountRate * (profile('command').msPerAccountEvent / 1000),
  );
  const eventStoreWriteUnitsPerSecond = accountRate * Math.ceil(w.eventBytes / KiB);
  // The DynamoDB stream has about one shard per table partition (1000 WRU/s each); one batch per shard at a time.
  const outboxRelay = Math.max(1, Math.ceil(eventStoreWriteUnitsPerSecond / DYNAMODB_PARTITION_LIMITS.writeUnitsPerSecond));
  const queueConsumers = 5 + 2; // maxConcurrency of the notification worker and the replica mappings (lib/stateless-stack.ts)
  const streamConsumers = consumers.reduce((sum, c) => sum + c.concurrency, 0);
  const account = dynamoUnitsPerAccountEvent(w.eventBytes, 50, w.eventsPerKey);
  const swipe = dynamoUnitsPerTelemetryEvent(w.eventsPerKey);
  const projectorUnits = projectorUnitsPerEvent(w.eventBytes, w.eventsPerKey);
  const eventWru = Math.ceil(w.eventBytes / KiB);
  const storeReadRru = account.rru - 1 / w.eventsPerKey; // all but the projector's balance GetItem reads the store
  const tables = [
    { table: 'event store + snapshots', writeUnitsPerSecond: accountRate * (eventWru + 1 / 50), readUnitsPerSecond: accountRate * storeReadRru },
    { table: 'read model (balances + transactions)', writeUnitsPerSecond: accountRate * projectorUnits.wru, readUnitsPerSecond: accountRate / w.eventsPerKey },
    { table: 'fraud windows', writeUnitsPerSecond: telemetryRate * swipe.wru, readUnitsPerSecond: telemetryRate * swipe.rru },
    { table: 'replica', writeUnitsPerSecond: accountRate / w.eventsPerKey, readUnitsPerSecond: 0 },
    { table: 'deliveries + idempotency', writeUnitsPerSecond: accountRate * 3, readUnitsPerSecond: 0 },
  ].map((t) => ({ ...t, overQuota: Math.max(t.writeUnitsPerSecond, t.readUnitsPerSecond) > DEFAULT_QUOTAS.dynamoUnitsPerTablePerSecond }));
  const apiRequestsPerSecond = telemetryRate / w.apiBatchSize + accountRate;
  const concurrencyTotal = api + streamConsumers + outboxRelay + queueConsumers;
  const warnings: string[] = [];
  for (const t of tables.filter((x) => x.overQuota)) {
    warnings.push(
      `${t.table}: ${Math.round(Math.max(t.writeUnitsPerSecond, t.readUnitsPerSecond)).toLocaleString('en-US')} units/s is above the default ${DEFAULT_QUOTAS.dynamoUnitsPerTablePerSecond.toLocaleString('en-US')} per table: raise the quota and pre-warm (warm throughput)`,
    );
  }
  if (apiRequestsPerSecond > DEFAULT_QUOTAS.apiGatewayRequestsPerSecond) {
    warnings.push(
      `API Gateway: ${Math.round(apiRequestsPerSecond).toLocaleString('en-US')} requests/s is above the default ${DEFAULT_QUOTAS.apiGatewayRequestsPerSecond.toLocaleString('en-US')} per account and region`,
    );
  }
  if (concurrencyTotal > DEFAULT_QUOTAS.lambdaConcurrency) {
    warnings.push(`Lambda: ${concurrencyTotal} concurrent executions is above the default ${DEFAULT_QUOTAS.lambdaConcurrency} per account and region`);
  }
  return {
    workload: w,
    bytesPerSecond,
    shards: {
      write,
      standardRead,
      provisionedStandard: Math.max(write, standardRead),
      provisionedEfo: write,
      getRecordsPerShardPerSecond: w.consumers,
      recommendEfo,
      reason,
    },
    consumers,
    concurrency: { api, streamConsumers, outboxRelay, queueConsumers, total: concurrencyTotal },
    dynamodb: {
      writeUnitsPerSecond: accountRate * account.wru + telemetryRate * swipe.wru,
      readUnitsPerSecond: accountRate * account.rru + telemetryRate * swipe.rru,
      eventStoreWriteUnitsPerSecond,
      tables,
    },
    apiRequestsPerSecond,
    warnings,
    perKey: {
      maxEventsPerSecondPerKeyOnStream: Math.min(KINESIS_SHARD_LIMITS.writeRecordsPerSecond, Math.floor(KINESIS_SHARD_LIMITS.writeBytesPerSecond / w.eventBytes)),
      // One account's events of a batch are one write: a key is bound by its shard, not by the projector.
      projectorEventsPerSecondPerAccount: Math.min(
        KINESIS_SHARD_LIMITS.writeRecordsPerSecond,
        Math.floor((w.streamBatchSize * 1000) / batchMilliseconds(BATCH_PROFILES[0]!, w.streamBatchSize, 1, profile('projector').msPerAccountEvent)),
      ),
      eventStoreUnitsPerSecondPerAccount: DYNAMODB_PARTITION_LIMITS.writeUnitsPerSecond,
    },
  };
}

export type KinesisMode = 'provisioned' | 'provisioned-efo' | 'on-demand' | 'on-demand-efo';

export interface CostLine {
  readonly service: string;
  readonly item: string;
  /** USD per million events. */
  readonly usd: number;
}

export interface CostBreakdown {
  readonly mode: KinesisMode;
  readonly lines: readonly CostLine[];
  readonly totalUsd: number;
  /** USD per month (30 days) at the workload's rate. */
  readonly monthlyUsd: number;
}

/**
 * Cost of one million events at `workload`'s rate, by service, for one Kinesis mode.
 *
 * @example
 * costPerMillion({ ratePerSecond: 1000, eventBytes: 1024 }, 'on-demand').totalUsd
 */
export function costPerMillion(workload: Workload, mode: KinesisMode, prices: Prices = PRICES_US_EAST_1): CostBreakdown {
  const w = defaults(workload);
  const sizing = size(w);
  const M = 1_000_000;
  const hours = M / w.ratePerSecond / 3600; // how long a million events take to arrive
  const accountEvents = M * w.commandShare;
  const telemetryEvents = M - accountEvents;
  const k = prices.kinesis;
  const lines: CostLine[] = [];
  const add = (service: string, item: string, usd: number) => lines.push({ service, item, usd });

  const gbRead = (M * w.eventBytes * w.consumers) / GiB;
  if (mode === 'provisioned' || mode === 'provisioned-efo') {
    const shards = mode === 'provisioned' ? sizing.shards.provisionedStandard : sizing.shards.provisionedEfo;
    add('Kinesis', `${shards} shard-hours × ${hours.toFixed(3)} h`, shards * hours * k.shardHour);
    add('Kinesis', 'PUT payload units (25 KB each)', ((M * Math.ceil(w.eventBytes / (25 * KiB))) / M) * k.putPayloadUnitsPerMillion);
    if (mode === 'provisioned-efo') {
      add('Kinesis', `enhanced fan-out: ${w.consumers} consumers × ${shards} shards`, w.consumers * shards * hours * k.efoConsumerShardHour);
      add('Kinesis', 'enhanced fan-out retrievals', gbRead * k.efoRetrievalPerGB);
    }
  } else {
    const roundedGb = (M * Math.ceil(w.eventBytes / KiB) * KiB) / GiB;
    add('Kinesis', `on-demand stream-hours × ${hours.toFixed(3)} h`, hours * k.onDemandStreamHour);
    add('Kinesis', 'on-demand data in (1 KB rounding)', roundedGb * k.onDemandIngestPerGB);
    add(
      'Kinesis',
      `on-demand retrievals (${w.consumers} consumers)`,
      roundedGb * w.consumers * (mode === 'on-demand-efo' ? k.onDemandEfoRetrievalPerGB : k.onDemandRetrievalPerGB),
    );
  }

  // Lambda: invocations and GB-seconds.
  const gb = w.memoryMb / 1024;
  let invocations = 0;
  let gbSeconds = 0;
  for (const f of FUNCTION_PROFILES) {
    const events = (f.msPerTelemetryEvent > 0 ? telemetryEvents : 0) + (f.msPerAccountEvent > 0 ? accountEvents : 0);
    const perInvocation = f.trigger === 'api' ? (f.name === 'ingest' ? w.apiBatchSize : 1) : f.trigger === 'sqs' ? 10 : (f.batchSize ?? w.streamBatchSize);
    invocations += events / perInvocation;
    gbSeconds += ((telemetryEvents * f.msPerTelemetryEvent + accountEvents * f.msPerAccountEvent) / 1000) * gb;
  }
  // Per-key consumers wait for one round of calls per wave of keys in each batch.
  const batches = M / w.streamBatchSize;
  for (const b of BATCH_PROFILES.filter((p) => sizing.consumers.some((c) => c.name === p.name))) {
    const keys = Math.ceil((w.streamBatchSize * (b.acts === 'account' ? w.commandShare : 1 - w.commandShare)) / w.eventsPerKey);
    gbSeconds += ((batches * (Math.ceil(keys / b.concurrency) * b.msPerKey + b.msPerBatch)) / 1000) * gb;
  }
  add('Lambda', `${Math.round(invocations).toLocaleString('en-US')} requests`, (invocations / M) * prices.lambda.requestsPerMillion);
  add('Lambda', `${Math.round(gbSeconds).toLocaleString('en-US')} GB-s arm64 at ${w.memoryMb} MB`, gbSeconds * prices.lambda.arm64PerGBSecond);

  const account = dynamoUnitsPerAccountEvent(w.eventBytes, 50, w.eventsPerKey);
  const swipe = dynamoUnitsPerTelemetryEvent(w.eventsPerKey);
  const wru = accountEvents * account.wru + telemetryEvents * swipe.wru;
  const rru = accountEvents * account.rru + telemetryEvents * swipe.rru;
  add('DynamoDB', `${Math.round(wru).toLocaleString('en-US')} write request units`, (wru / M) * prices.dynamodb.writeRequestUnitsPerMillion);
  add('DynamoDB', `${Math.round(rru).toLocaleString('en-US')} read request units`, (rru / M) * prices.dynamodb.readRequestUnitsPerMillion);

  add('SQS', 'notifications (standard)', ((accountEvents * SQS_REQUESTS_PER_ACCOUNT_EVENT.standard) / M) * prices.sqs.standardRequestsPerMillion);
  add('SQS', 'state transfer (FIFO)', ((accountEvents * SQS_REQUESTS_PER_ACCOUNT_EVENT.fifo) / M) * prices.sqs.fifoRequestsPerMillion);

  const apiRequests = telemetryEvents / w.apiBatchSize + accountEvents;
  add('API Gateway', `${Math.round(apiRequests).toLocaleString('en-US')} REST requests`, (apiRequests / M) * prices.apiGateway.restRequestsPerMillion);

  const logGb = (invocations * w.logBytesPerInvocation + apiRequests * 500) / GiB; // ~500 B access log line per request
  add('CloudWatch Logs', `${logGb.toFixed(3)} GB ingested`, logGb * prices.cloudWatchLogs.ingestPerGB);

  const totalUsd = lines.reduce((s, l) => s + l.usd, 0);
  return { mode, lines, totalUsd, monthlyUsd: totalUsd * ((w.ratePerSecond * 86_400 * 30) / M) };
}

/**
 * Kinesis modes that can carry the workload: standard provisioned consumers only below 5
 * consumers (shared GetRecords calls); standard on-demand only up to 2 consumers, because an
 * on-demand stream scales on writes and serves reads of twice its write throughput.
 */
export function viableModes(workload: Workload): KinesisMode[] {
  const consumers = defaults(workload).consumers;
  const modes: KinesisMode[] = [];
  if (consumers < KINESIS_SHARD_LIMITS.readCallsPerSecond) modes.push('provisioned');
  modes.push('provisioned-efo');
  if (consumers <= 2) modes.push('on-demand');
  modes.push('on-demand-efo');
  return modes;
}

/** The cheapest viable Kinesis mode for a steady workload (see {@link viableModes}). */
export function recommendedMode(workload: Workload, prices: Prices = PRICES_US_EAST_1): KinesisMode {
  return viableModes(workload).reduce((best, mode) =>
    costPerMillion(workload, mode, prices).totalUsd < costPerMillion(workload, best, prices).totalUsd ? mode : best,
  );
}

// ---------------------------------------------------------------------------------------------
// CLI

const usd = (v: number) => (v >= 100 ? `$${v.toFixed(0)}` : v >= 1 ? `$${v.toFixed(2)}` : `$${v.toFixed(4)}`);

export function formatReport(workload: Workload): string {
  const s = size(workload);
  const w = s.workload;
  const modes: KinesisMode[] = ['provisioned', 'provisioned-efo', 'on-demand', 'on-demand-efo'];
  const costs = modes.map((m) => costPerMillion(w, m));
  const best = recommendedMode(w);
  const out: string[] = [];
  out.push(
    `sluice sizing for ${w.ratePerSecond.toLocaleString('en-US')} events/s × ${w.eventBytes} B (${(s.bytesPerSecond / 1024 / 1024).toFixed(2)} MiB/s), ${Math.round(w.commandShare * 100)} % account events, ${w.consumers} stream consumers`,
  );
  out.push('');
  out.push(
    `Kinesis shards      write ${s.shards.write}, standard-read ${s.shards.standardRead} → provisioned ${s.shards.provisionedStandard} (standard) or ${s.shards.provisionedEfo} (enhanced fan-out)`,
  );
  out.push(`                    ${s.shards.recommendEfo ? 'use enhanced fan-out' : 'standard consumers work'}: ${s.shards.reason}`);
  for (const c of s.consumers) {
    out.push(
      `ESM ${c.name.padEnd(16)} ${c.recordsPerSecondPerShardPerBatch.toLocaleString('en-US')} records/s per shard per batch in flight → parallelization factor ${c.parallelizationFactor}${c.capped ? ' (capped at 10: add shards)' : ''}, concurrency ${c.concurrency}`,
    );
  }
  out.push(
    `Lambda concurrency  API ${s.concurrency.api}, stream consumers ${s.concurrency.streamConsumers}, outbox relay ${s.concurrency.outboxRelay}, queues ${s.concurrency.queueConsumers} → total ${s.concurrency.total} (account default quota: 1000)`,
  );
  out.push(
    `DynamoDB on-demand  ${Math.round(s.dynamodb.writeUnitsPerSecond).toLocaleString('en-US')} WRU/s, ${Math.round(s.dynamodb.readUnitsPerSecond).toLocaleString('en-US')} RRU/s (event store ${Math.round(s.dynamodb.eventStoreWriteUnitsPerSecond).toLocaleString('en-US')} WRU/s)`,
  );
  for (const t of s.dynamodb.tables)
    out.push(
      `  ${t.table.padEnd(38)} ${Math.round(t.writeUnitsPerSecond).toLocaleString('en-US').padStart(8)} WRU/s ${Math.round(t.readUnitsPerSecond).toLocaleString('en-US').padStart(8)} RRU/s${t.overQuota ? '  above the default per-table quota' : ''}`,
    );
  out.push(`API Gateway         ${Math.round(s.apiRequestsPerSecond).toLocaleString('en-US')} requests/s (swipes in batches of ${w.apiBatchSize}, one per command)`);
  out.push(
    `Per key             ≤ ${s.perKey.maxEventsPerSecondPerKeyOnStream} events/s per card or account on the stream (one shard); ≤ ${s.perKey.projectorEventsPerSecondPerAccount} events/s per account through the projector (one write per account per batch); ≤ ${s.perKey.eventStoreUnitsPerSecondPerAccount} WRU/s per account in the event store`,
  );
  for (const warning of s.warnings) out.push(`WARNING             ${warning}`);
  out.push('');
  out.push(`Cost per million events, ${PRICES_US_EAST_1.region}, prices ${PRICES_US_EAST_1.asOf}`);
  const services = [...new Set(costs[0].lines.map((l) => l.service))];
  const viable = viableModes(w);
  const header = ['service', ...modes.map((m) => (m === best ? `${m} *` : viable.includes(m) ? m : `(${m})`))];
  const rows = services.map((svc) => [svc, ...costs.map((c) => usd(c.lines.filter((l) => l.service === svc).reduce((a, l) => a + l.usd, 0)))]);
  rows.push(['total / million', ...costs.map((c) => usd(c.totalUsd))]);
  rows.push(['per month (30 d)', ...costs.map((c) => usd(c.monthlyUsd))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  out.push(line(header), widths.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line));
  out.push(`* recommended: ${best} (cheapest viable); (…) = not viable with ${w.consumers} standard consumers`);
  out.push('');
  out.push(`Details of the recommended mode (${best}):`);
  for (const l of costs[modes.indexOf(best)].lines) out.push(`  ${l.service.padEnd(16)} ${l.item.padEnd(48)} ${usd(l.usd)}`);
  return out.join('\n');
}

export function parseCapacityArgs(argv: readonly string[]): { workload: Workload; json: boolean; help: boolean } {
  let rate: number | undefined;
  let bytes: number | undefined;
  let commandShare: number | undefined;
  let consumers: number | undefined;
  let eventsPerKey: number | undefined;
  let json = false;
  let help = false;
  const num = (name: string, raw: string | undefined) => {
    const value = Number(raw);
    if (raw === undefined || !Number.isFinite(value)) throw new Error(`${name} needs a number (got "${raw ?? ''}")`);
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--rate') rate = num(arg, argv[++i]);
    else if (arg === '--size') bytes = num(arg, argv[++i]);
    else if (arg === '--command-share') commandShare = num(arg, argv[++i]);
    else if (arg === '--consumers') consumers = num(arg, argv[++i]);
    else if (arg === '--events-per-key') eventsPerKey = num(arg, argv[++i]);
    else if (arg === '--json') json = true;
    else if (arg === '-h' || arg === '--help') help = true;
    else throw new Error(`unknown option "${arg}": run npm run capacity -- --help`);
  }
  if (!help && rate === undefined) throw new Error('--rate is required, e.g. npm run capacity -- --rate 10000 --size 1024');
  return { workload: { ratePerSecond: rate ?? 1, eventBytes: bytes ?? 1024, commandShare, consumers, eventsPerKey }, json, help };
}

if (require.main === module) {
  try {
    const { workload, json, help } = parseCapacityArgs(process.argv.slice(2));
    if (help) {
      process.stdout.write(
        'usage: npm run capacity -- --rate <events/s> [--size <bytes, default 1024>] [--command-share <0..1, default 0.1>] [--consumers <n, default 4>] [--events-per-key <n ≥ 1, default 1>] [--json]\n',
      );
    } else if (json) {
      const modes: KinesisMode[] = ['provisioned', 'provisioned-efo', 'on-demand', 'on-demand-efo'];
      process.stdout.write(
        `${JSON.stringify(
          {
            sizing: size(workload),
            prices: PRICES_US_EAST_1,
            recommended: recommendedMode(workload),
            costPerMillion: modes.map((m) => costPerMillion(workload, m)),
          },
          null,
          2,
        )}\n`,
      );
    } else {
      process.stdout.write(`${formatReport(workload)}\n`);
    }
  } catch (error) {
    process.stderr.write(`capacity: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

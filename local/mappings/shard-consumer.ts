/**
 * The shard consumer both stream pollers share (Kinesis and DynamoDB Streams): shard discovery
 * (parents before children), one reader per shard, ParallelizationFactor lanes per shard keyed by
 * partition key, batching by size and window, filtering, retries, bisecting, record age, the
 * on-failure destination and in-memory checkpoints.
 */
import { randomUUID } from 'node:crypto';
import type { LocalStreamMapping, WrittenPlace } from '../model';
import type { CheckpointStore } from './checkpoints';
import { functionArn, type InvokeOutcome } from '../runtime/lambda-runner';
import { failureDestinationMessage, type FailureCondition } from './failure-destination';
import { passesFilters, parseFilterPatterns, type FilterPattern } from './filter';
import { compareSequenceNumbers, interpretStreamOutcome, laneOf, pageLimit, partitionByAge, planNextStep, type BatchVerdict } from './stream-planning';
import { backoffMs } from './backoff';

export interface ShardDescriptor {
  readonly shardId: string;
  readonly parentShardIds: readonly string[];
}

export type IteratorPosition =
  | { readonly type: 'TRIM_HORIZON' }
  | { readonly type: 'LATEST' }
  | { readonly type: 'AT_TIMESTAMP'; readonly timestamp: Date }
  | { readonly type: 'AFTER_SEQUENCE_NUMBER'; readonly sequenceNumber: string };

/** A record as read, already shaped as the Lambda event record plus what the consumer needs to know. */
export interface SourceRecord {
  readonly sequenceNumber: string;
  readonly arrivalMs: number;
  readonly partitionKey: string;
  /** The record exactly as it appears in the function's event `Records`. */
  readonly eventRecord: unknown;
  /** What FilterCriteria patterns are matched against (read only when the mapping has filters, so it may be a getter). */
  readonly filterView: unknown;
}

/** The stream service behind a mapping: Kinesis or DynamoDB Streams. */
export interface StreamSource {
  readonly kind: 'kinesis' | 'dynamodb';
  /** ARN used in events and failure records. */
  readonly streamArn: string;
  listShards(): Promise<ShardDescriptor[]>;
  /** Undefined when the shard no longer exists. */
  getIterator(shardId: string, position: IteratorPosition): Promise<string | undefined>;
  /**
   * `nextIterator` undefined: the shard is closed and fully read. `atTip`: the page reached the
   * shard's newest record (Kinesis `MillisBehindLatest` 0), so asking again at once would find
   * nothing; undefined when the source cannot tell.
   */
  getRecords(iterator: string, limit: number, shardId: string): Promise<{ records: SourceRecord[]; nextIterator?: string; atTip?: boolean }>;
  isExpiredIterator(error: unknown): boolean;
}

export interface ConsumerDeps {
  /** `affinity`: the shard's key, so the runner hands the shard's batches to the sandbox that ran them before while it is idle. */
  readonly invoke: (functionName: string, event: unknown, options?: { readonly affinity?: string }) => Promise<InvokeOutcome>;
  readonly sendToDestination: (queueUrl: string, body: string) => Promise<void>;
  readonly log: (line: string) => void;
  /** @default 200 */
  readonly idlePollMs?: number;
  /** @default 5000 */
  readonly discoveryIntervalMs?: number;
  /** How long a woken reader of a mapping with a batching window waits before it reads. @default WINDOWED_READ_DELAY_MS */
  readonly windowedReadDelayMs?: number;
  /** Base delay between retries of a failed batch. @default 250 */
  readonly retryDelayMs?: number;
  /** Where checkpoints survive a restart (`--persist`); in memory only when absent. */
  readonly checkpoints?: CheckpointStore;
  /**
   * Called each time a shard reader found nothing new and has started its idle wait (until
   * `wake()` or `idlePollMs`). A seam for tests, which need to know the reader is idle before
   * they write and wake it, instead of sleeping and hoping it is.
   */
  readonly onIdle?: (shardId: string) => void;
}

/**
 * How long the reader of a mapping with a batching window waits, once a write woke it, before it
 * reads. Such a mapping invokes a window (at least a second) after its first record anyway, so
 * reading 100 ms later changes nothing it shows, as Lambda itself polls a shard about once a
 * second. Meanwhile the readers without a window (the ones a user waits on, such as a read model's
 * projector) read the shard first instead of queueing behind every other mapping's read of the same
 * write, and writes close together are read in one GetRecords.
 */
export const WINDOWED_READ_DELAY_MS = 100;

/** Waits for the promise, but no longer than `ms`; leaves no timer behind. */
export async function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

/** A wake-up signal: `wait()` resolves on the next `notify()` or after the timeout. */
class Signal {
  private waiters: Array<() => void> = [];
  wait(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      // eslint-disable-next-line @typescript-eslint/no-this-alias -- `done` must be a hoisted function (setTimeout takes it first), so it cannot capture `this` as an arrow would
      const self = this;
      function done() {
        clearTimeout(timer);
        self.waiters = self.waiters.filter((w) => w !== done);
        resolve();
      }
      this.waiters.push(done);
    });
  }
  notify(): void {
    this.waiters.splice(0).forEach((wake) => wake());
  }
}

/**
 * Runs one stream event source mapping until `stop()`.
 *
 * Checkpoints live in memory, and in `deps.checkpoints` when given (`--persist`): a shard with a
 * saved checkpoint resumes AFTER_SEQUENCE_NUMBER it; without one (or when the saved position is
 * no longer valid) it starts at the mapping's StartingPosition.
 */
export class StreamMappingConsumer {
  private readonly filters: FilterPattern[];
  private readonly shards = new Map<string, ShardState>();
  private readonly finished = new Set<string>();
  private readonly stopSignal = new Signal();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly startedAt = Date.now();
  private stopped = false;
  /** False while the mapping is disabled ({@link setEnabled}): nothing is read or invoked. */
  private enabled = true;
  private readonly enabledSignal = new Signal();
  private loop: Promise<void> | undefined;

  constructor(
    readonly mapping: LocalStreamMapping,
    private readonly source: StreamSource,
    private readonly deps: ConsumerDeps,
  ) {
    this.filters = parseFilterPatterns(mapping.filterPatterns);
  }

  start(): void {
    this.loop = this.discover();
  }

  /** Key of this mapping in the checkpoint store: function, mapping and the stream it reads. */
  get checkpointKey(): string {
    return `${this.mapping.functionName}|${this.mapping.logicalId}|${this.source.streamArn}`;
  }

  /**
   * Polls idle shards now (those in `shardIds`, every shard when undefined) instead of at the end
   * of their idle wait: the local endpoint calls this when a write reaches the source, so a record is picked up in milliseconds, not up to a poll
   * interval later (AWS's pollers are continuous; an idle timer alone would add its whole period).
   */
  wake(shardIds?: readonly string[]): void {
    for (const state of this.shards.values()) {
      if (shardIds && !shardIds.includes(state.shardId)) continue;
      state.wakeups += 1;
      state.activity.notify();
    }
  }

  /**
   * Wakes the readers a write concerns: none when it names sources and this mapping's is not one
   * of them (a write to another table or stream), else those of the shards it names (see {@link wake}).
   */
  wakeFor(place?: WrittenPlace): void {
    if (place?.sources && !place.sources.includes(this.mapping.sourceName)) return;
    this.wake(place?.shardIds);
  }

  /**
   * Disables or enables the mapping, as `UpdateEventSourceMapping` `Enabled` does on AWS: while
   * disabled no shard is read and no batch is started (one in flight finishes); enabled again, it
   * resumes from its checkpoints, so the records written meanwhile wait on the stream as a backlog
   * (how a consumer's drain rate is measured: the bench's projection throughput).
   */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    if (!enabled) return;
    this.enabledSignal.notify();
    for (const state of this.shards.values()) {
      state.activity.notify();
      state.signal.notify();
    }
  }

  /** Returns once the mapping is enabled again (or stopping). */
  private async whileDisabled(): Promise<void> {
    while (!this.enabled && !this.stopped) await this.enabledSignal.wait(1000);
  }

  /**
   * Where this mapping stands, for `GET /_sluice/settled`: per shard the checkpoint, the records
   * read but not yet checkpointed (in a batch, retried or waiting for a window) and whether the
   * shard is closed and read; `initialPosition` is where a shard without a checkpoint starts.
   */
  status(): StreamMappingStatus {
    return {
      mapping: this.mapping,
      streamArn: this.source.streamArn,
      initialPosition: this.initialPosition(),
      shards: [...this.shards.values()].map((state) => ({
        shardId: state.shardId,
        checkpoint: state.checkpoint,
        unfinished: state.order.length,
        closed: state.closed,
      })),
    };
  }

  /** Last checkpointed sequence number per shard (everything up to it is done). */
  checkpoints(): Record<string, string | undefined> {
    return Object.fromEntries([...this.shards].map(([id, state]) => [id, state.checkpoint]));
  }

  /** Stops reading, lets batches in flight finish (up to `graceMs`), stops retrying. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopped = true;
    this.stopSignal.notify();
    this.enabledSignal.notify();
    for (const state of this.shards.values()) {
      state.activity.notify();
      state.signal.notify();
    }
    await settleWithin(Promise.allSettled([this.loop, ...this.inFlight]), graceMs);
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise)).catch(() => undefined);
    return promise;
  }

  private async discover(): Promise<void> {
    while (!this.stopped) {
      try {
        const shards = await this.source.listShards();
        const known = new Set(shards.map((shard) => shard.shardId));
        for (const shard of shards) {
          if (this.shards.has(shard.shardId)) continue;
          // Parents first: a child starts once every parent still in the stream is fully processed.
          const waiting = shard.parentShardIds.some((parent) => known.has(parent) && !this.finished.has(parent));
          if (waiting) continue;
          // Children of shards this mapping has read start at their beginning, whatever the StartingPosition.
          const isChild = shard.parentShardIds.some((parent) => this.finished.has(parent));
          const initial: IteratorPosition = isChild ? { type: 'TRIM_HORIZON' } : this.initialPosition();
          const saved = this.deps.checkpoints?.get(this.checkpointKey, shard.shardId);
          this.startShard(shard.shardId, saved ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: saved } : initial, saved, initial);
        }
      } catch (error) {
        this.deps.log(`shard discovery failed: ${describe(error)}`);
      }
      await this.stopSignal.wait(this.deps.discoveryIntervalMs ?? 5000);
    }
  }

  private initialPosition(): IteratorPosition {
    const { startingPosition, startingPositionTimestamp } = this.mapping;
    if (startingPosition === 'AT_TIMESTAMP') return { type: 'AT_TIMESTAMP', timestamp: new Date((startingPositionTimestamp ?? this.startedAt / 1000) * 1000) };
    return { type: startingPosition };
  }

  private startShard(shardId: string, position: IteratorPosition, savedCheckpoint?: string, fallback?: IteratorPosition): void {
    const factor = Math.max(1, this.mapping.parallelizationFactor);
    const state: ShardState = {
      shardId,
      checkpoint: savedCheckpoint,
      lastRead: undefined,
      order: [],
      done: new Set(),
      lanes: Array.from({ length: factor }, () => ({ pending: [], firstQueuedAt: 0 })),
      closed: false,
      signal: new Signal(),
      activity: new Signal(),
      wakeups: 0,
    };
    this.shards.set(shardId, state);
    const work = Promise.all([this.read(state, position, fallback), ...state.lanes.map((lane) => this.runLane(state, lane))]).then(() => {
      if (!this.stopped) {
        this.finished.add(shardId);
        this.stopSignal.notify(); // let discovery start the children now
      }
    });
    void this.track(work);
  }

  private async read(state: ShardState, start: IteratorPosition, fallback?: IteratorPosition): Promise<void> {
    const { batchSize, parallelizationFactor } = this.mapping;
    // Read pages larger than a batch and cut batches from them, so a backlog costs one round trip
    // per page, not one per BatchSize; `pageLimit` sizes each page (a small first one, so the lanes
    // start at once, then what the backlog has room for) within the service's own limit.
    const serviceLimit = this.source.kind === 'kinesis' ? 10_000 : 1000;
    const lanes = Math.max(1, parallelizationFactor);
    const backlogLimit = Math.max(2 * batchSize * lanes, 500);
    let position = start;
    let iterator: string | undefined;
    try {
      iterator = await this.iteratorFor(state, position);
    } catch (error) {
      if (position.type !== 'AFTER_SEQUENCE_NUMBER' || !fallback) throw error;
      // A saved checkpoint the stream no longer knows (its data was wiped): start over from the StartingPosition.
      this.deps.log(`saved checkpoint ${position.sequenceNumber} of ${state.shardId} is not valid (${describe(error)}); starting at ${fallback.type}`);
      position = fallback;
      state.checkpoint = undefined;
      iterator = await this.iteratorFor(state, position);
    }
    while (!this.stopped && iterator !== undefined) {
      await this.whileDisabled();
      if (this.stopped) break;
      if (state.order.length >= backlogLimit) {
        await state.signal.wait(250);
        continue;
      }
      let page: { records: SourceRecord[]; nextIterator?: string; atTip?: boolean };
      const wakeupsBefore = state.wakeups;
      const limit = pageLimit({ serviceLimit, backlogLimit, held: state.order.length, firstBatches: batchSize * lanes });
      try {
        page = await this.source.getRecords(iterator, limit, state.shardId);
      } catch (error) {
        if (!this.source.isExpiredIterator(error)) {
          this.deps.log(`GetRecords on ${state.shardId} failed: ${describe(error)}`);
          await this.stopSignal.wait(1000);
        }
        iterator = await this.iteratorFor(state, position).catch(async (iteratorError: unknown) => {
          // No fresh iterator either (the source is failing): wait as after any failed read, not in a tight loop.
          this.deps.log(`GetShardIterator on ${state.shardId} failed: ${describe(iteratorError)}`);
          await this.stopSignal.wait(1000);
          return iterator;
        });
        continue;
      }
      for (const record of page.records) this.accept(state, record);
      iterator = page.nextIterator;
      // Idle when the shard had nothing new, or when this page already reached its tip: the next
      // write wakes the reader (a write during this read already has: `wakeups` moved), so the
      // empty GetRecords that would follow every delivery is not made; each one costs the
      // emulator a call that the other consumers' reads of the shard queue behind. A full page is
      // never the tip: kinesalite answers MillisBehindLatest 0 to every read, so with pages smaller
      // than a backlog (`pageLimit`) the reader would idle between them until the next write.
      const drained = page.records.length === 0 || (page.atTip === true && page.records.length < limit);
      if (drained && iterator !== undefined) {
        if (state.wakeups === wakeupsBefore) {
          const idle = state.activity.wait(this.deps.idlePollMs ?? 200);
          this.deps.onIdle?.(state.shardId);
          await idle;
        }
        // Woken: a mapping with a batching window reads a moment later (see WINDOWED_READ_DELAY_MS).
        const readDelayMs = this.mapping.maxBatchingWindowSeconds > 0 ? (this.deps.windowedReadDelayMs ?? WINDOWED_READ_DELAY_MS) : 0;
        if (readDelayMs > 0 && state.wakeups !== wakeupsBefore && !this.stopped) await this.stopSignal.wait(readDelayMs);
      }
    }
    state.closed = iterator === undefined;
    state.signal.notify();
  }

  private iteratorFor(state: ShardState, position: IteratorPosition): Promise<string | undefined> {
    const resume: IteratorPosition = state.lastRead ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: state.lastRead } : position;
    return this.source.getIterator(state.shardId, resume);
  }

  /** Filters, then queues the record on its partition key's lane. */
  private accept(state: ShardState, record: SourceRecord): void {
    state.lastRead = record.sequenceNumber;
    state.order.push(record.sequenceNumber);
    let matches: boolean;
    try {
      // `filterView` may be built on demand: only read it when there is a filter to match.
      matches = this.filters.length === 0 || passesFilters(this.filters, record.filterView);
    } catch (error) {
      this.deps.log(`filter failed, record ${record.sequenceNumber} skipped: ${describe(error)}`);
      matches = false;
    }
    if (!matches) {
      // Filtered-out records are never delivered; they count as processed for the checkpoint.
      this.markDone(state, [record.sequenceNumber]);
      return;
    }
    const lane = state.lanes[laneOf(record.partitionKey, state.lanes.length)];
    if (lane.pending.length === 0) lane.firstQueuedAt = Date.now();
    lane.pending.push(record);
    state.signal.notify();
  }

  private markDone(state: ShardState, sequenceNumbers: readonly string[]): void {
    for (const sequenceNumber of sequenceNumbers) state.done.add(sequenceNumber);
    let advanced = 0;
    while (advanced < state.order.length && state.done.has(state.order[advanced])) {
      state.done.delete(state.order[advanced]);
      state.checkpoint = state.order[advanced];
      advanced += 1;
    }
    if (advanced > 0) {
      state.order.splice(0, advanced);
      if (state.checkpoint !== undefined) this.deps.checkpoints?.put(this.checkpointKey, state.shardId, state.checkpoint);
    }
  }

  private async runLane(state: ShardState, lane: Lane): Promise<void> {
    const { batchSize, maxBatchingWindowSeconds } = this.mapping;
    const windowMs = maxBatchingWindowSeconds * 1000;
    while (!this.stopped) {
      if (lane.pending.length === 0) {
        if (state.closed) return;
        await state.signal.wait(1000);
        continue;
      }
      const waited = Date.now() - lane.firstQueuedAt;
      if (lane.pending.length < batchSize && waited < windowMs && !state.closed) {
        await state.signal.wait(windowMs - waited);
        continue;
      }
      await this.whileDisabled();
      if (this.stopped) return;
      const batch = lane.pending.slice(0, batchSize);
      await this.track(this.processBatch(state, batch, { retriesUsed: 0, invokeCount: 0, throttles: 0, lastResponse: undefined }));
      if (this.stopped) return; // unfinished batches are not checkpointed
      lane.pending.splice(0, batch.length);
      if (lane.pending.length > 0) lane.firstQueuedAt = Date.now();
      state.signal.notify(); // the reader may be waiting on the backlog
    }
  }

  /**
   * Delivers a batch until every record in it is done, discarded or the consumer stops.
   * Records before a reported failure are checkpointed as they succeed. A throttled invocation is
   * retried with backoff, without using a retry and without counting as an invocation, until the
   * records pass MaximumRecordAgeInSeconds.
   */
  private async processBatch(state: ShardState, batch: SourceRecord[], first: Attempt): Promise<void> {
    let records = batch;
    let attempt = first;
    for (;;) {
      const { fresh, expired } = partitionByAge(records, (record) => record.arrivalMs, this.mapping.maximumRecordAgeSeconds, Date.now());
      if (expired.length > 0) await this.discard(state, expired, 'RecordAgeExceeded', attempt.invokeCount, attempt.lastResponse);
      if (fresh.length === 0 || this.stopped) return;

      const outcome = await this.deps.invoke(
        this.mapping.functionName,
        { Records: fresh.map((record) => record.eventRecord) },
        { affinity: `${this.checkpointKey}/${state.shardId}` },
      );
      const sequenceNumbers = fresh.map((record) => record.sequenceNumber);
      const verdict = interpretStreamOutcome(sequenceNumbers, outcome, this.mapping.reportBatchItemFailures);
      const step = planNextStep(fresh.length, verdict, attempt.retriesUsed, this.mapping);
      if (verdict.kind === 'throttled') {
        // The function never ran: nothing is done, no retry is used, the invocation does not count.
        if (attempt.throttles % 10 === 0)
          this.deps.log(`batch of ${fresh.length} on ${state.shardId} throttled (${describeOutcome(outcome)}); retrying until the records expire`);
        await this.stopSignal.wait(backoffMs(attempt.throttles, this.deps.retryDelayMs ?? 250));
        records = fresh;
        attempt = { ...attempt, throttles: attempt.throttles + 1 };
        continue;
      }
      const invoked: Attempt = {
        retriesUsed: attempt.retriesUsed,
        invokeCount: attempt.invokeCount + 1,
        throttles: 0,
        lastResponse: { statusCode: 200, ...(verdict.kind === 'functionError' ? { functionError: 'Unhandled' as const } : {}) },
      };
      this.markDone(state, sequenceNumbers.slice(0, verdict.failedFrom));
      if (step.kind !== 'done') this.deps.log(`batch of ${fresh.length} on ${state.shardId} failed (${describeFailure(verdict, fresh.length, outcome)})`);
      switch (step.kind) {
        case 'done':
          return;
        case 'bisect':
          await this.processBatch(state, fresh.slice(step.from, step.split), invoked);
          await this.processBatch(state, fresh.slice(step.split), invoked);
          return;
        case 'retry':
          await this.stopSignal.wait(backoffMs(attempt.retriesUsed, this.deps.retryDelayMs ?? 250));
          if (this.stopped) return;
          records = fresh.slice(step.from);
          attempt = { ...invoked, retriesUsed: invoked.retriesUsed + (step.counted ? 1 : 0) };
          continue;
        case 'discard':
          await this.discard(state, fresh.slice(step.from), 'RetryAttemptsExhausted', invoked.invokeCount, invoked.lastResponse);
          return;
      }
    }
  }

  private async discard(
    state: ShardState,
    records: SourceRecord[],
    condition: FailureCondition,
    invokeCount: number,
    lastResponse: LastResponse | undefined,
  ): Promise<void> {
    const sorted = [...records].sort((a, b) => compareSequenceNumbers(a.sequenceNumber, b.sequenceNumber));
    const message = failureDestinationMessage({
      kind: this.source.kind,
      requestId: randomUUID(),
      functionArn: functionArn(this.mapping.functionName),
      condition,
      approximateInvokeCount: invokeCount,
      lastResponse,
      shardId: state.shardId,
      streamArn: this.source.streamArn,
      records: sorted,
      now: new Date(),
    });
    const range = `${sorted[0].sequenceNumber}..${sorted[sorted.length - 1].sequenceNumber}`;
    if (this.mapping.onFailureQueueUrl) {
      try {
        await this.deps.sendToDestination(this.mapping.onFailureQueueUrl, JSON.stringify(message));
        this.deps.log(`${condition}: ${records.length} record(s) ${range} of ${state.shardId} sent to the on-failure destination`);
      } catch (error) {
        this.deps.log(`${condition}: could not send ${range} to the on-failure destination: ${describe(error)}`);
      }
    } else {
      this.deps.log(`${condition}: ${records.length} record(s) ${range} of ${state.shardId} discarded (no on-failure destination)`);
    }
    this.markDone(
      state,
      records.map((record) => record.sequenceNumber),
    );
  }
}

/** One stream mapping's progress (see `StreamMappingConsumer.status`). */
export interface StreamMappingStatus {
  readonly mapping: LocalStreamMapping;
  readonly streamArn: string;
  readonly initialPosition: IteratorPosition;
  readonly shards: ReadonlyArray<{ readonly shardId: string; readonly checkpoint?: string; readonly unfinished: number; readonly closed: boolean }>;
}

interface LastResponse {
  readonly statusCode: number;
  readonly functionError?: 'Unhandled';
}

/** Where a batch stands along its chain of retries and bisections. */
interface Attempt {
  readonly retriesUsed: number;
  /** Invocations that ran the function with these records (throttles excluded): the on-failure record's `approximateInvokeCount`. */
  readonly invokeCount: number;
  /** Throttles in a row, for the backoff. */
  readonly throttles: number;
  /** The last invocation's response, for the on-failure record; undefined before the first. */
  readonly lastResponse: LastResponse | undefined;
}

function describeOutcome(outcome: InvokeOutcome): string {
  return outcome.ok ? 'ok' : `${outcome.error.errorType}: ${outcome.error.errorMessage}`;
}

function describeFailure(verdict: BatchVerdict, batchLength: number, outcome: InvokeOutcome): string {
  if (verdict.kind === 'itemFailures') return `reported failures from record ${verdict.failedFrom + 1} of ${batchLength}`;
  if (verdict.kind === 'invalidResponse') return 'the partial batch response is not valid, so the whole batch failed';
  return describeOutcome(outcome);
}

interface Lane {
  readonly pending: SourceRecord[];
  firstQueuedAt: number;
}

interface ShardState {
  readonly shardId: string;
  checkpoint: string | undefined;
  lastRead: string | undefined;
  /** Sequence numbers read and not yet checkpointed, in read order. */
  readonly order: string[];
  readonly done: Set<string>;
  readonly lanes: Lane[];
  closed: boolean;
  readonly signal: Signal;
  /** Wakes this shard's reader early when something was written to it (see `wake`). */
  readonly activity: Signal;
  /**
   * How many wake-ups reached this shard so far: its reader compares it before and after a
   * GetRecords, so a write that lands while the read is in flight (and so is missing from the
   * answer) is read at once, instead of after a whole idle wait nobody would wake it from.
   */
  wakeups: number;
}

export function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

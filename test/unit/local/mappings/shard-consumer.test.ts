import { EventEmitter } from 'node:events';
import type { LocalStreamMapping } from '../../../../local/model';
import type { InvokeOutcome } from '../../../../local/runtime/lambda-runner';
import { throttledOutcome } from '../../../../local/runtime/invoke-outcome';
import {
  StreamMappingConsumer,
  WINDOWED_READ_DELAY_MS,
  type ConsumerDeps,
  type IteratorPosition,
  type ShardDescriptor,
  type SourceRecord,
  type StreamSource,
} from '../../../../local/mappings/shard-consumer';
import type { FailureDestinationMessage } from '../../../../local/mappings/failure-destination';

/** An in-memory stream: shards of records, iterators are `<shardId>@<index>`. */
class InMemoryStream implements StreamSource {
  readonly kind = 'kinesis' as const;
  readonly streamArn = 'arn:aws:kinesis:us-east-1:000000000000:stream/test';
  private readonly shards = new Map<string, { parents: string[]; records: SourceRecord[]; closed: boolean }>();
  private sequence = 0;

  addShard(shardId: string, parents: string[] = []): void {
    this.shards.set(shardId, { parents, records: [], closed: false });
  }

  close(shardId: string): void {
    this.shards.get(shardId)!.closed = true;
  }

  put(shardId: string, partitionKey: string, data: unknown, arrivalMs = Date.now()): string {
    this.sequence += 1;
    const sequenceNumber = String(1000 + this.sequence);
    const eventRecord = { kinesis: { partitionKey, sequenceNumber, data }, eventID: `${shardId}:${sequenceNumber}` };
    this.shards.get(shardId)!.records.push({ sequenceNumber, arrivalMs, partitionKey, eventRecord, filterView: { partitionKey, data } });
    return sequenceNumber;
  }

  async listShards(): Promise<ShardDescriptor[]> {
    return [...this.shards].map(([shardId, shard]) => ({ shardId, parentShardIds: shard.parents }));
  }

  async getIterator(shardId: string, position: IteratorPosition): Promise<string> {
    const records = this.shards.get(shardId)!.records;
    if (position.type === 'LATEST') return `${shardId}@${records.length}`;
    if (position.type === 'AFTER_SEQUENCE_NUMBER') return `${shardId}@${records.findIndex((r) => r.sequenceNumber === position.sequenceNumber) + 1}`;
    return `${shardId}@0`;
  }

  /** Whether pages say when they reached the shard's newest record (Kinesis MillisBehindLatest 0). */
  tellsTip: boolean | 'always' = false;

  /** GetRecords calls so far. */
  reads = 0;

  async getRecords(iterator: string, limit: number): Promise<{ records: SourceRecord[]; nextIterator?: string; atTip?: boolean }> {
    this.reads += 1;
    const [shardId, at] = iterator.split('@');
    const shard = this.shards.get(shardId)!;
    const start = Number(at);
    const records = shard.records.slice(start, start + limit);
    const end = start + records.length;
    return {
      records,
      nextIterator: shard.closed && end >= shard.records.length ? undefined : `${shardId}@${end}`,
      // 'always': as kinesalite, which answers MillisBehindLatest 0 to every read, behind or not.
      ...(this.tellsTip ? { atTip: this.tellsTip === 'always' || end >= shard.records.length } : {}),
    };
  }

  isExpiredIterator(): boolean {
    return false;
  }
}

const mapping = (overrides: Partial<LocalStreamMapping> = {}): LocalStreamMapping => ({
  kind: 'kinesis',
  logicalId: 'Mapping',
  functionName: 'consumer',
  sourceName: 'test',
  sourceArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/test',
  batchSize: 10,
  maxBatchingWindowSeconds: 0,
  startingPosition: 'TRIM_HORIZON',
  maximumRetryAttempts: 2,
  maximumRecordAgeSeconds: -1,
  bisectBatchOnFunctionError: true,
  parallelizationFactor: 1,
  reportBatchItemFailures: true,
  onFailureQueueUrl: 'http://localhost/000000000000/dlq',
  filterPatterns: [],
  ...overrides,
});

type Handler = (records: Array<{ kinesis: { partitionKey: string; sequenceNumber: string; data: unknown } }>) => InvokeOutcome | Promise<InvokeOutcome>;

function harness(stream: InMemoryStream, handler: Handler, overrides: Partial<LocalStreamMapping> = {}, idlePollMs = 5, deps: Partial<ConsumerDeps> = {}) {
  const batches: string[][] = [];
  const dlq: FailureDestinationMessage[] = [];
  /** Emits `checkpoint` (sequence number), `discarded` (on-failure message) and `idle` (shard id): explicit signals to wait on. */
  const signals = new EventEmitter();
  const consumer = new StreamMappingConsumer(mapping(overrides), stream, {
    invoke: async (_name, event) => {
      const records = (event as { Records: Parameters<Handler>[0] }).Records;
      batches.push(records.map((r) => r.kinesis.sequenceNumber));
      return handler(records);
    },
    sendToDestination: async (_url, body) => {
      const message = JSON.parse(body) as FailureDestinationMessage;
      dlq.push(message);
      signals.emit('discarded', message);
    },
    log: () => undefined,
    idlePollMs,
    discoveryIntervalMs: 20,
    retryDelayMs: 1,
    checkpoints: {
      get: () => undefined,
      put: (_key, _shard, sequenceNumber) => {
        signals.emit('checkpoint', sequenceNumber);
      },
      flush: () => undefined,
    },
    onIdle: (shardId) => {
      signals.emit('idle', shardId);
    },
    ...deps,
  });
  /** Resolves when the shard's checkpoint reaches `sequenceNumber`. */
  const checkpointed = (sequenceNumber: string) =>
    new Promise<void>((resolve) => {
      const listener = (reached: string) => {
        if (reached === sequenceNumber) {
          signals.off('checkpoint', listener);
          resolve();
        }
      };
      signals.on('checkpoint', listener);
    });
  const discarded = () => new Promise<FailureDestinationMessage>((resolve) => signals.once('discarded', resolve));
  /** Resolves when a shard reader next finds nothing new and starts its idle wait. */
  const idle = () => new Promise<void>((resolve) => signals.once('idle', () => resolve()));
  return { consumer, batches, dlq, checkpointed, discarded, idle };
}

// Taken before any test installs fake timers, so a deadline still fires while the clock is frozen.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

/** `promise`, or a failure naming `what` if it has not settled within `timeoutMs` of real time. */
async function within<T>(promise: Promise<T>, what: string, timeoutMs = 3000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = realSetTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    realClearTimeout(timer);
  }
}

const success: InvokeOutcome = { ok: true, result: { batchItemFailures: [] } };
const throttled: InvokeOutcome = throttledOutcome();
const reportFailure = (sequenceNumber: string): InvokeOutcome => ({ ok: true, result: { batchItemFailures: [{ itemIdentifier: sequenceNumber }] } });

describe('StreamMappingConsumer', () => {
  let stream: InMemoryStream;
  let running: StreamMappingConsumer | undefined;

  beforeEach(() => {
    stream = new InMemoryStream();
    stream.addShard('shardId-000000000000');
  });

  afterEach(async () => {
    await running?.stop(1000);
    running = undefined;
    jest.useRealTimers();
  });

  it('delivers records in order in batches of at most BatchSize and checkpoints them', async () => {
    const sequences = Array.from({ length: 25 }, (_, i) => stream.put('shardId-000000000000', 'k', i));
    const { consumer, batches, checkpointed } = harness(stream, () => success);
    running = consumer;
    const done = checkpointed(sequences[24]);
    consumer.start();

    await within(done, 'the checkpoint of the last record');
    expect(consumer.checkpoints()['shardId-000000000000']).toBe(sequences[24]);
    expect(batches.flat()).toEqual(sequences);
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(10);
  });

  it('reads at once a record written while its GetRecords was in flight, without waiting for a wake-up that already came', async () => {
    // The clock is frozen: the one-minute idle timer cannot fire, so only the wake-up counted during the read can make it read again.
    jest.useFakeTimers();
    let releaseRead: (() => void) | undefined;
    let readStarted: (() => void) | undefined;
    const readInFlight = new Promise<void>((resolve) => {
      readStarted = resolve;
    });
    const getRecords = stream.getRecords.bind(stream);
    let reads = 0;
    stream.getRecords = async (iterator, limit) => {
      const page = await getRecords(iterator, limit); // the answer is fixed here, before the write below
      if (++reads === 1) {
        readStarted!();
        await new Promise<void>((resolve) => {
          releaseRead = resolve;
        });
      }
      return page;
    };
    const { consumer, batches, checkpointed } = harness(stream, () => success, {}, 60_000);
    running = consumer;
    consumer.start();
    await within(readInFlight, 'the first GetRecords to start');

    const sequence = stream.put('shardId-000000000000', 'k', 'written mid-read');
    const done = checkpointed(sequence);
    consumer.wake();
    releaseRead!();

    await within(done, 'the reader to read again after its empty page, since a wake-up came during the read');
    expect(batches).toEqual([[sequence]]);
  });

  it('reads and invokes nothing while disabled, then drains the backlog in full batches once enabled again', async () => {
    // The clock is fake: advancing it runs every poll and discovery timer a disabled mapping would use.
    jest.useFakeTimers();
    let reads = 0;
    const getRecords = stream.getRecords.bind(stream);
    stream.getRecords = (iterator, limit) => {
      reads += 1;
      return getRecords(iterator, limit);
    };
    const { consumer, batches, checkpointed } = harness(stream, () => success);
    running = consumer;
    consumer.setEnabled(false);
    consumer.start();
    const sequences = Array.from({ length: 25 }, (_, i) => stream.put('shardId-000000000000', 'k', i));
    consumer.wake();
    await jest.advanceTimersByTimeAsync(5_000);
    expect({ reads, batches }).toEqual({ reads: 0, batches: [] });

    const done = checkpointed(sequences[24]);
    consumer.setEnabled(true);

    await within(done, 'the backlog to be delivered once the mapping is enabled');
    expect(batches).toEqual([sequences.slice(0, 10), sequences.slice(10, 20), sequences.slice(20)]);
  });

  it("reads a backlog's first page no larger than its first batch, then pages no larger than the backlog's room", async () => {
    const limits: number[] = [];
    const getRecords = stream.getRecords.bind(stream);
    stream.getRecords = (iterator, limit) => {
      limits.push(limit);
      return getRecords(iterator, limit);
    };
    const { consumer, batches, checkpointed } = harness(stream, () => success);
    running = consumer;
    const sequences = Array.from({ length: 1000 }, (_, i) => stream.put('shardId-000000000000', `k${i % 7}`, i));
    const done = checkpointed(sequences[999]);
    consumer.start();
    await within(done, 'the backlog to be delivered');
    // BatchSize 10, one lane: the first read asks for 10 records (not the service's 10,000); later
    // ones for what the backlog (500 records) has room for. The batches are the same either way.
    expect(limits[0]).toBe(10);
    expect(Math.max(...limits)).toBeLessThanOrEqual(500);
    expect(batches.flat()).toEqual(sequences);
    expect(batches.every((batch) => batch.length === 10)).toBe(true);
  });

  it('reads on after a full page that a source calls its tip (kinesalite always does), instead of idling until a write', async () => {
    // The clock is frozen: a reader that idled would read again only when woken, and nothing wakes it here.
    jest.useFakeTimers();
    stream.tellsTip = 'always';
    const sequences = Array.from({ length: 100 }, (_, i) => stream.put('shardId-000000000000', `k${i % 3}`, i));
    const { consumer, batches, checkpointed } = harness(stream, () => success, {}, 60_000);
    running = consumer;
    const done = checkpointed(sequences[99]);
    consumer.start();
    await within(done, 'the backlog, read in pages, to be delivered without a wake-up');
    expect(batches.flat()).toEqual(sequences);
  });

  it('lets the batch in flight finish when disabled, and starts none of the records already read until enabled again', async () => {
    jest.useFakeTimers();
    const sequences = Array.from({ length: 3 }, (_, i) => stream.put('shardId-000000000000', 'k', i));
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started!: () => void;
    const firstStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const { consumer, batches, checkpointed } = harness(
      stream,
      async () => {
        started();
        await held;
        return success;
      },
      { batchSize: 1 },
    );
    running = consumer;
    const firstDone = checkpointed(sequences[0]);
    consumer.start();
    await within(firstStarted, 'the first batch to be invoked');
    consumer.setEnabled(false);
    release();
    await within(firstDone, 'the batch in flight to finish and be checkpointed');
    await jest.advanceTimersByTimeAsync(5_000);
    expect(batches).toEqual([[sequences[0]]]);

    const done = checkpointed(sequences[2]);
    consumer.setEnabled(true);

    await within(done, 'the records read before the mapping was disabled');
    expect(batches).toEqual(sequences.map((sequence) => [sequence]));
  });

  it('reads a new record as soon as it is woken, not at the end of its idle wait', async () => {
    // The clock is frozen: the reader's one-minute idle timer cannot fire, so only wake() can make it read.
    jest.useFakeTimers();
    const { consumer, batches, checkpointed, idle } = harness(stream, () => success, {}, 60_000);
    running = consumer;
    const readerIdle = idle();
    consumer.start();
    await within(readerIdle, 'the shard reader to find the shard empty and go idle');
    expect(batches).toEqual([]);

    const sequence = stream.put('shardId-000000000000', 'k', 'new');
    const done = checkpointed(sequence);
    consumer.wake();

    await within(done, 'the woken reader to deliver the record');
    expect(batches).toEqual([[sequence]]);
  });

  it('goes idle after a page that reached the tip, instead of asking for the empty page after it', async () => {
    // The clock is frozen: an idle reader reads again only when woken.
    jest.useFakeTimers();
    stream.tellsTip = true;
    const first = stream.put('shardId-000000000000', 'k', 'first');
    const { consumer, batches, checkpointed, idle } = harness(stream, () => success, {}, 60_000);
    running = consumer;
    const readerIdle = idle();
    const delivered = checkpointed(first);
    consumer.start();
    await within(Promise.all([readerIdle, delivered]), 'the reader to deliver the record and go idle');
    expect(stream.reads).toBe(1);

    const second = stream.put('shardId-000000000000', 'k', 'second');
    const done = checkpointed(second);
    consumer.wake();

    await within(done, 'the woken reader to deliver the next record');
    expect(batches).toEqual([[first], [second]]);
  });

  it('wakes only the readers of the shards a write names', async () => {
    // The clock is frozen: idle readers read again only when woken.
    jest.useFakeTimers();
    stream.addShard('shardId-000000000001');
    const reads = new Map<string, number>();
    const getRecords = stream.getRecords.bind(stream);
    stream.getRecords = async (iterator, limit) => {
      const shardId = iterator.split('@')[0];
      reads.set(shardId, (reads.get(shardId) ?? 0) + 1);
      return getRecords(iterator, limit);
    };
    const { consumer, batches, checkpointed, idle } = harness(stream, () => success, {}, 60_000);
    running = consumer;
    const bothIdle = Promise.all([idle(), idle()]);
    consumer.start();
    await within(bothIdle, 'both shard readers to go idle');
    const readsOfShard0 = reads.get('shardId-000000000000');

    const sequence = stream.put('shardId-000000000001', 'k', 'new');
    const done = checkpointed(sequence);
    consumer.wake(['shardId-000000000001']);

    await within(done, 'the woken reader of shard 1 to deliver the record');
    expect(batches).toEqual([[sequence]]);
    expect(reads.get('shardId-000000000000')).toBe(readsOfShard0);
  });

  it('is not woken by a write to another stream, and is by one to its own', async () => {
    // The clock is frozen: an idle reader reads again only when woken.
    jest.useFakeTimers();
    const { consumer, batches, checkpointed, idle } = harness(stream, () => success, {}, 60_000);
    running = consumer;
    const readerIdle = idle();
    consumer.start();
    await within(readerIdle, 'the shard reader to go idle');
    const readsBefore = stream.reads;

    consumer.wakeFor({ sources: ['another-stream'], shardIds: ['shardId-000000000000'] });
    await jest.advanceTimersByTimeAsync(0);
    expect(stream.reads).toBe(readsBefore);

    const sequence = stream.put('shardId-000000000000', 'k', 'new');
    const done = checkpointed(sequence);
    consumer.wakeFor({ sources: ['another-stream', 'test'], shardIds: ['shardId-000000000000'] });
    await within(done, 'the reader woken by a write to its own stream to deliver the record');
    expect(batches).toEqual([[sequence]]);
  });

  it('with a batching window, reads a woken shard WINDOWED_READ_DELAY_MS later, in one read for the writes of that moment', async () => {
    // The clock is fake: only advancing it lets the woken reader read.
    jest.useFakeTimers();
    const reads: number[] = [];
    const getRecords = stream.getRecords.bind(stream);
    stream.getRecords = async (iterator, limit) => {
      const page = await getRecords(iterator, limit);
      reads.push(page.records.length);
      return page;
    };
    stream.tellsTip = true;
    const { consumer, batches, checkpointed, idle } = harness(stream, () => success, { maxBatchingWindowSeconds: 1 }, 60_000);
    running = consumer;
    const readerIdle = idle();
    consumer.start();
    await within(readerIdle, 'the shard reader to go idle');
    reads.length = 0;

    const first = stream.put('shardId-000000000000', 'k', 'first');
    consumer.wake();
    await jest.advanceTimersByTimeAsync(WINDOWED_READ_DELAY_MS / 2);
    expect(reads).toEqual([]);
    const second = stream.put('shardId-000000000000', 'k', 'second');
    consumer.wake();
    const done = checkpointed(second);
    await jest.advanceTimersByTimeAsync(WINDOWED_READ_DELAY_MS / 2);
    expect(reads).toEqual([2]);

    await jest.advanceTimersByTimeAsync(1000);
    await within(done, 'the window to close and the batch to be delivered');
    expect(batches).toEqual([[first, second]]);
  });

  it('isolates a poison record by bisecting, sends only it to the on-failure destination and goes on', async () => {
    const sequences = Array.from({ length: 8 }, (_, i) => stream.put('shardId-000000000000', `k${i}`, i === 5 ? 'poison' : i));
    const poison = sequences[5];
    const { consumer, dlq, checkpointed } = harness(stream, (records) =>
      records.some((r) => r.kinesis.data === 'poison') ? { ok: false, error: { errorType: 'Error', errorMessage: 'poison' } } : success,
    );
    running = consumer;
    const done = checkpointed(sequences[7]);
    consumer.start();

    await within(done, 'the checkpoint past the poison record');
    expect(dlq).toHaveLength(1);
    expect(dlq[0].requestContext.condition).toBe('RetryAttemptsExhausted');
    expect(dlq[0].requestContext.approximateInvokeCount).toBeGreaterThanOrEqual(3);
    expect(dlq[0].responseContext.functionError).toBe('Unhandled');
    expect(dlq[0].KinesisBatchInfo).toMatchObject({ startSequenceNumber: poison, endSequenceNumber: poison, batchSize: 1, shardId: 'shardId-000000000000' });
  });

  it('retries from the lowest reported item failure and keeps the records before it', async () => {
    const sequences = Array.from({ length: 4 }, (_, i) => stream.put('shardId-000000000000', 'k', i));
    let calls = 0;
    const { consumer, batches, dlq, checkpointed } = harness(
      stream,
      () => {
        calls += 1;
        return calls === 1 ? { ok: true, result: { batchItemFailures: [{ itemIdentifier: sequences[2] }] } } : success;
      },
      { bisectBatchOnFunctionError: false },
    );
    running = consumer;
    const done = checkpointed(sequences[3]);
    consumer.start();

    await within(done, 'the checkpoint of the last record');
    expect(batches).toEqual([sequences, sequences.slice(2)]);
    expect(dlq).toEqual([]);
  });

  it('sends records older than MaximumRecordAgeInSeconds to the destination without invoking', async () => {
    const old = stream.put('shardId-000000000000', 'k', 'old', Date.now() - 120_000);
    const fresh = stream.put('shardId-000000000000', 'k', 'fresh');
    const { consumer, batches, dlq, checkpointed } = harness(stream, () => success, { maximumRecordAgeSeconds: 60 });
    running = consumer;
    const done = checkpointed(fresh);
    consumer.start();

    await within(done, 'the checkpoint of the fresh record');
    expect(batches).toEqual([[fresh]]);
    expect(dlq[0].requestContext).toMatchObject({ condition: 'RecordAgeExceeded', approximateInvokeCount: 0 });
    expect(dlq[0].KinesisBatchInfo?.startSequenceNumber).toBe(old);
  });

  it('skips and checkpoints records that match no filter', async () => {
    const skipped = stream.put('shardId-000000000000', 'k', { type: 'ignored' });
    const kept = stream.put('shardId-000000000000', 'k', { type: 'wanted' });
    const last = stream.put('shardId-000000000000', 'k', { type: 'ignored' });
    const { consumer, batches, checkpointed } = harness(stream, () => success, { filterPatterns: ['{"data":{"type":["wanted"]}}'] });
    running = consumer;
    const done = checkpointed(last);
    consumer.start();

    await within(done, 'the checkpoint past the filtered records');
    expect(batches).toEqual([[kept]]);
    expect(batches.flat()).not.toContain(skipped);
  });

  it('keeps each partition key in order across parallel lanes', async () => {
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    const expected: Record<string, number[]> = {};
    let last = '';
    for (let i = 0; i < 60; i += 1) {
      const key = keys[i % keys.length];
      last = stream.put('shardId-000000000000', key, i);
      (expected[key] ??= []).push(i);
    }
    const seen: Record<string, number[]> = {};
    let inFlight = 0;
    // Every invocation holds until two run at once: lanes that took turns would never get past the first.
    let overlapped!: () => void;
    const overlap = new Promise<void>((resolve) => {
      overlapped = resolve;
    });
    const { consumer, checkpointed } = harness(
      stream,
      async (records) => {
        inFlight += 1;
        if (inFlight > 1) overlapped();
        await overlap;
        for (const r of records) (seen[r.kinesis.partitionKey] ??= []).push(r.kinesis.data as number);
        inFlight -= 1;
        return success;
      },
      { parallelizationFactor: 3, batchSize: 4 },
    );
    running = consumer;
    const done = checkpointed(last);
    consumer.start();

    await within(done, 'all records, with two lanes invoking at once');
    expect(seen).toEqual(expected);
  });

  it('reads a child shard only after its parent is done, from the child start', async () => {
    const parentRecord = stream.put('shardId-000000000000', 'k', 'parent');
    stream.close('shardId-000000000000');
    stream.addShard('shardId-000000000001', ['shardId-000000000000']);
    const childRecord = stream.put('shardId-000000000001', 'k', 'child');
    const { consumer, batches, checkpointed } = harness(stream, () => success, { startingPosition: 'TRIM_HORIZON' });
    running = consumer;
    const done = checkpointed(childRecord);
    consumer.start();

    await within(done, 'the child shard checkpoint');
    expect(consumer.checkpoints()).toEqual({ 'shardId-000000000000': parentRecord, 'shardId-000000000001': childRecord });
    expect(batches.flat()).toEqual([parentRecord, childRecord]);
  });

  it('starts at the end of the shard with LATEST', async () => {
    stream.put('shardId-000000000000', 'k', 'before');
    const { consumer, batches, checkpointed, idle } = harness(stream, () => success, { startingPosition: 'LATEST' }, 60_000);
    running = consumer;
    const readerIdle = idle();
    consumer.start();
    // Idle means the reader took its LATEST iterator and read past it: a later write is after it.
    await within(readerIdle, 'the shard reader to go idle at the end of the shard');
    expect(batches).toEqual([]);
    const after = stream.put('shardId-000000000000', 'k', 'after');
    const done = checkpointed(after);
    consumer.wake();

    await within(done, 'the checkpoint of the record written after the start');
    expect(batches).toEqual([[after]]);
  });

  it('waits for the batching window to fill a batch, and invokes when it ends', async () => {
    // Fake clock: the window is measured from the first record, and the test moves time by hand.
    jest.useFakeTimers();
    // Read at once when woken (no read delay), so the window alone decides when the batch goes.
    const { consumer, batches, checkpointed, idle } = harness(stream, () => success, { maxBatchingWindowSeconds: 0.3, batchSize: 100 }, 60_000, {
      windowedReadDelayMs: 0,
    });
    running = consumer;
    let readerIdle = idle();
    consumer.start();
    await within(readerIdle, 'the shard reader to go idle');

    /** Writes a record and returns once the woken reader has queued it and is idle again. */
    const write = async (data: number) => {
      const sequence = stream.put('shardId-000000000000', 'k', data);
      readerIdle = idle();
      consumer.wake();
      await within(readerIdle, `the reader to queue record ${data}`);
      return sequence;
    };
    const first = await write(1);
    await jest.advanceTimersByTimeAsync(100);
    const second = await write(2);
    await jest.advanceTimersByTimeAsync(199);
    expect(batches).toEqual([]); // 299 ms into the 300 ms window

    const done = checkpointed(second);
    await jest.advanceTimersByTimeAsync(1);
    await within(done, 'the batch at the end of the window');
    expect(batches).toEqual([[first, second]]);
  });
  // "When a partial batch success response is received and both BisectBatchOnFunctionError and
  // ReportBatchItemFailures are turned on, the batch is bisected at the returned sequence number and
  // Lambda retries only the remaining records." (Configuring partial batch response with Kinesis)
  it('with both flags on, retries everything from the reported record, never halving the rest', async () => {
    const sequences = Array.from({ length: 8 }, (_, i) => stream.put('shardId-000000000000', `k${i}`, i));
    let calls = 0;
    const { consumer, batches, dlq, checkpointed } = harness(stream, () => (++calls === 1 ? reportFailure(sequences[2]) : success));
    running = consumer;
    const done = checkpointed(sequences[7]);
    consumer.start();

    await done;
    expect(batches).toEqual([sequences, sequences.slice(2)]);
    expect(dlq).toEqual([]);
  });

  // "Lambda retries failures based on your retry strategy." — each retry of the reported tail uses one.
  it('sends a tail that keeps being reported to the destination whole after MaximumRetryAttempts retries', async () => {
    const sequences = Array.from({ length: 8 }, (_, i) => stream.put('shardId-000000000000', `k${i}`, i));
    const { consumer, batches, checkpointed, discarded } = harness(stream, () => reportFailure(sequences[2]), { maximumRetryAttempts: 2 });
    running = consumer;
    const done = checkpointed(sequences[7]);
    const message = discarded();
    consumer.start();

    await done;
    expect(batches).toEqual([sequences, sequences.slice(2), sequences.slice(2)]);
    expect(await message).toMatchObject({
      requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
      KinesisBatchInfo: { startSequenceNumber: sequences[2], endSequenceNumber: sequences[7], batchSize: 6 },
    });
    expect((await message).responseContext).not.toHaveProperty('functionError');
  });

  // "Retry attempts – [...] This doesn't apply to service errors or throttles where the batch didn't
  // reach the function." (Using Lambda with Kinesis)
  it('retries a throttled batch without using up MaximumRetryAttempts or discarding it', async () => {
    const sequences = Array.from({ length: 3 }, (_, i) => stream.put('shardId-000000000000', 'k', i));
    let calls = 0;
    const { consumer, batches, dlq, checkpointed } = harness(stream, () => (++calls <= 5 ? throttled : success), { maximumRetryAttempts: 0 });
    running = consumer;
    const done = checkpointed(sequences[2]);
    consumer.start();

    await done;
    expect(batches).toEqual(Array.from({ length: 6 }, () => sequences));
    expect(dlq).toEqual([]);
  });

  // "If Lambda throttles the function or returns an error without invoking the function, Lambda
  // retries until the records expire or exceed the maximum age that you configure on the event
  // source mapping." (Using Lambda with Kinesis)
  it('ends the retries of a throttled batch only when its records pass MaximumRecordAgeInSeconds', async () => {
    const sequence = stream.put('shardId-000000000000', 'k', 'paused');
    const [record] = await stream.getRecords('shardId-000000000000@0', 1).then((page) => page.records);
    let calls = 0;
    const { consumer, batches, checkpointed, discarded } = harness(
      stream,
      () => {
        calls += 1;
        // Time passes while the function stays throttled: on the third throttle the record is 61 s old.
        if (calls === 3) (record as { arrivalMs: number }).arrivalMs = Date.now() - 61_000;
        return throttled;
      },
      { maximumRecordAgeSeconds: 60, maximumRetryAttempts: 0 },
    );
    running = consumer;
    const done = checkpointed(sequence);
    const message = discarded();
    consumer.start();

    await done;
    expect(batches).toHaveLength(3);
    // No invocation reached the function, so none is counted.
    expect(await message).toMatchObject({
      requestContext: { condition: 'RecordAgeExceeded', approximateInvokeCount: 0 },
      KinesisBatchInfo: { startSequenceNumber: sequence, batchSize: 1 },
    });
  });

  it('bisects a batch whose invocation fails and counts only the invocations that ran', async () => {
    const sequences = Array.from({ length: 4 }, (_, i) => stream.put('shardId-000000000000', `k${i}`, i === 3 ? 'poison' : i));
    const { consumer, batches, checkpointed, discarded } = harness(
      stream,
      (records) => (records.some((r) => r.kinesis.data === 'poison') ? { ok: false, error: { errorType: 'Error', errorMessage: 'poison' } } : success),
      { maximumRetryAttempts: 1 },
    );
    running = consumer;
    const done = checkpointed(sequences[3]);
    const message = discarded();
    consumer.start();

    await done;
    // [0..3] fails → halves [0,1] ok and [2,3] fails → halves [2] ok and [3] fails → one retry of [3] → discarded.
    expect(batches).toEqual([sequences, sequences.slice(0, 2), sequences.slice(2), [sequences[2]], [sequences[3]], [sequences[3]]]);
    expect(await message).toMatchObject({
      requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 4 },
      responseContext: { functionError: 'Unhandled' },
    });
  });
});

describe('StreamMappingConsumer on a failing source', () => {
  /** A stream whose iterators have all expired and that hands out no new one (DynamoDB Streams under a `TrimmedDataAccessException` fault). */
  class FailingStream extends InMemoryStream {
    iteratorCalls = 0;
    override async getIterator(shardId: string, position: IteratorPosition): Promise<string> {
      this.iteratorCalls += 1;
      if (this.iteratorCalls > 1) throw Object.assign(new Error('trimmed'), { name: 'TrimmedDataAccessException' });
      return super.getIterator(shardId, position);
    }
    override async getRecords(): Promise<{ records: SourceRecord[] }> {
      this.reads += 1;
      // Answered a turn of the event loop later, as a round trip is.
      await new Promise<void>((resolve) => setImmediate(resolve));
      throw Object.assign(new Error('trimmed'), { name: 'TrimmedDataAccessException' });
    }
    override isExpiredIterator(): boolean {
      return true;
    }
  }

  it('waits before reading again when it can get no fresh iterator, instead of spinning', async () => {
    const stream = new FailingStream();
    stream.addShard('shard-0');
    const lines: string[] = [];
    const failed = new EventEmitter();
    const consumer = new StreamMappingConsumer(mapping(), stream, {
      invoke: async () => ({ ok: true, result: null }),
      sendToDestination: async () => undefined,
      log: (line) => {
        lines.push(line);
        failed.emit('line', line);
      },
      discoveryIntervalMs: 20,
    });
    const firstFailure = new Promise<void>((resolve) => failed.once('line', () => resolve()));
    consumer.start();
    await firstFailure;
    const readsAtFailure = stream.reads;
    for (let turn = 0; turn < 50; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
    await consumer.stop(1000);
    expect(lines[0]).toBe('GetShardIterator on shard-0 failed: TrimmedDataAccessException: trimmed');
    expect(stream.reads).toBe(readsAtFailure);
  });
});

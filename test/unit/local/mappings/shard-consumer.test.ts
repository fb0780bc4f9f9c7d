import type { LocalStreamMapping } from '../../../../local/model';
import type { InvokeOutcome } from '../../../../local/runtime/lambda-runner';
import { StreamMappingConsumer, type IteratorPosition, type ShardDescriptor, type SourceRecord, type StreamSource } from '../../../../local/mappings/shard-consumer';
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

  async getRecords(iterator: string, limit: number): Promise<{ records: SourceRecord[]; nextIterator?: string }> {
    const [shardId, at] = iterator.split('@');
    const shard = this.shards.get(shardId)!;
    const start = Number(at);
    const records = shard.records.slice(start, start + limit);
    const end = start + records.length;
    return { records, nextIterator: shard.closed && end >= shard.records.length ? undefined : `${shardId}@${end}` };
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

function harness(stream: InMemoryStream, handler: Handler, overrides: Partial<LocalStreamMapping> = {}, idlePollMs = 5) {
  const batches: string[][] = [];
  const dlq: FailureDestinationMessage[] = [];
  const consumer = new StreamMappingConsumer(mapping(overrides), stream, {
    invoke: async (_name, event) => {
      const records = (event as { Records: Parameters<Handler>[0] }).Records;
      batches.push(records.map((r) => r.kinesis.sequenceNumber));
      return handler(records);
    },
    sendToDestination: async (_url, body) => { dlq.push(JSON.parse(body) as FailureDestinationMessage); },
    log: () => undefined,
    idlePollMs,
    discoveryIntervalMs: 20,
    retryDelayMs: 1,
  });
  return { consumer, batches, dlq };
}

async function until(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const success: InvokeOutcome = { ok: true, result: { batchItemFailures: [] } };

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
  });

  it('delivers records in order in batches of at most BatchSize and checkpoints them', async () => {
    const sequences = Array.from({ length: 25 }, (_, i) => stream.put('shardId-000000000000', 'k', i));
    const { consumer, batches } = harness(stream, () => success);
    running = consumer;
    consumer.start();

    await until(() => consumer.checkpoints()['shardId-000000000000'] === sequences[24], 'checkpoint');
    expect(batches.flat()).toEqual(sequences);
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(10);
  });

  it('reads a new record as soon as it is woken, not at the end of its idle wait', async () => {
    const { consumer, batches } = harness(stream, () => success, {}, 60_000);
    running = consumer;
    consumer.start();
    await new Promise((resolve) => setTimeout(resolve, 50)); // the shard reader is now idle for a minute
    const sequence = stream.put('shardId-000000000000', 'k', 'new');
    consumer.wake();

    await until(() => batches.flat().includes(sequence), 'the woken reader to deliver the record');
  });

  it('isolates a poison record by bisecting, sends only it to the on-failure destination and goes on', async () => {
    const sequences = Array.from({ length: 8 }, (_, i) => stream.put('shardId-000000000000', `k${i}`, i === 5 ? 'poison' : i));
    const poison = sequences[5];
    const { consumer, dlq } = harness(stream, (records) => (records.some((r) => r.kinesis.data === 'poison')
      ? { ok: false, error: { errorType: 'Error', errorMessage: 'poison' } }
      : success));
    running = consumer;
    consumer.start();

    await until(() => consumer.checkpoints()['shardId-000000000000'] === sequences[7], 'checkpoint past the poison record');
    expect(dlq).toHaveLength(1);
    expect(dlq[0].requestContext.condition).toBe('RetryAttemptsExhausted');
    expect(dlq[0].requestContext.approximateInvokeCount).toBeGreaterThanOrEqual(3);
    expect(dlq[0].responseContext.functionError).toBe('Unhandled');
    expect(dlq[0].KinesisBatchInfo).toMatchObject({ startSequenceNumber: poison, endSequenceNumber: poison, batchSize: 1, shardId: 'shardId-000000000000' });
  });

  it('retries from the lowest reported item failure and keeps the records before it', async () => {
    const sequences = Array.from({ length: 4 }, (_, i) => stream.put('shardId-000000000000', 'k', i));
    let calls = 0;
    const { consumer, batches, dlq } = harness(stream, () => {
      calls += 1;
      return calls === 1 ? { ok: true, result: { batchItemFailures: [{ itemIdentifier: sequences[2] }] } } : success;
    }, { bisectBatchOnFunctionError: false });
    running = consumer;
    consumer.start();

    await until(() => consumer.checkpoints()['shardId-000000000000'] === sequences[3], 'checkpoint');
    expect(batches).toEqual([sequences, sequences.slice(2)]);
    expect(dlq).toEqual([]);
  });

  it('sends records older than MaximumRecordAgeInSeconds to the destination without invoking', async () => {
    const old = stream.put('shardId-000000000000', 'k', 'old', Date.now() - 120_000);
    const fresh = stream.put('shardId-000000000000', 'k', 'fresh');
    const { consumer, batches, dlq } = harness(stream, () => success, { maximumRecordAgeSeconds: 60 });
    running = consumer;
    consumer.start();

    await until(() => consumer.checkpoints()['shardId-000000000000'] === fresh, 'checkpoint');
    expect(batches).toEqual([[fresh]]);
    expect(dlq[0].requestContext).toMatchObject({ condition: 'RecordAgeExceeded', approximateInvokeCount: 0 });
    expect(dlq[0].KinesisBatchInfo?.startSequenceNumber).toBe(old);
  });

  it('skips and checkpoints records that match no filter', async () => {
    const skipped = stream.put('shardId-000000000000', 'k', { type: 'ignored' });
    const kept = stream.put('shardId-000000000000', 'k', { type: 'wanted' });
    const last = stream.put('shardId-000000000000', 'k', { type: 'ignored' });
    const { consumer, batches } = harness(stream, () => success, { filterPatterns: ['{"data":{"type":["wanted"]}}'] });
    running = consumer;
    consumer.start();

    await until(() => consumer.checkpoints()['shardId-000000000000'] === last, 'checkpoint past filtered records');
    expect(batches).toEqual([[kept]]);
    expect(batches.flat()).not.toContain(skipped);
  });

  it('keeps each partition key in order across parallel lanes', async () => {
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    const expected: Record<string, number[]> = {};
    for (let i = 0; i < 60; i += 1) {
      const key = keys[i % keys.length];
      stream.put('shardId-000000000000', key, i);
      (expected[key] ??= []).push(i);
    }
    const seen: Record<string, number[]> = {};
    let inFlight = 0;
    let maxInFlight = 0;
    const { consumer } = harness(stream, async (records) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 10));
      for (const r of records) (seen[r.kinesis.partitionKey] ??= []).push(r.kinesis.data as number);
      inFlight -= 1;
      return success;
    }, { parallelizationFactor: 3, batchSize: 4 });
    running = consumer;
    consumer.start();

    await until(() => Object.values(seen).flat().length === 60, 'all records');
    expect(seen).toEqual(expected);
    expect(maxInFlight).toBeGreaterThan(1);
  });

  it('reads a child shard only after its parent is done, from the child start', async () => {
    const parentRecord = stream.put('shardId-000000000000', 'k', 'parent');
    stream.close('shardId-000000000000');
    stream.addShard('shardId-000000000001', ['shardId-000000000000']);
    const childRecord = stream.put('shardId-000000000001', 'k', 'child');
    const { consumer, batches } = harness(stream, () => success, { startingPosition: 'TRIM_HORIZON' });
    running = consumer;
    consumer.start();

    await until(() => consumer.checkpoints()['shardId-000000000001'] === childRecord, 'child checkpoint');
    expect(batches.flat()).toEqual([parentRecord, childRecord]);
  });

  it('starts at the end of the shard with LATEST', async () => {
    stream.put('shardId-000000000000', 'k', 'before');
    const { consumer, batches } = harness(stream, () => success, { startingPosition: 'LATEST' });
    running = consumer;
    consumer.start();
    await until(() => consumer.checkpoints()['shardId-000000000000'] === undefined && batches.length === 0, 'start');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = stream.put('shardId-000000000000', 'k', 'after');

    await until(() => consumer.checkpoints()['shardId-000000000000'] === after, 'checkpoint');
    expect(batches).toEqual([[after]]);
  });

  it('waits for the batching window to fill a batch', async () => {
    const { consumer, batches } = harness(stream, () => success, { maxBatchingWindowSeconds: 0.3, batchSize: 100 });
    running = consumer;
    consumer.start();
    const first = stream.put('shardId-000000000000', 'k', 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = stream.put('shardId-000000000000', 'k', 2);

    await until(() => batches.length > 0, 'a batch');
    expect(batches[0]).toEqual([first, second]);
  });
});

/**
 * Ingest throughput: events/s through `POST /events` (API emulator → ingest λ → PutRecords) vs
 * raw PutRecords from one SDK client to the same endpoint.
 */
import { ListShardsCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { api, type BenchClients, type BenchTarget, createBenchStream, deleteBenchStream, output } from '../lib/aws';
import { ratePerSecond } from '../lib/stats';
import { now, pool } from '../lib/util';

const BASE_TIME_MS = Date.parse('2025-01-01T00:00:00.000Z');
const CARDS = 500;

/**
 * The i-th card swipe of the load: 500 cards in turn; a card's swipes are 400 s apart in event
 * time, so the fraud detector's 5-per-300 s rule never fires and it only keeps windows.
 */
export function benchSwipe(i: number, runId: string) {
  const card = i % CARDS;
  const cardId = `bench-${runId}-card-${card}`;
  return {
    type: 'sluice.card.swiped.v1',
    source: 'bench/terminal',
    subject: cardId,
    data: {
      cardId,
      accountId: `bench-${runId}-acc-${card % 100}`,
      amount: 100 + (i % 900),
      merchant: 'Bench Mart',
      country: 'DE',
      at: new Date(BASE_TIME_MS + Math.floor(i / CARDS) * 400_000).toISOString(),
    },
  };
}

/** The record the ingest function would write for a swipe: its CloudEvents envelope. */
export function benchEnvelope(i: number, runId: string): { data: Uint8Array; partitionKey: string } {
  const swipe = benchSwipe(i, runId);
  const envelope = {
    specversion: '1.0',
    id: `01JBENCH${runId.toUpperCase().replace(/[^0-9A-Z]/g, '').slice(0, 6)}${String(i).padStart(12, '0')}`,
    source: swipe.source,
    type: swipe.type,
    time: new Date().toISOString(),
    subject: swipe.subject,
    datacontenttype: 'application/json',
    partitionkey: swipe.data.cardId,
    data: swipe.data,
  };
  return { data: Buffer.from(JSON.stringify(envelope)), partitionKey: swipe.data.cardId };
}

export interface IngestResult {
  readonly apiEventsPerSecond: number;
  readonly rawEventsPerSecond: number;
  readonly apiFailed: number;
  readonly events: number;
}

/**
 * Raw PutRecords from one client, 500 records per call, sequential, into a bench-owned stream with
 * the events stream's shard count (so no consumer of the pipeline sees these records).
 */
export async function measureRawPutRecords(clients: BenchClients, runId: string, events: number, shardCount: number): Promise<number> {
  const stream = `sluice-bench-${runId}-raw`;
  await createBenchStream(clients.kinesis, stream, shardCount);
  try {
    const put = async (from: number, count: number) => {
      const records = Array.from({ length: count }, (_, k) => benchEnvelope(from + k, runId)).map((r) => ({ Data: r.data, PartitionKey: r.partitionKey }));
      let pending = records;
      for (let attempt = 0; pending.length > 0 && attempt < 5; attempt++) {
        const result = await clients.kinesis.send(new PutRecordsCommand({ StreamName: stream, Records: pending }));
        pending = pending.filter((_, k) => result.Records?.[k]?.ErrorCode);
      }
      if (pending.length > 0) throw new Error(`${pending.length} raw records failed after 5 attempts`);
    };
    await put(10_000_000, 500); // warm up the HTTP/2 session
    const t0 = now();
    for (let from = 0; from < events; from += 500) await put(from, Math.min(500, events - from));
    return ratePerSecond(events, now() - t0);
  } finally {
    await deleteBenchStream(clients.kinesis, stream);
  }
}

/** `POST /events` with batches of `batchSize` swipes from `concurrency` clients; events/s accepted. */
export async function measureApiIngest(target: BenchTarget, runId: string, events: number, batchSize = 500, concurrency = 4): Promise<{ eventsPerSecond: number; failed: number }> {
  const post = async (from: number, count: number) => {
    const { status, body } = await api<{ accepted: unknown[]; failed: unknown[] }>(target, 'POST', '/events', {
      events: Array.from({ length: count }, (_, k) => benchSwipe(from + k, runId)),
    });
    if (status !== 202) throw new Error(`POST /events answered ${status}: ${JSON.stringify(body).slice(0, 300)}`);
    return { accepted: body.accepted.length, failed: body.failed.length };
  };
  await pool(concurrency, concurrency, (c) => post(20_000_000 + c * batchSize, batchSize).then(() => undefined)); // warm the ingest λ
  let accepted = 0;
  let failed = 0;
  const batches = Math.ceil(events / batchSize);
  const t0 = now();
  await pool(batches, concurrency, async (b) => {
    const result = await post(b * batchSize, Math.min(batchSize, events - b * batchSize));
    accepted += result.accepted;
    failed += result.failed;
  });
  return { eventsPerSecond: ratePerSecond(accepted, now() - t0), failed };
}

/** Both halves, baseline first (on a quiet stream), then the API. */
export async function measureIngest(target: BenchTarget, clients: BenchClients, runId: string, events: number): Promise<IngestResult> {
  const eventsStream = output(target, 'EventsStreamName');
  const { Shards = [] } = await clients.kinesis.send(new ListShardsCommand({ StreamName: eventsStream }));
  const rawEventsPerSecond = await measureRawPutRecords(clients, runId, events, Math.max(1, Shards.length));
  const { eventsPerSecond, failed } = await measureApiIngest(target, runId, events);
  return { apiEventsPerSecond: eventsPerSecond, rawEventsPerSecond, apiFailed: failed, events };
}

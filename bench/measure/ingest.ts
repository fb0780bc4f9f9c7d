/**
 * Ingest throughput: events/s through `POST /events` (API emulator → ingest λ → PutRecords) vs
 * raw PutRecords from one SDK client to the same endpoint.
 */
import { ListShardsCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { api, type BenchClients, type BenchTarget, createBenchStream, deleteBenchStream, output } from '../lib/aws';
import { ratePerSecond } from '../lib/stats';
import { interleave, type TrialSummary } from '../lib/trials';
import { now, pool } from '../lib/util';

/**
 * Event time of swipe 0: six days ago, so the whole load (a card's swipes 400 s apart, about 50
 * per card in a full run: under six hours) lies inside the API's event-time window of
 * [now − 7 days, now + 5 minutes].
 */
const BASE_TIME_MS = Date.now() - 6 * 24 * 3600 * 1000;
const CARDS = 500;
/** First swipe index of the warm-up calls, after the measured ones (indexes set the event time). */
const WARM_UP_FROM = 100_000;

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
    id: `01JBENCH${runId
      .toUpperCase()
      .replace(/[^0-9A-Z]/g, '')
      .slice(0, 6)}${String(i).padStart(12, '0')}`,
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
  /** Medians over the interleaved rounds, with the spread of the rounds' ratios. */
  readonly trials: TrialSummary;
  readonly apiFailed: number;
  readonly events: number;
}

/** Raw PutRecords of swipes `from`..`from + count - 1`, 500 per call, retrying failed entries (5 attempts). */
async function putRaw(clients: BenchClients, stream: string, runId: string, from: number, count: number): Promise<void> {
  const records = Array.from({ length: count }, (_, k) => benchEnvelope(from + k, runId)).map((r) => ({ Data: r.data, PartitionKey: r.partitionKey }));
  let pending = records;
  for (let attempt = 0; pending.length > 0 && attempt < 5; attempt++) {
    const result = await clients.kinesis.send(new PutRecordsCommand({ StreamName: stream, Records: pending }));
    pending = pending.filter((_, k) => result.Records?.[k]?.ErrorCode);
  }
  if (pending.length > 0) throw new Error(`${pending.length} raw records failed after 5 attempts`);
}

/**
 * Raw PutRecords from one client, 500 records per call, sequential, into `stream` (bench-owned,
 * the events stream's shard count, no consumer); records/s.
 */
export async function measureRawPutRecords(clients: BenchClients, stream: string, runId: string, from: number, events: number): Promise<number> {
  const t0 = now();
  for (let offset = 0; offset < events; offset += 500) await putRaw(clients, stream, runId, from + offset, Math.min(500, events - offset));
  return ratePerSecond(events, now() - t0);
}

/** `POST /events` of swipes `from`.. in batches of `batchSize` from `concurrency` clients; events/s accepted. */
export async function measureApiIngest(
  target: BenchTarget,
  runId: string,
  from: number,
  events: number,
  batchSize = 500,
  concurrency = 4,
): Promise<{ eventsPerSecond: number; failed: number }> {
  const post = async (first: number, count: number) => {
    const { status, body } = await api<{ accepted: unknown[]; failed: unknown[] }>(target, 'POST', '/events', {
      events: Array.from({ length: count }, (_, k) => benchSwipe(first + k, runId)),
    });
    if (status !== 202) throw new Error(`POST /events answered ${status}: ${JSON.stringify(body).slice(0, 300)}`);
    return { accepted: body.accepted.length, failed: body.failed.length };
  };
  let accepted = 0;
  let failed = 0;
  const batches = Math.ceil(events / batchSize);
  const t0 = now();
  await pool(batches, concurrency, async (b) => {
    const result = await post(from + b * batchSize, Math.min(batchSize, events - b * batchSize));
    accepted += result.accepted;
    failed += result.failed;
  });
  return { eventsPerSecond: ratePerSecond(accepted, now() - t0), failed };
}

/**
 * Both halves in `rounds` interleaved rounds of `events / rounds` each (raw, API, then API, raw…),
 * after warming both paths; the ratio is the median of the rounds' ratios.
 */
export async function measureIngest(target: BenchTarget, clients: BenchClients, runId: string, events: number, rounds = 3): Promise<IngestResult> {
  const eventsStream = output(target, 'EventsStreamName');
  const { Shards = [] } = await clients.kinesis.send(new ListShardsCommand({ StreamName: eventsStream }));
  const stream = `sluice-bench-${runId}-raw`;
  await createBenchStream(clients.kinesis, stream, Math.max(1, Shards.length));
  try {
    await putRaw(clients, stream, runId, WARM_UP_FROM, 500); // warm up the HTTP/2 session
    await measureApiIngest(target, runId, WARM_UP_FROM, 2000); // warm the ingest λ's instances
    const perRound = Math.ceil(events / rounds);
    let apiFailed = 0;
    const trials = await interleave(
      rounds,
      (round) => measureRawPutRecords(clients, stream, runId, round * perRound, perRound),
      async (round) => {
        const result = await measureApiIngest(target, runId, round * perRound, perRound);
        apiFailed += result.failed;
        return result.eventsPerSecond;
      },
    );
    return { trials, apiFailed, events: perRound * rounds };
  } finally {
    await deleteBenchStream(clients.kinesis, stream);
  }
}

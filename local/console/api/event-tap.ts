/**
 * The console's tap on the Kinesis streams: one reader per shard, from LATEST when the console
 * starts, that reads every shard {@link TAP_COALESCE_MS} after the endpoint sees a write to a
 * stream (and every few seconds as a safety net). Every envelope read lands in a ring buffer (the feed) and goes to the listeners
 * (the live SSE clients). It reads the emulator directly, so it is no consumer the settled signal
 * waits for, and its reads never meet a chaos fault.
 */
import type { KinesisClient, _Record } from '@aws-sdk/client-kinesis';
import { listShards, recordJson, ShardReader } from '../../../cli/stream';
import type { LocalStream } from '../../model';
import type { FeedEvent } from '../contract';
import { RingBuffer } from './ring-buffer';

/** Envelopes the feed keeps (the newest). */
export const FEED_CAPACITY = 500;
/** How often the tap reads without being woken. */
const FALLBACK_READ_MS = 2000;

/**
 * How long after a write the tap reads, so that the writes in between are read with it. The tap
 * reads every shard of every stream (it does not know which shard a write went to), each until an
 * empty page: woken by each write, that was five GetRecords per record the outbox relay published,
 * about as many as the five consumers' own reads, on the same emulator and the same event loop,
 * with or without a console open. The feed is for people: a quarter of a second behind is live.
 */
export const TAP_COALESCE_MS = 250;

interface TappedShard {
  readonly streamName: string;
  readonly reader: ShardReader;
  /** The last sequence number read: the shard's tip as far as the tap knows. */
  lastSequence?: string;
}

export class EventTap {
  private readonly feed: RingBuffer<FeedEvent>;
  private readonly shards: TappedShard[] = [];
  private readonly records = new Map<string, number>();
  private readonly listeners = new Set<(event: FeedEvent) => void>();
  private reading: Promise<void> | undefined;
  private readAgain = false;
  private timer: NodeJS.Timeout | undefined;
  /** The read a write scheduled, {@link TAP_COALESCE_MS} after it. */
  private due: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly kinesis: KinesisClient,
    private readonly streams: readonly LocalStream[],
    capacity = FEED_CAPACITY,
  ) {
    this.feed = new RingBuffer(capacity);
  }

  /** Opens a LATEST reader on every shard of every stream, then reads on each wake-up. */
  async start(): Promise<void> {
    for (const stream of this.streams) {
      this.records.set(stream.streamName, 0);
      for (const shard of await listShards(this.kinesis, stream.streamName)) {
        const reader = await ShardReader.open(this.kinesis, stream.streamName, shard.ShardId!, { type: 'LATEST' });
        this.shards.push({ streamName: stream.streamName, reader });
      }
    }
    this.timer = setInterval(() => this.wake(), FALLBACK_READ_MS);
    this.timer.unref();
  }

  /** Reads what is new on every shard {@link TAP_COALESCE_MS} from now, with the other wake-ups until then. */
  wake(): void {
    if (this.stopped || this.due) return;
    this.due = setTimeout(() => {
      this.due = undefined;
      this.readNow();
    }, TAP_COALESCE_MS);
    this.due.unref();
  }

  /** Reads what is new on every shard (once more after the current read, when one is running). */
  private readNow(): void {
    if (this.stopped) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = this.readAll().finally(() => {
      this.reading = undefined;
      if (this.readAgain) {
        this.readAgain = false;
        this.readNow();
      }
    });
  }

  /** The envelopes kept, newest first. */
  recent(): FeedEvent[] {
    return this.feed.newestFirst();
  }

  /** Records read from the stream since the console started. */
  recordsOf(streamName: string): number {
    return this.records.get(streamName) ?? 0;
  }

  /** The last sequence number the tap read on a shard, if any. */
  lastSequence(streamName: string, shardId: string): string | undefined {
    return this.shards.find((shard) => shard.streamName === streamName && shard.reader.shardId === shardId)?.lastSequence;
  }

  /** Calls `listener` with each envelope as it is read; returns the unsubscribe function. */
  onEvent(listener: (event: FeedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops reading (waits for a read in progress). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.due);
    this.listeners.clear();
    await this.reading;
  }

  private async readAll(): Promise<void> {
    for (const shard of this.shards) {
      if (this.stopped) return;
      try {
        await this.readShard(shard);
      } catch {
        // An emulator that is stopping or a shard that went away: the next wake-up tries again.
      }
    }
  }

  private async readShard(shard: TappedShard): Promise<void> {
    for (let page = await shard.reader.next(); page.length > 0 && !this.stopped; page = await shard.reader.next()) {
      this.records.set(shard.streamName, this.recordsOf(shard.streamName) + page.length);
      shard.lastSequence = page[page.length - 1].SequenceNumber;
      for (const record of page) this.publish(feedEventOf(record, shard.streamName, shard.reader.shardId));
    }
  }

  private publish(event: FeedEvent | undefined): void {
    if (!event) return;
    this.feed.push(event);
    this.listeners.forEach((listener) => listener(event));
  }
}

/** The feed's view of one record, or undefined when its data is not an envelope (JSON with an `id` and a `type`). */
export function feedEventOf(record: _Record, streamName: string, shardId: string): FeedEvent | undefined {
  const envelope = recordJson(record);
  if (!envelope || typeof envelope.id !== 'string' || typeof envelope.type !== 'string') return undefined;
  return {
    envelope: envelope as FeedEvent['envelope'],
    streamName,
    shardId,
    sequenceNumber: record.SequenceNumber ?? '',
    arrivedAt: record.ApproximateArrivalTimestamp?.getTime() ?? Date.now(),
  };
}

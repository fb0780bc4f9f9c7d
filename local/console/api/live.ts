/**
 * `GET live`: Server-Sent Events. Each envelope the tap reads goes out as a `feed` event (to the
 * clients whose filter it passes) as it arrives; about once a second every client gets `counts`
 * (the topology) and `consumers`. The snapshot is computed once per tick for all clients, and only
 * while a client is connected. A client that goes away is dropped at once; `stop()` ends every
 * stream, so neither an open console nor its timer keeps the process (or the endpoint) from stopping.
 */
import type http from 'node:http';
import type { AnyResponse } from '../../endpoint/http-answers';
import type { ConsumersAnswer, FeedEvent, FeedFilter, LiveEventName, TopologyAnswer } from '../contract';
import type { EventTap } from './event-tap';
import { matchesFeedFilter } from '../../../cli/event-filter';

/** How often `counts` and `consumers` go out. */
export const LIVE_TICK_MS = 1000;

export interface LiveSnapshot {
  readonly counts: TopologyAnswer;
  readonly consumers: ConsumersAnswer;
}

interface LiveClient {
  /** Either protocol's response; written through the HTTP/1.1 signatures they share. */
  readonly res: http.ServerResponse;
  readonly filter: FeedFilter;
}

/** One SSE message. */
export function sseMessage(event: LiveEventName, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export class LiveHub {
  private readonly clients = new Set<LiveClient>();
  private readonly unsubscribe: () => void;
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;

  constructor(
    tap: Pick<EventTap, 'onEvent'>,
    private readonly snapshot: () => Promise<LiveSnapshot>,
    private readonly tickMs = LIVE_TICK_MS,
  ) {
    this.unsubscribe = tap.onEvent((event) => this.feed(event));
  }

  /** Starts an event stream on this response; it lasts until the client leaves or the hub stops. */
  attach(res: AnyResponse, filter: FeedFilter): void {
    const client: LiveClient = { res: res as http.ServerResponse, filter };
    client.res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    client.res.write(': sluice console live feed\nretry: 2000\n\n');
    this.clients.add(client);
    res.on('close', () => this.drop(client));
    this.timer ??= setInterval(() => void this.tick(), this.tickMs).unref();
    void this.tick();
  }

  get size(): number {
    return this.clients.size;
  }

  /** Ends every stream and the timer. */
  stop(): void {
    this.unsubscribe();
    for (const client of [...this.clients]) {
      this.drop(client);
      client.res.end();
    }
  }

  private drop(client: LiveClient): void {
    this.clients.delete(client);
    if (this.clients.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private feed(event: FeedEvent): void {
    for (const client of this.clients) if (matchesFeedFilter(event.envelope, client.filter)) this.send(client, sseMessage('feed', event));
  }

  private async tick(): Promise<void> {
    if (this.ticking || this.clients.size === 0) return;
    this.ticking = true;
    try {
      const { counts, consumers } = await this.snapshot();
      const message = sseMessage('counts', counts) + sseMessage('consumers', consumers);
      for (const client of this.clients) this.send(client, message);
    } catch {
      // An emulator that is stopping: the next tick tries again.
    } finally {
      this.ticking = false;
    }
  }

  private send(client: LiveClient, message: string): void {
    if (client.res.destroyed || client.res.writableEnded) return this.drop(client);
    client.res.write(message);
  }
}

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LiveHub, sseMessage, type LiveSnapshot } from '../../../../local/console/api/live';
import type { FeedEvent, FeedFilter } from '../../../../local/console/contract';
import { openSse, type SseStream } from '../../../integration/support/sse';

const snapshot: LiveSnapshot = {
  counts: { functions: [], streams: [{ name: 'events', shards: 1, records: 3 }], queues: [], tables: [], mappings: [] },
  consumers: { consumers: [] },
};
const feedEvent = (id: string, subject: string): FeedEvent => ({
  envelope: { id, type: 'sluice.account.deposited.v2', subject },
  streamName: 'events',
  shardId: 'shardId-000000000000',
  sequenceNumber: id,
  arrivedAt: 0,
});

/** A hub behind a real HTTP server, fed by a stand-in tap whose events the test publishes. */
async function liveServer(filter: FeedFilter = {}, tickMs = 20) {
  const listeners = new Set<(event: FeedEvent) => void>();
  const tap = { onEvent: (listener: (event: FeedEvent) => void) => (listeners.add(listener), () => listeners.delete(listener)) };
  const hub = new LiveHub(tap, async () => snapshot, tickMs);
  const server = http.createServer((_req, res) => hub.attach(res, filter));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    hub,
    url,
    publish: (event: FeedEvent) => listeners.forEach((listener) => listener(event)),
    listeners,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Waits until `condition` holds (checked every 10 ms, for 10 s at most). */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (const started = Date.now(); Date.now() - started < 10_000;) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never: ${what}`);
}

describe('sseMessage', () => {
  it('writes one event with its JSON data and a blank line', () => {
    expect(sseMessage('feed', { a: 1 })).toBe('event: feed\ndata: {"a":1}\n\n');
  });
});

describe('LiveHub', () => {
  let stream: SseStream | undefined;
  afterEach(() => stream?.close());

  it('sends counts and consumers on connect, then each feed event that passes the filter', async () => {
    const live = await liveServer({ subject: 'acc-1' });
    try {
      stream = await openSse(live.url);
      expect((await stream.next((message) => message.event === 'counts')).data).toEqual(snapshot.counts);
      expect((await stream.next((message) => message.event === 'consumers')).data).toEqual(snapshot.consumers);
      live.publish(feedEvent('e1', 'acc-2'));
      live.publish(feedEvent('e2', 'acc-1'));
      expect((await stream.next((message) => message.event === 'feed')).data.envelope.id).toBe('e2');
    } finally {
      live.hub.stop();
      await live.close();
    }
  });

  it('drops a client as soon as it goes away, not at the next tick', async () => {
    const live = await liveServer({}, 3_600_000);
    try {
      stream = await openSse(live.url);
      await stream.next((message) => message.event === 'counts');
      expect(live.hub.size).toBe(1);
      stream.close();
      await until(() => live.hub.size === 0, 'the hub dropped the client');
    } finally {
      live.hub.stop();
      await live.close();
    }
  });

  it('ends every stream and leaves the tap on stop, so the server can close', async () => {
    const live = await liveServer();
    stream = await openSse(live.url);
    await stream.next((message) => message.event === 'counts');
    live.hub.stop();
    await expect(stream.next((message) => message.event === 'never')).rejects.toThrow('ended before');
    expect({ clients: live.hub.size, tapListeners: live.listeners.size }).toEqual({ clients: 0, tapListeners: 0 });
    await live.close();
  });
});

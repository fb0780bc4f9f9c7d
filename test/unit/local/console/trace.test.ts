import { traceFromFeed, withLatencies } from '../../../../local/console/api/trace';
import type { FeedEvent } from '../../../../local/console/contract';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const feedEvent = (id: string, time: string, arrivedAt: string, traceparent?: string): FeedEvent => ({
  envelope: { id, type: 'sluice.account.deposited.v2', time, ...(traceparent ? { traceparent } : {}) },
  streamName: 'events',
  shardId: 'shardId-000000000000',
  sequenceNumber: '1',
  arrivedAt: Date.parse(arrivedAt),
});

describe('withLatencies', () => {
  it('orders hops by time and gives each the milliseconds since the one before', () => {
    expect(
      withLatencies([
        { hop: 'stream', at: '2025-01-01T00:00:00.250Z', source: 's' },
        { hop: 'event', at: '2025-01-01T00:00:00.000Z', source: 'e' },
      ]).map((hop) => [hop.hop, hop.latencyMs]),
    ).toEqual([
      ['event', null],
      ['stream', 250],
    ]);
  });
});

describe('traceFromFeed', () => {
  const feed = [
    feedEvent('E1', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.040Z', `00-${TRACE}-00f067aa0ba902b7-01`),
    feedEvent('E2', '2025-01-01T00:00:01.000Z', '2025-01-01T00:00:01.010Z', `00-${TRACE}-1111111111111111-01`),
    feedEvent('E3', '2025-01-01T00:00:02.000Z', '2025-01-01T00:00:02.010Z'),
  ];

  it('finds the hops of an event id', () => {
    expect(traceFromFeed(feed, 'E3')).toEqual({
      id: 'E3',
      eventIds: ['E3'],
      hops: [expect.objectContaining({ hop: 'event', latencyMs: null }), expect.objectContaining({ hop: 'stream', latencyMs: 10 })],
    });
  });

  it('finds every event of a trace id, with the trace id', () => {
    const answer = traceFromFeed(feed, TRACE)!;
    expect({ traceId: answer.traceId, eventIds: answer.eventIds, hops: answer.hops.length }).toEqual({ traceId: TRACE, eventIds: ['E1', 'E2'], hops: 4 });
  });

  it('finds nothing for an id no envelope carries', () => {
    expect(traceFromFeed(feed, 'E9')).toBeUndefined();
  });
});

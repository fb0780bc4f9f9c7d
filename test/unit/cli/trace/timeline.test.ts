import { assembleTrace, formatTrace, ulidTime } from '../../../../cli/trace/timeline';

const at = (ms: number) => Date.parse('2026-01-01T00:00:00.000Z') + ms;

describe('assembleTrace', () => {
  it('orders hops by time with the latency from the previous one', () => {
    const answer = assembleTrace('e1', 'ab'.repeat(16), [
      { hop: 'replica', at: at(90), source: 'replica', eventId: 'e1' },
      { hop: 'append', at: at(0), source: 'event store', eventId: 'e1' },
      { hop: 'stream', at: at(25), source: 'events stream', eventId: 'e1' },
    ]);
    expect(answer).toEqual({
      id: 'e1',
      traceId: 'ab'.repeat(16),
      eventIds: ['e1'],
      hops: [
        { hop: 'append', at: '2026-01-01T00:00:00.000Z', latencyMs: null, source: 'event store' },
        { hop: 'stream', at: '2026-01-01T00:00:00.025Z', latencyMs: 25, source: 'events stream' },
        { hop: 'replica', at: '2026-01-01T00:00:00.090Z', latencyMs: 65, source: 'replica' },
      ],
    });
  });

  it('breaks ties in pipeline order and names the event when the trace has several', () => {
    const answer = assembleTrace('t', undefined, [
      { hop: 'replica', at: at(5), source: 'replica', eventId: 'e2', eventType: 'sluice.account.deposited.v1' },
      { hop: 'projector', at: at(5), source: 'read model', eventId: 'e1', eventType: 'sluice.account.opened.v1' },
    ]);
    expect(answer.hops.map((hop) => hop.hop)).toEqual(['projector', 'replica']);
    expect(answer.hops[0].detail).toBe('sluice.account.opened.v1 e1');
    expect(answer.eventIds).toEqual(['e1', 'e2']);
  });
});

describe('formatTrace', () => {
  it('prints a header and one line per hop with its latency', () => {
    const text = formatTrace(
      assembleTrace('e1', 'ab'.repeat(16), [
        { hop: 'append', at: at(0), source: 'event store', eventId: 'e1' },
        { hop: 'stream', at: at(12), source: 'events stream', eventId: 'e1', detail: 'shardId-0' },
      ]),
    );
    expect(text.split('\n')).toEqual([
      `event e1 in trace ${'ab'.repeat(16)} (1 event: e1)`,
      '2026-01-01T00:00:00.000Z   +0 ms  append  event store',
      '2026-01-01T00:00:00.012Z  +12 ms  stream  events stream  (shardId-0)',
    ]);
  });

  it('names the trace when asked for a trace', () => {
    const answer = assembleTrace('ab'.repeat(16), 'ab'.repeat(16), [{ hop: 'append', at: at(0), source: 'event store', eventId: 'e1' }]);
    expect(formatTrace(answer).split('\n')[0]).toBe(`trace ${'ab'.repeat(16)} (1 event: e1)`);
  });
});

describe('ulidTime', () => {
  it('reads the time of a ULID', () => {
    expect(ulidTime('01ARYZ6S41TSV4RRFFQ69G5FAV')).toBe(1469918176385);
  });

  it('is undefined for anything else', () => {
    expect(ulidTime('not-a-ulid')).toBeUndefined();
  });
});

import { correlationKeys, parseTraceparent, startTrace, traceFromHeaders, traceIdOf } from '../../../lambdas/shared/trace-context';

const VALID = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('parseTraceparent', () => {
  it('parses a version-00 traceparent into its parts', () => {
    expect(parseTraceparent(VALID)).toEqual({ traceparent: VALID, traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentId: '00f067aa0ba902b7', flags: '01' });
  });

  it.each([
    ['an all-zero trace id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['an all-zero parent id', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01'],
    ['another version', '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['upper-case hex', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01'],
    ['a short trace id', '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01'],
    ['one-digit flags', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1'],
    ['something else', 'hello'],
  ])('refuses %s', (_, value) => {
    expect(parseTraceparent(value)).toBeUndefined();
  });

  it('refuses what is not a string', () => {
    expect(parseTraceparent(42)).toBeUndefined();
  });
});

describe('startTrace', () => {
  it('starts a valid, sampled trace from random bytes', () => {
    const trace = startTrace((bytes) => Buffer.alloc(bytes, 0xab));
    expect(trace.traceparent).toBe(`00-${'ab'.repeat(16)}-${'ab'.repeat(8)}-01`);
    expect(parseTraceparent(trace.traceparent)).toEqual(trace);
  });

  it('never makes an all-zero id, even from zero bytes', () => {
    expect(parseTraceparent(startTrace((bytes) => Buffer.alloc(bytes)).traceparent)).toBeDefined();
  });

  it('gives each trace its own id', () => {
    expect(startTrace().traceId).not.toBe(startTrace().traceId);
  });
});

describe('traceFromHeaders', () => {
  it('keeps a valid header, whatever its case', () => {
    expect(traceFromHeaders({ TraceParent: VALID }).traceparent).toBe(VALID);
  });

  it('starts a new trace when the header is invalid or missing (W3C: ignore it, restart)', () => {
    const random = (bytes: number) => Buffer.alloc(bytes, 0x11);
    expect(traceFromHeaders({ traceparent: 'garbage' }, random).traceId).toBe('11'.repeat(16));
    expect(traceFromHeaders(null, random).traceId).toBe('11'.repeat(16));
  });
});

describe('traceIdOf', () => {
  it('takes a trace id or a whole traceparent', () => {
    expect(traceIdOf('4BF92F3577B34DA6A3CE929D0E0E4736')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(traceIdOf(VALID)).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('refuses an event id or an all-zero trace id', () => {
    expect(traceIdOf('01JF8ZP4R3W6K2S1Q9X7V5T3N1')).toBeUndefined();
    expect(traceIdOf('0'.repeat(32))).toBeUndefined();
  });
});

describe('correlationKeys', () => {
  it('names the traceparent, the trace id as correlation_id, and the event id', () => {
    expect(correlationKeys(VALID, 'e1')).toEqual({ traceparent: VALID, correlation_id: '4bf92f3577b34da6a3ce929d0e0e4736', eventId: 'e1' });
  });

  it('is empty without either', () => {
    expect(correlationKeys(undefined)).toEqual({});
  });
});

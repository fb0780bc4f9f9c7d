import {
  appendKeyOf,
  appendsByKey,
  buildTimelines,
  eventIdsOf,
  firstInvocationByEvent,
  recordInvocations,
  type InvocationRecord,
  type TraceSources,
} from '../../../bench/measure/latency-trace';

import type { InvokeOutcome, LambdaRunner } from '../../../local/runtime';

const kinesisRecord = (envelope: unknown) => ({ kinesis: { data: Buffer.from(JSON.stringify(envelope)).toString('base64') } });

describe('latency trace', () => {
  describe('recordInvocations', () => {
    afterEach(() => jest.useRealTimers());

    it("starts an invocation's record when the call is made, before the runner's synchronous work (serializing and sending the event)", async () => {
      jest.useFakeTimers({ now: 1_000 });
      const runner = {
        invoke: (_name: string, _event: unknown): Promise<InvokeOutcome> => {
          jest.setSystemTime(Date.now() + 7); // the runner's synchronous part: stringify, IPC send
          return Promise.resolve({ ok: true, result: null });
        },
      } as unknown as LambdaRunner;
      const recorder = recordInvocations(runner, ['projector']);

      await runner.invoke('projector', { Records: [kinesisRecord({ id: 'E1' })] });
      recorder.detach();

      expect(recorder.records).toEqual([{ functionName: 'projector', eventIds: ['E1'], startMs: 1_000, endMs: 1_007 }]);
    });
  });

  describe('eventIdsOf', () => {
    it('reads the event id of DynamoDB stream records (NEW_IMAGE) and Kinesis envelopes', () => {
      const event = { Records: [{ dynamodb: { NewImage: { eventId: { S: 'E1' } } } }, kinesisRecord({ id: 'E2', type: 't' })] };

      expect(eventIdsOf(event)).toEqual(['E1', 'E2']);
    });

    it('skips records without an id and events without records', () => {
      const event = { Records: [{ dynamodb: { Keys: {} } }, { kinesis: { data: Buffer.from('not json').toString('base64') } }, kinesisRecord({ type: 'no id' })] };

      expect(eventIdsOf(event)).toEqual([]);
      expect(eventIdsOf({ httpMethod: 'GET' })).toEqual([]);
      expect(eventIdsOf(null)).toEqual([]);
    });
  });

  it('keeps the first invocation of a function that carried each event (a retry does not move it)', () => {
    const records: InvocationRecord[] = [
      { functionName: 'relay', eventIds: ['E1'], startMs: 30, endMs: 40 },
      { functionName: 'relay', eventIds: ['E1', 'E2'], startMs: 10, endMs: 20 },
      { functionName: 'projector', eventIds: ['E3'], startMs: 5, endMs: 6 },
    ];

    const byEvent = firstInvocationByEvent(records, 'relay');

    expect([...byEvent.keys()]).toEqual(['E1', 'E2']);
    expect(byEvent.get('E1')?.startMs).toBe(10);
  });

  const invocation = (startMs: number, endMs: number, appendKey?: string): InvocationRecord => ({
    functionName: 'f',
    eventIds: ['E1'],
    ...(appendKey ? { appendKey } : {}),
    startMs,
    endMs,
  });
  const sources = (overrides: Partial<TraceSources> = {}): TraceSources => ({
    store: { eventIdByKey: new Map([['account#a|2', 'E1']]), createdMs: new Map([['E1', 15]]) },
    commands: appendsByKey([invocation(2, 16, 'account#a|2')]),
    arrivals: new Map([['E1', 40]]),
    relay: new Map([['E1', invocation(30, 45)]]),
    projector: new Map([['E1', invocation(50, 70)]]),
    ...overrides,
  });
  const sample = { streamId: 'account#a', version: 2, postSent: 0, postReturned: 20, visible: 100 };

  it("joins the client's samples with the pipeline's times: the append is where the command's invocation ended", () => {
    const [timeline, unknown] = buildTimelines([sample, { streamId: 'account#b', version: 1, postSent: 1, postReturned: 2, visible: 3 }], sources());

    expect(timeline).toEqual({
      postSent: 0,
      postReturned: 20,
      appended: 16,
      relayInvoked: 30,
      kinesisArrived: 40,
      projectorInvoked: 50,
      projectorDone: 70,
      visible: 100,
    });
    expect(unknown).toEqual({ postSent: 1, postReturned: 2, visible: 3, appended: undefined });
  });

  it("falls back to the stream record's creation time only when it carries milliseconds", () => {
    const withoutCommands = sources({ commands: new Map() });
    const wholeSeconds = sources({ commands: new Map(), store: { eventIdByKey: new Map([['account#a|2', 'E1']]), createdMs: new Map([['E1', 1_000]]) } });

    expect(buildTimelines([sample], withoutCommands)[0].appended).toBe(15);
    expect(buildTimelines([sample], wholeSeconds)[0].appended).toBeUndefined();
  });

  describe('appendKeyOf', () => {
    it("reads the stored event's key from a command's 201 answer", () => {
      expect(appendKeyOf({ ok: true, result: { statusCode: 201, body: '{"accountId":"a-1","version":3,"balance":300}' } })).toBe('account#a-1|3');
    });

    it.each([
      ['a refusal', { ok: true, result: { statusCode: 409, body: '{"accountId":"a-1","version":3}' } }],
      ['a body that is not JSON', { ok: true, result: { statusCode: 201, body: 'nope' } }],
      ['a body without the version', { ok: true, result: { statusCode: 201, body: '{"accountId":"a-1"}' } }],
      ['a function error', { ok: false, error: { errorType: 'Error', errorMessage: 'boom' } }],
    ])('has none for %s', (_what, outcome) => {
      expect(appendKeyOf(outcome as Parameters<typeof appendKeyOf>[0])).toBeUndefined();
    });
  });
});

import { buildTimelines, eventIdsOf, firstInvocationByEvent, type InvocationRecord } from '../../../bench/measure/latency-trace';

const kinesisRecord = (envelope: unknown) => ({ kinesis: { data: Buffer.from(JSON.stringify(envelope)).toString('base64') } });

describe('latency trace', () => {
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

  it('joins the client\'s samples with the pipeline\'s times by event id', () => {
    const invocation = (startMs: number, endMs: number): InvocationRecord => ({ functionName: 'f', eventIds: ['E1'], startMs, endMs });
    const [timeline, unknown] = buildTimelines(
      [{ streamId: 'account#a', version: 2, postSent: 0, postReturned: 20, visible: 100 }, { streamId: 'account#b', version: 1, postSent: 1, postReturned: 2, visible: 3 }],
      {
        store: { eventIdByKey: new Map([['account#a|2', 'E1']]), createdMs: new Map([['E1', 15]]) },
        arrivals: new Map([['E1', 40]]),
        relay: new Map([['E1', invocation(30, 45)]]),
        projector: new Map([['E1', invocation(50, 70)]]),
      },
    );

    expect(timeline).toEqual({ postSent: 0, postReturned: 20, appended: 15, relayInvoked: 30, kinesisArrived: 40, projectorInvoked: 50, projectorDone: 70, visible: 100 });
    expect(unknown).toEqual({ postSent: 1, postReturned: 2, visible: 3 });
  });
});

import { feedEventOf } from '../../../../local/console/api/event-tap';
import { topologyOf } from '../../../../local/console/api/topology';
import type { LocalApp, LocalFunction, LocalQueue, LocalQueueMapping, LocalStreamMapping } from '../../../../local/model';

const arn = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;
const queue = (name: string, redriveTo?: string) =>
  ({
    logicalId: `${name}Queue`,
    queueName: name,
    arn: arn(name),
    url: `http://localhost:4566/000000000000/${name}`,
    fifo: name.endsWith('.fifo'),
    ...(redriveTo ? { redrive: { deadLetterTargetArn: arn(redriveTo), maxReceiveCount: 3 } } : {}),
  }) as LocalQueue;
const fn = (name: string) => ({ functionName: name, logicalId: `${name}Fn` }) as LocalFunction;

const app = {
  functions: [fn('projector'), fn('worker')],
  streams: [{ streamName: 'events', shardCount: 4 }],
  tables: [{ tableName: 'balances', logicalId: 'Balances' }],
  queues: [queue('notifications', 'notifications-dlq'), queue('notifications-dlq'), queue('projector-failures')],
  mappings: [
    {
      kind: 'kinesis',
      logicalId: 'ProjectorMapping',
      functionName: 'projector',
      sourceName: 'events',
      onFailureArn: arn('projector-failures'),
    } as LocalStreamMapping,
    { kind: 'sqs', logicalId: 'WorkerMapping', functionName: 'worker', queueUrl: queue('notifications').url, queueArn: arn('notifications') } as LocalQueueMapping,
  ],
} as unknown as LocalApp;

describe('topologyOf', () => {
  const topology = topologyOf(app, {
    invocations: { projector: { invocations: 7, errors: 2 } },
    inFlight: { worker: 1 },
    queues: new Map([['notifications-dlq', { visible: 3, inFlight: 1, delayed: 0 }]]),
    recordsOf: (stream) => (stream === 'events' ? 42 : 0),
  });

  it('counts each function, zero for one never invoked', () => {
    expect(topology.functions).toEqual([
      { name: 'projector', logicalId: 'projectorFn', invocations: 7, errors: 2, inFlight: 0 },
      { name: 'worker', logicalId: 'workerFn', invocations: 0, errors: 0, inFlight: 1 },
    ]);
  });

  it('marks the queues a redrive policy or a mapping dead-letters into as DLQs, with their counts', () => {
    expect(topology.queues.map((q) => [q.name, q.isDlq, q.visible, q.inFlight])).toEqual([
      ['notifications', false, 0, 0],
      ['notifications-dlq', true, 3, 1],
      ['projector-failures', true, 0, 0],
    ]);
  });

  it('draws each mapping from its source to its function, with where its failures go', () => {
    expect(topology.mappings).toEqual([
      { id: 'ProjectorMapping', functionName: 'projector', sourceKind: 'kinesis', sourceName: 'events', onFailure: 'projector-failures', enabled: true },
      { id: 'WorkerMapping', functionName: 'worker', sourceKind: 'sqs', sourceName: 'notifications', enabled: true },
    ]);
  });

  it('gives the streams their records and shards, and the tables', () => {
    expect({ streams: topology.streams, tables: topology.tables }).toEqual({
      streams: [{ name: 'events', shards: 4, records: 42 }],
      tables: [{ name: 'balances', logicalId: 'Balances' }],
    });
  });
});

describe('feedEventOf', () => {
  const record = (data: string) => ({ Data: Buffer.from(data), SequenceNumber: '49', ApproximateArrivalTimestamp: new Date(1_700_000_000_000) });

  it('keeps an envelope with where and when it arrived', () => {
    expect(feedEventOf(record('{"id":"e1","type":"sluice.card.swiped.v1"}'), 'events', 'shardId-000000000001')).toEqual({
      envelope: { id: 'e1', type: 'sluice.card.swiped.v1' },
      streamName: 'events',
      shardId: 'shardId-000000000001',
      sequenceNumber: '49',
      arrivedAt: 1_700_000_000_000,
    });
  });

  it.each(['not json', '[1,2]', '{"type":"x"}', '{"id":1,"type":"x"}'])('leaves out a record that is no envelope: %s', (data) => {
    expect(feedEventOf(record(data), 'events', 'shardId-000000000000')).toBeUndefined();
  });
});

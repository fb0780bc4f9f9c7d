/**
 * `GET consumers`: per mapping, per shard (or queue), the checkpoint and how far behind the tip it
 * is, with its function's invocations and errors. A shard whose checkpoint is the tap's last read
 * is caught up without a read; any other shard is read after its checkpoint (up to 1000 records),
 * once per check for all mappings at the same position.
 */
import type { QueueCounts } from '../../../cli/queues';
import { DynamoDbStreamSource } from '../../mappings/dynamodb-stream-poller';
import { KinesisSource } from '../../mappings/kinesis-poller';
import type { IteratorPosition, StreamMappingStatus, StreamSource } from '../../mappings/shard-consumer';
import type { LocalApp } from '../../model';
import type { ConsumerPosition, ConsumersAnswer } from '../contract';
import { caughtUpByTap, NO_LAG, shardLag, totalLag, type Lag } from './lag';
import type { EmulatorClients } from './sources';
import { mappingEdge } from './topology';

/** Records read past a checkpoint to tell how far a shard is behind. */
const BEHIND_READ_LIMIT = 1000;

export interface ConsumerInputs {
  readonly app: LocalApp;
  readonly clients: Pick<EmulatorClients, 'kinesis' | 'streams'>;
  readonly statuses: readonly StreamMappingStatus[];
  readonly invocations: Readonly<Record<string, { invocations: number; errors: number }>>;
  readonly queues: ReadonlyMap<string, QueueCounts>;
  tapLastSequence(streamName: string, shardId: string): string | undefined;
  readonly nowMs: number;
}

type Consumer = ConsumersAnswer['consumers'][number];

export async function consumersOf(inputs: ConsumerInputs): Promise<ConsumersAnswer> {
  const reads = new Map<string, Promise<Lag>>();
  const streamConsumers = await Promise.all(inputs.statuses.map((status) => streamConsumer(inputs, status, reads)));
  const queueConsumers = inputs.app.mappings.flatMap((mapping) => {
    if (mapping.kind !== 'sqs') return [];
    const edge = mappingEdge(inputs.app, mapping);
    const counts = inputs.queues.get(edge.sourceName);
    const position: ConsumerPosition = {
      partition: edge.sourceName,
      recordsBehind: counts ? counts.visible + counts.inFlight + counts.delayed : 0,
      millisBehind: 0,
    };
    return [withCounts(inputs, { mappingId: mapping.logicalId, functionName: mapping.functionName, sourceName: edge.sourceName, positions: [position] })];
  });
  return { consumers: [...streamConsumers, ...queueConsumers] };
}

function withCounts(inputs: ConsumerInputs, consumer: Pick<Consumer, 'mappingId' | 'functionName' | 'sourceName' | 'positions'>): Consumer {
  const counts = inputs.invocations[consumer.functionName] ?? { invocations: 0, errors: 0 };
  return { ...consumer, ...totalLag(consumer.positions), invocations: counts.invocations, errors: counts.errors };
}

async function streamConsumer(inputs: ConsumerInputs, status: StreamMappingStatus, reads: Map<string, Promise<Lag>>): Promise<Consumer> {
  const { mapping } = status;
  const source: StreamSource =
    mapping.kind === 'kinesis' ? new KinesisSource(inputs.clients.kinesis, mapping) : new DynamoDbStreamSource(inputs.clients.streams, status.streamArn);
  const positions = await Promise.all(
    status.shards.map(async (shard): Promise<ConsumerPosition> => {
      const lag = await shardBehind(inputs, status, source, shard, reads).catch(() => NO_LAG);
      return { partition: shard.shardId, ...(shard.checkpoint ? { checkpoint: shard.checkpoint } : {}), ...lag };
    }),
  );
  return withCounts(inputs, { mappingId: mapping.logicalId, functionName: mapping.functionName, sourceName: mapping.sourceName, positions });
}

async function shardBehind(
  inputs: ConsumerInputs,
  status: StreamMappingStatus,
  source: StreamSource,
  shard: StreamMappingStatus['shards'][number],
  reads: Map<string, Promise<Lag>>,
): Promise<Lag> {
  if (shard.closed) return NO_LAG;
  if (status.mapping.kind === 'kinesis' && caughtUpByTap(shard.checkpoint, inputs.tapLastSequence(status.mapping.sourceName, shard.shardId))) return NO_LAG;
  const position: IteratorPosition = shard.checkpoint ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: shard.checkpoint } : status.initialPosition;
  // LATEST without a checkpoint: the mapping delivers only what arrives after its own iterator, which cannot be reproduced here.
  if (position.type === 'LATEST' || (position.type === 'AT_TIMESTAMP' && source.kind === 'dynamodb')) return NO_LAG;
  const key = `${status.streamArn}|${shard.shardId}|${JSON.stringify(position)}`;
  if (!reads.has(key)) {
    reads.set(
      key,
      (async () => {
        const iterator = await source.getIterator(shard.shardId, position);
        if (iterator === undefined) return NO_LAG;
        return shardLag((await source.getRecords(iterator, BEHIND_READ_LIMIT, shard.shardId)).records, inputs.nowMs);
      })(),
    );
  }
  return reads.get(key)!;
}

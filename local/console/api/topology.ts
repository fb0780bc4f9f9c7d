/**
 * `GET topology`: the functions, streams, queues, tables and mappings of the synthesized templates,
 * with live counts (invocations from the Lambda runner, records from the event tap, messages from
 * the queues themselves).
 */
import type { QueueCounts } from '../../../cli/queues';
import type { LocalApp, LocalMapping } from '../../model';
import { deadLetterArns } from '../../settled';
import type { MappingEdge, TopologyAnswer } from '../contract';
import type { ConsoleSources } from './sources';

/** The live counts a topology is drawn with. */
export interface TopologyCounts {
  readonly invocations: ReturnType<ConsoleSources['runner']['invocationCounts']>;
  readonly inFlight: ReturnType<ConsoleSources['runner']['inFlight']>;
  readonly queues: ReadonlyMap<string, QueueCounts>;
  recordsOf(streamName: string): number;
}

/** The topology of the app with these counts (pure). */
export function topologyOf(app: LocalApp, counts: TopologyCounts): TopologyAnswer {
  const dlqs = deadLetterArns(app);
  return {
    functions: app.functions.map((fn) => ({
      name: fn.functionName,
      logicalId: fn.logicalId,
      invocations: counts.invocations[fn.functionName]?.invocations ?? 0,
      errors: counts.invocations[fn.functionName]?.errors ?? 0,
      inFlight: counts.inFlight[fn.functionName] ?? 0,
    })),
    streams: app.streams.map((stream) => ({ name: stream.streamName, shards: stream.shardCount, records: counts.recordsOf(stream.streamName) })),
    queues: app.queues.map((queue) => ({
      name: queue.queueName,
      url: queue.url,
      fifo: queue.fifo,
      isDlq: dlqs.has(queue.arn),
      visible: counts.queues.get(queue.queueName)?.visible ?? 0,
      inFlight: counts.queues.get(queue.queueName)?.inFlight ?? 0,
    })),
    tables: app.tables.map((table) => ({ name: table.tableName, logicalId: table.logicalId })),
    mappings: app.mappings.map((mapping) => mappingEdge(app, mapping)),
  };
}

/** One mapping as an edge from its source to its function. */
export function mappingEdge(app: LocalApp, mapping: LocalMapping): MappingEdge {
  const base = { id: mapping.logicalId, functionName: mapping.functionName, enabled: true };
  if (mapping.kind === 'sqs') {
    const queue = app.queues.find((candidate) => candidate.arn === mapping.queueArn);
    return { ...base, sourceKind: 'sqs', sourceName: queue?.queueName ?? mapping.queueUrl.split('/').pop()! };
  }
  const onFailure = mapping.onFailureArn ? app.queues.find((queue) => queue.arn === mapping.onFailureArn)?.queueName : undefined;
  return { ...base, sourceKind: mapping.kind, sourceName: mapping.sourceName, ...(onFailure ? { onFailure } : {}) };
}

/** Handler of `AWS::Lambda::EventSourceMapping`: an SQS, Kinesis or DynamoDB Streams mapping with AWS's defaults. */
import type { LocalMapping, LocalQueueMapping, LocalStreamMapping, StartingPosition } from '../model';
import { PENDING_STREAM_SUFFIX } from './data-resources';
import { refuseTtlStreamMapping, refuseVisibilityBelowTimeout } from './refusals';
import type { AppParts, ResourceInput, ResourceTypeHandler } from './resource-handler';
import { isTrue, resolvedString, toNumber } from './values';

export const eventSourceMapping: ResourceTypeHandler = {
  phase: 'mappings',
  build(input, scope) {
    const { logicalId, stackName, resource, prop } = input;
    if (resource.Properties?.Enabled !== undefined && !isTrue(prop('Enabled'))) {
      scope.skip(stackName, logicalId, resource.Type, 'disabled (Enabled: false)');
      return;
    }
    const mapping = buildMapping(input, scope.parts);
    if (typeof mapping === 'string') scope.skip(stackName, logicalId, resource.Type, mapping);
    else scope.parts.mappings.push(mapping);
  },
};

/** What every kind of mapping shares. */
type CommonSettings = Pick<LocalMapping, 'logicalId' | 'functionName' | 'maxBatchingWindowSeconds' | 'reportBatchItemFailures' | 'filterPatterns'>;

/** The mapping, or why it cannot run locally (its source is not a resource of the app). */
function buildMapping(input: ResourceInput, known: AppParts): LocalMapping | string {
  const { where, prop } = input;
  const sourceArn = resolvedString(prop('EventSourceArn'), `${where}/Properties/EventSourceArn`);
  const functionRef = resolvedString(prop('FunctionName'), `${where}/Properties/FunctionName`);
  const common: CommonSettings = {
    logicalId: input.logicalId,
    functionName: functionRef.includes(':function:') ? functionRef.split(':function:')[1].split(':')[0] : functionRef,
    maxBatchingWindowSeconds: toNumber(prop('MaximumBatchingWindowInSeconds'), 0),
    reportBatchItemFailures: ((prop('FunctionResponseTypes') ?? []) as string[]).includes('ReportBatchItemFailures'),
    filterPatterns: (((prop('FilterCriteria') as { Filters?: Array<{ Pattern?: string }> }) ?? {}).Filters ?? []).flatMap((f) => (f.Pattern ? [f.Pattern] : [])),
  };
  const queue = known.queues.find((q) => q.arn === sourceArn);
  if (queue) return queueMapping(input, known, common, queue);
  const stream = known.streams.find((s) => s.arn === sourceArn);
  const table = known.tables.find((t) => `${t.arn}${PENDING_STREAM_SUFFIX}` === sourceArn);
  if (!stream && !table) return `event source ${sourceArn} is not a stream, table stream or queue of this app`;
  if (table) refuseTtlStreamMapping(table, where);
  return streamMapping(
    input,
    known,
    common,
    sourceArn,
    stream ? { kind: 'kinesis', sourceName: stream.streamName } : { kind: 'dynamodb', sourceName: table!.tableName },
  );
}

function queueMapping({ where, prop }: ResourceInput, known: AppParts, common: CommonSettings, queue: AppParts['queues'][number]): LocalQueueMapping {
  const fn = known.functions.find((f) => f.functionName === common.functionName);
  if (fn) {
    refuseVisibilityBelowTimeout(
      {
        queueName: queue.queueName,
        functionName: common.functionName,
        visibilityTimeoutSeconds: queue.visibilityTimeoutSeconds,
        functionTimeoutSeconds: fn.timeoutSeconds,
      },
      where,
    );
  }
  const scaling = prop('ScalingConfig') as { MaximumConcurrency?: unknown } | undefined;
  return {
    kind: 'sqs',
    logicalId: common.logicalId,
    functionName: common.functionName,
    queueUrl: queue.url,
    queueArn: queue.arn,
    fifo: queue.fifo,
    batchSize: toNumber(prop('BatchSize'), 10),
    maxBatchingWindowSeconds: common.maxBatchingWindowSeconds,
    reportBatchItemFailures: common.reportBatchItemFailures,
    ...(scaling?.MaximumConcurrency !== undefined ? { maximumConcurrency: toNumber(scaling.MaximumConcurrency, 1000) } : {}),
    filterPatterns: common.filterPatterns,
  };
}

function streamMapping(
  { prop }: ResourceInput,
  known: AppParts,
  common: CommonSettings,
  sourceArn: string,
  source: Pick<LocalStreamMapping, 'kind' | 'sourceName'>,
): LocalStreamMapping {
  const destination = (prop('DestinationConfig') as { OnFailure?: { Destination?: string } } | undefined)?.OnFailure?.Destination;
  const onFailureQueue = destination ? known.queues.find((q) => q.arn === destination) : undefined;
  const timestamp = prop('StartingPositionTimestamp');
  return {
    kind: source.kind,
    logicalId: common.logicalId,
    functionName: common.functionName,
    sourceName: source.sourceName,
    sourceArn,
    batchSize: toNumber(prop('BatchSize'), 100),
    maxBatchingWindowSeconds: common.maxBatchingWindowSeconds,
    startingPosition: (prop('StartingPosition') ?? 'LATEST') as StartingPosition,
    ...(timestamp !== undefined ? { startingPositionTimestamp: toNumber(timestamp, 0) } : {}),
    maximumRetryAttempts: toNumber(prop('MaximumRetryAttempts'), -1),
    maximumRecordAgeSeconds: toNumber(prop('MaximumRecordAgeInSeconds'), -1),
    bisectBatchOnFunctionError: isTrue(prop('BisectBatchOnFunctionError')),
    parallelizationFactor: toNumber(prop('ParallelizationFactor'), 1),
    reportBatchItemFailures: common.reportBatchItemFailures,
    ...(destination ? { onFailureArn: destination } : {}),
    ...(onFailureQueue ? { onFailureQueueUrl: onFailureQueue.url } : {}),
    filterPatterns: common.filterPatterns,
  };
}

/** Handlers of the data resources: DynamoDB tables, Kinesis streams and SQS queues. */
import { LOCAL_ACCOUNT, type LocalTable } from '../model';
import type { ResourceTypeHandler } from './resource-handler';
import { isTrue, localArn, toNumber } from './values';

/** AWS's initial shard count of an on-demand stream. */
export const ON_DEMAND_SHARDS = 4;
/** Stands for a table's stream ARN until the provisioner knows DynamoDB Local's real one. */
export const PENDING_STREAM_SUFFIX = '/stream/pending-provisioning';

export const dynamoDbTable: ResourceTypeHandler = {
  identity({ explicit, defaultName }) {
    const name = explicit('TableName') ?? defaultName;
    const tableArn = localArn('dynamodb', `table/${name}`);
    return { ref: name, atts: { Arn: tableArn, StreamArn: `${tableArn}${PENDING_STREAM_SUFFIX}` } };
  },
  build({ logicalId, stackName, id, prop }, { parts }) {
    const streamSpec = prop('StreamSpecification') as { StreamViewType?: LocalTable['streamViewType'] } | undefined;
    const ttl = prop('TimeToLiveSpecification') as { AttributeName?: string; Enabled?: unknown } | undefined;
    const gsis = prop('GlobalSecondaryIndexes') as Array<Record<string, unknown>> | undefined;
    const lsis = prop('LocalSecondaryIndexes') as Array<Record<string, unknown>> | undefined;
    parts.tables.push({
      logicalId,
      stackName,
      tableName: id.ref,
      arn: id.atts.Arn,
      keySchema: (prop('KeySchema') ?? []) as LocalTable['keySchema'],
      attributeDefinitions: (prop('AttributeDefinitions') ?? []) as LocalTable['attributeDefinitions'],
      ...(gsis?.length ? { globalSecondaryIndexes: gsis.map(onDemandIndex) } : {}),
      ...(lsis?.length ? { localSecondaryIndexes: lsis } : {}),
      ...(streamSpec?.StreamViewType ? { streamViewType: streamSpec.StreamViewType } : {}),
      ...(ttl && isTrue(ttl.Enabled) && ttl.AttributeName ? { timeToLiveAttribute: ttl.AttributeName } : {}),
    });
  },
};

export const kinesisStream: ResourceTypeHandler = {
  identity({ explicit, defaultName }) {
    const name = explicit('Name') ?? defaultName;
    return { ref: name, atts: { Arn: localArn('kinesis', `stream/${name}`) } };
  },
  build({ logicalId, stackName, id, prop }, { parts }) {
    const mode = (prop('StreamModeDetails') as { StreamMode?: string } | undefined)?.StreamMode;
    parts.streams.push({
      logicalId,
      stackName,
      streamName: id.ref,
      arn: id.atts.Arn,
      shardCount: mode === 'ON_DEMAND' ? ON_DEMAND_SHARDS : toNumber(prop('ShardCount'), 1),
      retentionHours: toNumber(prop('RetentionPeriodHours'), 24),
    });
  },
};

export const sqsQueue: ResourceTypeHandler = {
  identity({ resource, explicit, defaultName, awsEndpoint }) {
    let name = explicit('QueueName') ?? defaultName;
    if (isTrue(resource.Properties?.FifoQueue) && !name.endsWith('.fifo')) name = `${name}.fifo`;
    const url = `${awsEndpoint}/${LOCAL_ACCOUNT}/${name}`;
    return { ref: url, atts: { Arn: localArn('sqs', name), QueueName: name, QueueUrl: url } };
  },
  build({ logicalId, stackName, id, prop }, { parts }) {
    const rawRedrive = prop('RedrivePolicy');
    const redrive = (typeof rawRedrive === 'string' ? JSON.parse(rawRedrive) : rawRedrive) as
      { deadLetterTargetArn?: string; maxReceiveCount?: unknown } | undefined;
    parts.queues.push({
      logicalId,
      stackName,
      queueName: id.atts.QueueName,
      arn: id.atts.Arn,
      url: id.atts.QueueUrl,
      fifo: isTrue(prop('FifoQueue')),
      contentBasedDeduplication: isTrue(prop('ContentBasedDeduplication')),
      visibilityTimeoutSeconds: toNumber(prop('VisibilityTimeout'), 30),
      messageRetentionSeconds: toNumber(prop('MessageRetentionPeriod'), 345_600),
      ...(redrive?.deadLetterTargetArn
        ? { redrive: { deadLetterTargetArn: redrive.deadLetterTargetArn, maxReceiveCount: toNumber(redrive.maxReceiveCount, 1) } }
        : {}),
    });
  },
};

/** GSIs are created on-demand locally: provisioned throughput settings are dropped. */
function onDemandIndex(index: Record<string, unknown>): Record<string, unknown> {
  const { ProvisionedThroughput: _dropped, ...rest } = index;
  return rest;
}

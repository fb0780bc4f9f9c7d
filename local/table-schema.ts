import type { TableDescription, TimeToLiveDescription } from '@aws-sdk/client-dynamodb';
import type { LocalTable } from './model';

/**
 * A table kept by `--persist` whose schema is not the template's any more. DynamoDB cannot change
 * a key schema or a local index in place, and changing the rest would lose stream positions, so
 * the local cloud refuses to start on it rather than silently run the old schema.
 */
export class TableSchemaDriftError extends Error {
  constructor(
    readonly tableName: string,
    readonly differences: readonly string[],
  ) {
    super(
      `--persist: table ${tableName} in the saved data does not match the template: ${differences.join('; ')}. ` +
        'The local cloud does not migrate saved tables: delete the --persist data directory (.sluice/data by default; this drops all local data) ' +
        'or run without --persist',
    );
    this.name = 'TableSchemaDriftError';
  }
}

/**
 * What differs between a table as the template defines it and as DynamoDB Local describes it:
 * key schema, key attribute types, global and local secondary indexes (keys and projection),
 * the stream view type and the TTL attribute. Empty when they match.
 *
 * @example tableSchemaDifferences(table, described.Table!, ttl.TimeToLiveDescription) // ['the stream: NEW_IMAGE in the data, NEW_AND_OLD_IMAGES in the template']
 */
export function tableSchemaDifferences(expected: LocalTable, actual: TableDescription, ttl?: TimeToLiveDescription): string[] {
  const differences: string[] = [];
  const compare = (what: string, saved: string, wanted: string) => {
    if (saved !== wanted) differences.push(`${what}: ${saved} in the data, ${wanted} in the template`);
  };
  compare('the key schema', keys(actual.KeySchema), keys(expected.keySchema));
  compare('the key attribute types', attributes(actual.AttributeDefinitions), attributes(expected.attributeDefinitions));
  compare('the global secondary indexes', indexes(actual.GlobalSecondaryIndexes), indexes(expected.globalSecondaryIndexes));
  compare('the local secondary indexes', indexes(actual.LocalSecondaryIndexes), indexes(expected.localSecondaryIndexes));
  compare('the stream', actual.StreamSpecification?.StreamEnabled ? String(actual.StreamSpecification.StreamViewType) : 'off', expected.streamViewType ?? 'off');
  const savedTtl = ttl?.TimeToLiveStatus === 'ENABLED' || ttl?.TimeToLiveStatus === 'ENABLING' ? `on "${ttl.AttributeName}"` : 'off';
  compare('TTL', savedTtl, expected.timeToLiveAttribute ? `on "${expected.timeToLiveAttribute}"` : 'off');
  return differences;
}

type KeyList = ReadonlyArray<{ AttributeName?: string; KeyType?: string }> | undefined;

function keys(list: KeyList): string {
  return `"${(list ?? []).map((k) => `${k.AttributeName} ${k.KeyType}`).join(', ')}"`;
}

function attributes(list: ReadonlyArray<{ AttributeName?: string; AttributeType?: string }> | undefined): string {
  return `"${(list ?? [])
    .map((a) => `${a.AttributeName}:${a.AttributeType}`)
    .sort()
    .join(', ')}"`;
}

/** An index as the template (CloudFormation) and DescribeTable both spell it. */
interface IndexLike {
  readonly IndexName?: unknown;
  readonly KeySchema?: unknown;
  readonly Projection?: unknown;
}

function indexes(list: ReadonlyArray<IndexLike> | undefined): string {
  if (!list?.length) return 'none';
  return list
    .map((index) => {
      const projection = (index.Projection ?? {}) as { ProjectionType?: string; NonKeyAttributes?: string[] };
      const include = projection.NonKeyAttributes?.length ? ` ${[...projection.NonKeyAttributes].sort().join('+')}` : '';
      return `${String(index.IndexName)}(${keys(index.KeySchema as KeyList)} ${projection.ProjectionType ?? 'ALL'}${include})`;
    })
    .sort()
    .join(', ');
}

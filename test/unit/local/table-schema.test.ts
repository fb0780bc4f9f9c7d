import type { TableDescription } from '@aws-sdk/client-dynamodb';
import { tableSchemaDifferences, TableSchemaDriftError } from '../../../local/table-schema';
import type { LocalTable } from '../../../local/model';

const template: LocalTable = {
  logicalId: 'Events',
  stackName: 'app',
  tableName: 'app-Events',
  arn: 'arn:aws:dynamodb:us-east-1:000000000000:table/app-Events',
  keySchema: [
    { AttributeName: 'streamId', KeyType: 'HASH' },
    { AttributeName: 'version', KeyType: 'RANGE' },
  ],
  attributeDefinitions: [
    { AttributeName: 'streamId', AttributeType: 'S' },
    { AttributeName: 'version', AttributeType: 'N' },
    { AttributeName: 'type', AttributeType: 'S' },
  ],
  globalSecondaryIndexes: [{ IndexName: 'byType', KeySchema: [{ AttributeName: 'type', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
  streamViewType: 'NEW_IMAGE',
  timeToLiveAttribute: 'expiresAt',
};

// What DynamoDB Local's DescribeTable answers for the table created from `template`.
const saved: TableDescription = {
  TableName: 'app-Events',
  KeySchema: [
    { AttributeName: 'streamId', KeyType: 'HASH' },
    { AttributeName: 'version', KeyType: 'RANGE' },
  ],
  AttributeDefinitions: [
    { AttributeName: 'type', AttributeType: 'S' },
    { AttributeName: 'streamId', AttributeType: 'S' },
    { AttributeName: 'version', AttributeType: 'N' },
  ],
  GlobalSecondaryIndexes: [
    { IndexName: 'byType', KeySchema: [{ AttributeName: 'type', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' }, IndexStatus: 'ACTIVE' },
  ],
  StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
};
const ttlOn = { TimeToLiveStatus: 'ENABLED' as const, AttributeName: 'expiresAt' };

describe('tableSchemaDifferences', () => {
  it('finds none when the saved table is the template one', () => {
    expect(tableSchemaDifferences(template, saved, ttlOn)).toEqual([]);
  });

  it.each([
    [
      'a new sort key',
      { KeySchema: [{ AttributeName: 'streamId', KeyType: 'HASH' as const }] },
      'the key schema: "streamId HASH" in the data, "streamId HASH, version RANGE" in the template',
    ],
    ['a missing index', { GlobalSecondaryIndexes: undefined }, 'the global secondary indexes: none in the data, byType("type HASH" KEYS_ONLY) in the template'],
    [
      'another projection',
      {
        GlobalSecondaryIndexes: [
          { IndexName: 'byType', KeySchema: [{ AttributeName: 'type', KeyType: 'HASH' as const }], Projection: { ProjectionType: 'ALL' as const } },
        ],
      },
      'the global secondary indexes: byType("type HASH" ALL) in the data, byType("type HASH" KEYS_ONLY) in the template',
    ],
    [
      'another stream view',
      { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' as const } },
      'the stream: NEW_AND_OLD_IMAGES in the data, NEW_IMAGE in the template',
    ],
    ['no stream', { StreamSpecification: undefined }, 'the stream: off in the data, NEW_IMAGE in the template'],
  ])('reports %s', (_, change, difference) => {
    expect(tableSchemaDifferences(template, { ...saved, ...change }, ttlOn)).toEqual([difference]);
  });

  it('reports a TTL attribute that changed or was never enabled', () => {
    expect(tableSchemaDifferences(template, saved, { TimeToLiveStatus: 'ENABLED', AttributeName: 'ttl' })).toEqual([
      'TTL: on "ttl" in the data, on "expiresAt" in the template',
    ]);
    expect(tableSchemaDifferences(template, saved, { TimeToLiveStatus: 'DISABLED' })).toEqual(['TTL: off in the data, on "expiresAt" in the template']);
  });
});

describe('TableSchemaDriftError', () => {
  it('names the table, the differences and both fixes', () => {
    const error = new TableSchemaDriftError('app-Events', ['the stream: off in the data, NEW_IMAGE in the template']);

    expect(error.message).toBe(
      '--persist: table app-Events in the saved data does not match the template: the stream: off in the data, NEW_IMAGE in the template. ' +
        'The local cloud does not migrate saved tables: delete the --persist data directory (.sluice/data by default; this drops all local data) or run without --persist',
    );
  });
});

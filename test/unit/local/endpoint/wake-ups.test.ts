import { SourceWriteListeners, writtenShardIds, writtenSources } from '../../../../local/endpoint/wake-ups';

describe('writtenShardIds', () => {
  it('names the shards of the records a PutRecords answer took, once each, and skips the failed ones', () => {
    const answer = {
      FailedRecordCount: 1,
      Records: [
        { ShardId: 'shardId-000000000002', SequenceNumber: '1' },
        { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'slow down' },
        { ShardId: 'shardId-000000000002', SequenceNumber: '2' },
        { ShardId: 'shardId-000000000003', SequenceNumber: '3' },
      ],
    };
    expect(writtenShardIds(JSON.stringify(answer))).toEqual(['shardId-000000000002', 'shardId-000000000003']);
  });

  it("names a PutRecord answer's shard", () => {
    expect(writtenShardIds('{"ShardId":"shardId-000000000001","SequenceNumber":"9"}')).toEqual(['shardId-000000000001']);
  });

  it('knows nothing (so every reader wakes) when the body is not such an answer', () => {
    expect(writtenShardIds('not json')).toBeUndefined();
    expect(writtenShardIds('null')).toBeUndefined();
    expect(writtenShardIds('{"StreamDescription":{}}')).toBeUndefined();
  });
});

describe('writtenSources', () => {
  it("names a PutRecords' stream, by name or by ARN", () => {
    expect(writtenSources('kinesis', '{"Records":[{"Data":"eyJ9","PartitionKey":"a"}],"StreamName":"events"}')).toEqual(['events']);
    expect(writtenSources('kinesis', '{"Data":"eyJ9","PartitionKey":"a","StreamARN":"arn:aws:kinesis:us-east-1:000000000000:stream/events"}')).toEqual(['events']);
  });

  it('names the table of an item write, every table of a transaction and of a batch', () => {
    expect(writtenSources('dynamodb', '{"TableName":"store","Item":{"pk":{"S":"a"}},"ConditionExpression":"attribute_not_exists(pk)"}')).toEqual(['store']);
    const transaction = {
      TransactItems: [{ Put: { TableName: 'store', Item: {} } }, { Update: { TableName: 'arn:aws:dynamodb:us-east-1:000000000000:table/snapshots', Key: {} } }],
    };
    expect(writtenSources('dynamodb', JSON.stringify(transaction))).toEqual(['store', 'snapshots']);
    const batch = { RequestItems: { transactions: [{ PutRequest: { Item: {} } }], balances: [{ DeleteRequest: { Key: {} } }] } };
    expect(writtenSources('dynamodb', JSON.stringify(batch))).toEqual(['transactions', 'balances']);
  });

  it('is not fooled by a value that quotes such a field: the real name is still there', () => {
    const item = { TableName: 'store', Item: { note: { S: '"TableName":"elsewhere"' } } };
    expect(writtenSources('dynamodb', JSON.stringify(item))).toEqual(['store']);
  });

  it('knows nothing (so every reader wakes) when the body names no source or cannot be read', () => {
    expect(writtenSources('dynamodb', '{"Item":{}}')).toBeUndefined();
    expect(writtenSources('dynamodb', '{"RequestItems": not json')).toBeUndefined();
    expect(writtenSources('kinesis', '')).toBeUndefined();
    expect(writtenSources('kinesis', `{"StreamName":"events","Records":[{"Data":"${'A'.repeat(1024 * 1024)}"}]}`)).toBeUndefined();
  });
});

describe('SourceWriteListeners', () => {
  it('passes where each write landed on to every listener until it unsubscribes', () => {
    const listeners = new SourceWriteListeners();
    const heard: unknown[] = [];
    const unsubscribe = listeners.subscribe((write, place) => heard.push([write, place]));

    listeners.notify('kinesis', { sources: ['events'], shardIds: ['shardId-000000000001'] });
    listeners.notify('dynamodb');
    unsubscribe();
    listeners.notify('kinesis');

    expect(heard).toEqual([
      ['kinesis', { sources: ['events'], shardIds: ['shardId-000000000001'] }],
      ['dynamodb', undefined],
    ]);
  });
});

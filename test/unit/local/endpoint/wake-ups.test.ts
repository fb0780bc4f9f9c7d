import { SourceWriteListeners, writtenShardIds } from '../../../../local/endpoint/wake-ups';

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

describe('SourceWriteListeners', () => {
  it('passes the shards written on to every listener until it unsubscribes', () => {
    const listeners = new SourceWriteListeners();
    const heard: unknown[] = [];
    const unsubscribe = listeners.subscribe((write, shardIds) => heard.push([write, shardIds]));

    listeners.notify('kinesis', ['shardId-000000000001']);
    listeners.notify('dynamodb');
    unsubscribe();
    listeners.notify('kinesis');

    expect(heard).toEqual([
      ['kinesis', ['shardId-000000000001']],
      ['dynamodb', undefined],
    ]);
  });
});

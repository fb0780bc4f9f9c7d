import { kinesisDeadLetter } from '../../../lambdas/shared/batch';
import { failureDestinationMessage, type FailedBatch } from '../../../local/mappings/failure-destination';
import { deadLetteredRanges, namesAnyOf, rangeCovers } from '../../integration/faults/support/dead-letter-ranges';
import { kinesisLambdaEvent } from '../../support/factories/lambda-events';

// Real Kinesis sequence numbers are 56 digits: past Number.MAX_SAFE_INTEGER, so only big integers order them.
const base = 49_680_680_163_004_957_798_879_092_489_952_407_828_931_359_804_615_557_138n;
const seq = (offset: number) => String(base + BigInt(offset));
const shard = 'shardId-000000000002';

/** The on-failure record the local mapping sends when it discards these records of `shard`. */
function failureRecord(sequenceNumbers: readonly string[], shardId = shard, kind: FailedBatch['kind'] = 'kinesis') {
  return failureDestinationMessage({
    kind,
    requestId: 'r-1',
    functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:projector',
    condition: 'RetryAttemptsExhausted',
    approximateInvokeCount: 4,
    shardId,
    streamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/events',
    records: sequenceNumbers.map((sequenceNumber) => ({ sequenceNumber, arrivalMs: 0 })),
    now: new Date(0),
  });
}

describe('dead-lettered ranges', () => {
  it('counts a record strictly inside a discarded batch, not only its first and last', () => {
    // The batch other(0), mine(1), other(2) was discarded: its failure record names 0 and 2 only.
    const letter = failureRecord([seq(0), seq(1), seq(2)]);
    expect(namesAnyOf(letter, [{ shardId: shard, sequenceNumber: seq(1) }])).toBe(true);
    expect(namesAnyOf(letter, [{ shardId: shard, sequenceNumber: seq(3) }])).toBe(false);
    expect(namesAnyOf(letter, [{ shardId: shard, sequenceNumber: seq(-1) }])).toBe(false);
  });

  it('compares sequence numbers as big integers (digits of equal length differ past 2^53)', () => {
    const [range] = deadLetteredRanges(failureRecord([seq(10), seq(10)]));
    expect(rangeCovers(range, { shardId: shard, sequenceNumber: seq(10) })).toBe(true);
    expect(rangeCovers(range, { shardId: shard, sequenceNumber: seq(11) })).toBe(false);
    expect(Number(seq(10)) === Number(seq(11))).toBe(true); // what a Number comparison would get wrong
  });

  it('matches the shard: the same numbers in another shard are other records', () => {
    const letter = failureRecord([seq(0), seq(5)], 'shardId-000000000001');
    expect(namesAnyOf(letter, [{ shardId: shard, sequenceNumber: seq(3) }])).toBe(false);
    expect(namesAnyOf(letter, [{ shardId: 'shardId-000000000001', sequenceNumber: seq(3) }])).toBe(true);
  });

  it('reads the DynamoDB stream shape too', () => {
    expect(deadLetteredRanges(failureRecord([seq(0), seq(4)], 'shardId-ddb', 'dynamodb'))).toEqual([{ shardId: 'shardId-ddb', start: base, end: base + 4n }]);
  });

  it("reads a consumer's own dead letter as the one record it carries, also as JSON text inside another message", () => {
    const [record] = kinesisLambdaEvent([{ shardId: shard, record: { SequenceNumber: seq(7), PartitionKey: 'acc-1', Data: Buffer.from('{}') } }], {
      streamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/events',
      functionName: 'projector',
    }).Records;
    const letter = JSON.parse(kinesisDeadLetter(record, 'undecodable_record', new Error('bad'), 'projector', new Date(0).toISOString()).body);
    expect(deadLetteredRanges(letter)).toEqual([{ shardId: shard, start: base + 7n, end: base + 7n }]);
    expect(namesAnyOf({ Body: JSON.stringify(letter) }, [{ shardId: shard, sequenceNumber: seq(7) }])).toBe(true);
  });

  it('refuses a malformed range instead of matching nothing', () => {
    expect(() => deadLetteredRanges({ KinesisBatchInfo: { shardId: shard, startSequenceNumber: seq(5), endSequenceNumber: seq(1) } })).toThrow(
      /ends .* before it starts/,
    );
    expect(() => deadLetteredRanges({ KinesisBatchInfo: { shardId: shard, startSequenceNumber: 'abc', endSequenceNumber: seq(1) } })).toThrow(/decimal digits/);
  });
});

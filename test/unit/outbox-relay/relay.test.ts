import { relayStreamRecords } from '../../../lambdas/outbox-relay/relay';
import { KinesisPublisher, type PutRecordsEntry, type PutRecordsEntryResult } from '../../../lambdas/shared/kinesis';
import { history } from '../../helpers/account-events';
import { insertRecord, streamRecord } from '../../helpers/dynamodb-stream-records';
import { FakePutRecordsPort, type FailureRule } from '../../helpers/fake-put-records-port';
import { silentLogger } from '../../helpers/silent-logger';
import { FakeDeadLetterQueue } from '../../helpers/fake-dead-letter-queue';

const a = history('acc-a').opened().deposit(10).deposit(20).stored();
const b = history('acc-b').opened().deposit(5).stored();

/** Remembers which entries Kinesis accepted, in order (the fake's own log also holds failed attempts). */
class AcceptingPort extends FakePutRecordsPort {
  public readonly accepted: string[] = [];

  public override async putRecords(entries: readonly PutRecordsEntry[]): Promise<PutRecordsEntryResult[]> {
    const results = await super.putRecords(entries);
    results.forEach((result, index) => {
      if ('sequenceNumber' in result) {
        const { subject, streamversion } = JSON.parse(Buffer.from(entries[index].data).toString('utf8'));
        this.accepted.push(`${subject}@${streamversion}`);
      }
    });
    return results;
  }
}

function relayWith(failureRule?: FailureRule) {
  const port = new AcceptingPort(failureRule);
  const publisher = new KinesisPublisher(port, { maxAttempts: 3, sleep: async () => undefined, random: () => 0 });
  return { port, run: (records: Parameters<typeof relayStreamRecords>[0]) => relayStreamRecords(records, { publisher, logger: silentLogger() }) };
}

const published = (port: AcceptingPort) => port.accepted;

describe('relayStreamRecords', () => {
  it('publishes envelopes with at most one record per account per PutRecords call', async () => {
    const { port, run } = relayWith();

    const response = await run([insertRecord(a[0]), insertRecord(a[1]), insertRecord(b[0]), insertRecord(a[2]), insertRecord(b[1])]);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(port.calls.map((call) => call.map((entry) => entry.partitionKey))).toEqual([['acc-a', 'acc-b'], ['acc-a', 'acc-b'], ['acc-a']]);
    expect(published(port)).toEqual(['acc-a@1', 'acc-b@1', 'acc-a@2', 'acc-b@2', 'acc-a@3']);
  });

  it('retries a throttled record before the next record of its account goes out', async () => {
    const { port, run } = relayWith((entry, call) => (entry.partitionKey === 'acc-a' && call === 1 ? 'ProvisionedThroughputExceededException' : undefined));

    const response = await run([insertRecord(a[0]), insertRecord(a[1])]);

    expect(response.batchItemFailures).toEqual([]);
    expect(published(port)).toEqual(['acc-a@1', 'acc-a@2']);
  });

  it('reports the first record that still fails and every record after it, publishing nothing of that account after it', async () => {
    const records = [insertRecord(b[0]), insertRecord(a[0]), insertRecord(a[1]), insertRecord(b[1])];
    const { port, run } = relayWith((entry) => (entry.partitionKey === 'acc-a' ? 'InternalFailure' : undefined));

    const response = await run(records);

    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(records.slice(1).map((record) => record.dynamodb?.SequenceNumber));
    expect(published(port)).toEqual(['acc-b@1']);
  });

  it('acknowledges MODIFY and REMOVE records without publishing them', async () => {
    const { port, run } = relayWith();

    const response = await run([streamRecord('MODIFY', a[0]), streamRecord('REMOVE', a[0]), insertRecord(b[0])]);

    expect(response.batchItemFailures).toEqual([]);
    expect(published(port)).toEqual(['acc-b@1']);
  });

  it('fails a record whose image is not a stored event, and everything after it', async () => {
    const bad = streamRecord('INSERT', { streamId: 'account#x', version: 1 });
    const { port, run } = relayWith();

    const response = await run([insertRecord(b[0]), bad, insertRecord(a[0])]);

    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toHaveLength(2);
    expect(response.batchItemFailures[0].itemIdentifier).toBe(bad.dynamodb?.SequenceNumber);
    expect(published(port)).toEqual(['acc-b@1']);
  });

  it('sends an image that is not a stored event to the DLQ as malformed_stored_event and publishes the rest', async () => {
    const bad = streamRecord('INSERT', { streamId: 'account#x', version: 1 });
    const port = new AcceptingPort();
    const deadLetters = new FakeDeadLetterQueue();
    const publisher = new KinesisPublisher(port, { maxAttempts: 3, sleep: async () => undefined, random: () => 0 });

    const response = await relayStreamRecords([insertRecord(b[0]), bad, insertRecord(a[0])], { publisher, logger: silentLogger(), deadLetters });

    expect(response.batchItemFailures).toEqual([]);
    expect(published(port)).toEqual(['acc-b@1', 'acc-a@1']);
    expect(deadLetters.letters()).toEqual([
      expect.objectContaining({
        reason: 'malformed_stored_event',
        consumer: 'outbox-relay',
        record: expect.objectContaining({ sequenceNumber: bad.dynamodb?.SequenceNumber, newImage: bad.dynamodb?.NewImage }),
      }),
    ]);
  });
});

import { MAX_PUBLISH_PASSES, relayStreamRecords } from '../../../lambdas/outbox-relay/relay';
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
        this.accepted.push(decoded(entries[index]));
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

/** `account@version` of a PutRecords entry. */
function decoded(entry: PutRecordsEntry): string {
  const { subject, streamversion } = JSON.parse(Buffer.from(entry.data).toString('utf8'));
  return `${subject}@${streamversion}`;
}

describe('relayStreamRecords', () => {
  it('publishes the whole batch in one PutRecords call, each account in stream order', async () => {
    const { port, run } = relayWith();

    const response = await run([insertRecord(a[0]), insertRecord(a[1]), insertRecord(b[0]), insertRecord(a[2]), insertRecord(b[1])]);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(port.calls.map((call) => call.map((entry) => entry.partitionKey))).toEqual([['acc-a', 'acc-a', 'acc-b', 'acc-a', 'acc-b']]);
    expect(published(port)).toEqual(['acc-a@1', 'acc-a@2', 'acc-b@1', 'acc-a@3', 'acc-b@2']);
  });

  it('retries throttled records of an account together, in order', async () => {
    const { port, run } = relayWith((entry, call) => (entry.partitionKey === 'acc-a' && call === 1 ? 'ProvisionedThroughputExceededException' : undefined));

    const response = await run([insertRecord(a[0]), insertRecord(a[1])]);

    expect(response.batchItemFailures).toEqual([]);
    expect(published(port)).toEqual(['acc-a@1', 'acc-a@2']);
  });

  it('publishes again, after a retried record, the later records of its account that the first call took', async () => {
    // PutRecords does not stop at a failed record: acc-a@2 lands, acc-a@1 only on the retry.
    const { port, run } = relayWith((entry, call) => (call === 1 && decoded(entry) === 'acc-a@1' ? 'InternalFailure' : undefined));

    const response = await run([insertRecord(a[0]), insertRecord(a[1]), insertRecord(b[0]), insertRecord(a[2])]);

    expect(response.batchItemFailures).toEqual([]);
    expect(published(port)).toEqual(['acc-a@2', 'acc-b@1', 'acc-a@3', 'acc-a@1', 'acc-a@2', 'acc-a@3']);
    const lastCopies = published(port).filter((event, index, all) => all.lastIndexOf(event) === index);
    expect(lastCopies.filter((event) => event.startsWith('acc-a'))).toEqual(['acc-a@1', 'acc-a@2', 'acc-a@3']);
  });

  it('reports the first record that still fails and every record after it; its account has nothing after it on the stream but what the same call took', async () => {
    const records = [insertRecord(b[0]), insertRecord(a[0]), insertRecord(a[1]), insertRecord(b[1])];
    const { port, run } = relayWith((entry) => (entry.partitionKey === 'acc-a' ? 'InternalFailure' : undefined));

    const response = await run(records);

    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(records.slice(1).map((record) => record.dynamodb?.SequenceNumber));
    // acc-b@2 went out in the same call; it is reported too, so it is published again after the retry (a duplicate consumers drop).
    expect(published(port)).toEqual(['acc-b@1', 'acc-b@2']);
  });

  it('fails records that keep landing ahead of a retried record of their account, for DynamoDB Streams to redeliver', async () => {
    // Each first attempt loses its first record and takes the rest, pass after pass: an emulator gone wrong.
    const c = history('acc-c').opened().deposit(1).deposit(2).deposit(3).deposit(4).deposit(5).stored();
    const records = c.map((event) => insertRecord(event));
    let lastCall = 0;
    const { run } = relayWith((_entry, call) => {
      const first = call !== lastCall;
      lastCall = call;
      return first && call % 2 === 1 ? 'InternalFailure' : undefined;
    });

    const response = await run(records);

    expect(MAX_PUBLISH_PASSES).toBe(4);
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(records.slice(4).map((record) => record.dynamodb?.SequenceNumber));
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

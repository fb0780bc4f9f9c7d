import type { DynamoDBRecord } from 'aws-lambda';
import { MAX_DEAD_LETTER_BYTES, relayStreamRecords } from '../../../lambdas/outbox-relay/relay';
import { KinesisPublisher } from '../../../lambdas/shared/kinesis';
import { history } from '../../helpers/account-events';
import { insertRecord } from '../../helpers/dynamodb-stream-records';
import { FakeDeadLetterQueue } from '../../helpers/fake-dead-letter-queue';
import { FakePutRecordsPort } from '../../helpers/fake-put-records-port';
import { silentLogger } from '../../helpers/silent-logger';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const HOUR = 60 * 60 * 1000;
const a = history('acc-a').opened().deposit(10).stored();

/** An INSERT record created `ageMs` before {@link NOW}. */
function agedRecord(event: (typeof a)[number], ageMs: number): DynamoDBRecord {
  const record = insertRecord(event);
  return { ...record, dynamodb: { ...record.dynamodb, ApproximateCreationDateTime: (NOW - ageMs) / 1000 } };
}

function relayFailingAccountA() {
  const port = new FakePutRecordsPort((entry) => (entry.partitionKey === 'acc-a' ? 'InternalFailure' : undefined));
  const publisher = new KinesisPublisher(port, { maxAttempts: 2, sleep: async () => undefined, random: () => 0 });
  const dlq = new FakeDeadLetterQueue();
  const run = (records: DynamoDBRecord[]) =>
    relayStreamRecords(records, { publisher, logger: silentLogger(), deadLetters: dlq, deadLetterAfterMs: 23 * HOUR, clock: () => new Date(NOW) });
  return { dlq, run };
}

describe('outbox relay: giving up an unpublishable record', () => {
  it('retries a failed record younger than the retry age, and dead-letters nothing', async () => {
    const { dlq, run } = relayFailingAccountA();
    const record = agedRecord(a[0], 22 * HOUR);

    const response = await run([record]);

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.dynamodb!.SequenceNumber }]);
    expect(dlq.messages).toEqual([]);
  });

  it('sends a record past the retry age whole to the DLQ and acknowledges it, so a redrive needs no stream', async () => {
    const { dlq, run } = relayFailingAccountA();
    const record = agedRecord(a[0], 23 * HOUR);

    const response = await run([record]);

    expect(response.batchItemFailures).toEqual([]);
    expect(dlq.letters()).toEqual([
      expect.objectContaining({
        reason: 'relay_retries_exhausted',
        consumer: 'outbox-relay',
        record: expect.objectContaining({ sequenceNumber: record.dynamodb!.SequenceNumber, keys: record.dynamodb!.Keys, newImage: record.dynamodb!.NewImage }),
      }),
    ]);
  });

  it('says in the letter which Kinesis error kept the record off the stream', async () => {
    const { dlq, run } = relayFailingAccountA();

    await run([agedRecord(a[0], 23 * HOUR)]);

    const [letter] = dlq.letters();
    expect(letter.message).toContain('InternalFailure');
    expect(letter.message).not.toContain('[object Object]');
  });

  it('names the stored event instead of carrying an image too big for SQS', async () => {
    const { dlq, run } = relayFailingAccountA();
    const big = { ...a[1], data: { ...(a[1].data as object), reference: 'r'.repeat(MAX_DEAD_LETTER_BYTES) } };
    const record = agedRecord(big as (typeof a)[number], 24 * HOUR);

    await run([record]);

    const [letter] = dlq.letters();
    expect(letter.record).toEqual(expect.objectContaining({ keys: record.dynamodb!.Keys, imageIn: 'event-store' }));
    expect(letter.record.newImage).toBeUndefined();
    expect(Buffer.byteLength(dlq.messages[0].body)).toBeLessThan(MAX_DEAD_LETTER_BYTES);
  });

  it('fails the record (to be retried) when the DLQ refuses the letter', async () => {
    const { dlq, run } = relayFailingAccountA();
    dlq.broken = true;
    const record = agedRecord(a[0], 23 * HOUR);

    expect((await run([record])).batchItemFailures).toEqual([{ itemIdentifier: record.dynamodb!.SequenceNumber }]);
  });
});

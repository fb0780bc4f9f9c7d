import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { deleteMine, peekAll } from './support/queues';
import { waitSettled } from './support/settled';
import { clients, output } from './support/target';

const STREAM_CONSUMER_DLQS = [
  ['projector', 'ProjectorDlqUrl'],
  ['notifier', 'NotifierDlqUrl'],
  ['state-transfer', 'StateTransferConsumerDlqUrl'],
  ['fraud-detector', 'FraudDetectorDlqUrl'],
] as const;

/** Sequence numbers of the poison records this file put on the stream: their letters are removed after the test. */
const mySequences = new Set<string>();
afterAll(async () => {
  for (const [, dlq] of STREAM_CONSUMER_DLQS) {
    await deleteMine(output(dlq), (body) => mySequences.has(body?.record?.sequenceNumber ?? body?.KinesisBatchInfo?.startSequenceNumber));
  }
});

describe('failure path: poison records', () => {
  it('go once each, with the reason, to every stream consumer DLQ, cost no retries, and the rest of the batch is processed', async () => {
    const run = Date.now().toString(36);
    const now = new Date().toISOString();
    const envelope = (i: number, type: string, data: unknown, subject: string) => ({
      specversion: '1.0',
      id: `01J${run.toUpperCase().padEnd(10, '0').slice(0, 10)}${String(i).padStart(13, '0')}`,
      source: 'test/poison',
      type,
      time: now,
      subject,
      datacontenttype: 'application/json',
      partitionkey: subject,
      data,
    });
    const good = Array.from({ length: 9 }, (_, i) => {
      const cardId = `card-${run}-${i}`;
      const data = { cardId, accountId: 'acc-poison', amount: 10, merchant: 'm', country: 'NL', at: now };
      return { cardId, record: { PartitionKey: cardId, Data: Buffer.from(JSON.stringify(envelope(i, 'sluice.card.swiped.v1', data, cardId))) } };
    });
    const poisons = [
      { reason: 'undecodable_record', record: { PartitionKey: `poison-${run}-a`, Data: Buffer.from(`{"this is": "not an event", "run": "${run}"}`) } },
      {
        reason: 'unknown_event_type',
        record: { PartitionKey: `poison-${run}-b`, Data: Buffer.from(JSON.stringify(envelope(97, 'sluice.card.cloned.v1', {}, `poison-${run}-b`))) },
      },
      {
        reason: 'validation_failed',
        record: {
          PartitionKey: `poison-${run}-c`,
          Data: Buffer.from(JSON.stringify(envelope(98, 'sluice.card.swiped.v1', { cardId: `poison-${run}-c`, amount: -5 }, `poison-${run}-c`))),
        },
      },
    ];
    const records = [
      ...good.slice(0, 3).map((g) => g.record),
      poisons[0].record,
      ...good.slice(3, 6).map((g) => g.record),
      poisons[1].record,
      poisons[2].record,
      ...good.slice(6).map((g) => g.record),
    ];
    const put = await clients.kinesis.send(new PutRecordsCommand({ StreamName: output('EventsStreamName'), Records: records }));
    expect(put.FailedRecordCount).toBe(0);
    const sequenceOf = (record: (typeof records)[number]) => put.Records![records.indexOf(record)]!.SequenceNumber!;
    for (const poison of poisons) mySequences.add(sequenceOf(poison.record));

    // The good records are processed: the fraud detector keeps a window for each of their cards.
    const windowsOf = () =>
      Promise.all(
        good.map(({ cardId }) => clients.dynamo.send(new GetCommand({ TableName: output('FraudWindowsTableName'), Key: { cardId }, ConsistentRead: true }))),
      );
    await waitSettled({ probe: windowsOf, until: (windows) => windows.every((r) => r.Item !== undefined), what: 'a fraud window for every good card' });

    // Each poison record, and only it, reaches every stream consumer's DLQ once, sent by the consumer with the reason.
    const goodSequences = new Set(good.map((g) => sequenceOf(g.record)));
    for (const [consumer, dlq] of STREAM_CONSUMER_DLQS) {
      // Every message of the DLQ is read (other suites' letters may sit there too); only this run's are counted.
      const messages = await waitSettled({
        probe: () => peekAll(output(dlq)),
        until: (list) => poisons.every((p) => list.some((m) => m.body?.record?.sequenceNumber === sequenceOf(p.record))),
        what: `poison records in ${dlq}`,
      });
      for (const poison of poisons) {
        const letters = messages.filter((m) => m.body?.record?.sequenceNumber === sequenceOf(poison.record));
        expect(letters).toHaveLength(1);
        expect(letters[0]!.body).toMatchObject({
          reason: poison.reason,
          message: expect.any(String),
          consumer,
          record: {
            eventSourceARN: expect.stringContaining(output('EventsStreamName')),
            sequenceNumber: sequenceOf(poison.record),
            partitionKey: poison.record.PartitionKey,
            data: poison.record.Data.toString('base64'),
            approximateArrivalTimestamp: expect.any(Number),
          },
          failedAt: expect.any(String),
        });
        // Acknowledged, not failed: the mapping never retried it into its own failure record.
        expect(messages.filter((m) => m.body?.KinesisBatchInfo?.startSequenceNumber === sequenceOf(poison.record))).toEqual([]);
      }
      expect(messages.filter((m) => goodSequences.has(m.body?.record?.sequenceNumber ?? m.body?.KinesisBatchInfo?.startSequenceNumber))).toEqual([]);
    }
  });
});

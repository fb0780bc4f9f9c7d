import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { eventually } from './support/eventually';
import { peekQueue } from './support/queues';
import { clients, output } from './support/target';

describe('failure path: a poison record', () => {
  it('lands alone in each consumer DLQ while the other records of its batch are processed', async () => {
    const run = Date.now().toString(36);
    const good = Array.from({ length: 9 }, (_, i) => {
      const cardId = `card-${run}-${i}`;
      return {
        cardId,
        record: {
          PartitionKey: cardId,
          Data: Buffer.from(JSON.stringify({
            specversion: '1.0', id: `01J${run.toUpperCase().padEnd(10, '0').slice(0, 10)}${String(i).padStart(13, '0')}`,
            source: 'test/poison', type: 'sluice.card.swiped.v1', time: new Date().toISOString(), subject: cardId,
            datacontenttype: 'application/json', partitionkey: cardId,
            data: { cardId, accountId: 'acc-poison', amount: 10, merchant: 'm', country: 'NL', at: new Date().toISOString() },
          })),
        },
      };
    });
    const poison = { PartitionKey: `poison-${run}`, Data: Buffer.from(`{"this is": "not an event", "run": "${run}"}`) };
    const records = [...good.slice(0, 5).map((g) => g.record), poison, ...good.slice(5).map((g) => g.record)];
    const put = await clients.kinesis.send(new PutRecordsCommand({ StreamName: output('EventsStreamName'), Records: records }));
    expect(put.FailedRecordCount).toBe(0);
    const poisonSequence = put.Records![5]!.SequenceNumber!;

    // The good records are processed: the fraud detector keeps a window for each of their cards.
    for (const { cardId } of good) {
      await eventually(
        () => clients.dynamo.send(new GetCommand({ TableName: output('FraudWindowsTableName'), Key: { cardId } })),
        (r) => r.Item !== undefined,
        { what: `fraud window of ${cardId}`, timeoutMs: 60_000 },
      );
    }

    // The poison record, and only it, reaches the DLQ of every stream consumer, in AWS's failure record shape.
    for (const dlq of ['ProjectorDlqUrl', 'NotifierDlqUrl', 'StateTransferConsumerDlqUrl', 'FraudDetectorDlqUrl']) {
      const messages = await eventually(
        () => peekQueue(output(dlq)),
        (list) => list.some((m) => m.body?.KinesisBatchInfo?.startSequenceNumber === poisonSequence),
        { what: `poison record in ${dlq}`, timeoutMs: 60_000 },
      );
      const ours = messages.filter((m) => m.body?.KinesisBatchInfo?.startSequenceNumber === poisonSequence);
      expect(ours).toHaveLength(1);
      expect(ours[0]!.body.KinesisBatchInfo).toMatchObject({ batchSize: 1, endSequenceNumber: poisonSequence });
      expect(ours[0]!.body.requestContext.condition).toBe('RetryAttemptsExhausted');
      const goodSequences = new Set(put.Records!.filter((_, i) => i !== 5).map((r) => r.SequenceNumber));
      expect(messages.filter((m) => goodSequences.has(m.body?.KinesisBatchInfo?.startSequenceNumber))).toEqual([]);
    }
  });
});

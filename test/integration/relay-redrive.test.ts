/**
 * Nothing lost on the failure path: an outbox record the relay cannot publish before its retry age
 * goes whole into the relay's DLQ, and `sluice redrive outbox-relay` publishes it from there while
 * every DynamoDB Streams call fails, i.e. after the stream's records are gone.
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { sluice } from './cli/run-cli';
import { chaos } from './faults/support/chaos';
import { api } from './support/http';
import { peekAll } from './support/queues';
import { waitSettled } from './support/settled';
import { eventStoreStreamRecord } from '../support/factories/event-store-stream-record';
import { readWholeStream } from './support/stream';
import { storedEvents, uniqueId } from './support/accounts';
import { clients, output } from './support/target';

const lambda = new LambdaClient({ region: process.env.AWS_REGION ?? 'us-east-1' });
const ddb = clients.dynamo;
afterEach(() => chaos.clear());
afterAll(() => lambda.destroy());

async function relayFunctionName(): Promise<string> {
  const { Functions = [] } = await lambda.send(new ListFunctionsCommand({}));
  const found = Functions.map((f) => f.FunctionName!).find((name) => name.includes('-OutboxRelay'));
  if (!found) throw new Error('no outbox relay function');
  return found;
}

/** Copies of an event on the events stream. */
async function copiesOnStream(eventId: string): Promise<number> {
  return (await readWholeStream(output('EventsStreamName'))).filter((r) => r.data.includes(eventId)).length;
}

describe('outbox relay dead letters', () => {
  it('carry the whole record, and a redrive publishes it with the DynamoDB stream unavailable', async () => {
    // A real deposit, published once by the relay.
    const accountId = uniqueId('relay');
    expect((await api('POST', '/accounts', { accountId, owner: 'Ada', currency: 'EUR' })).status).toBe(201);
    expect((await api('POST', `/accounts/${accountId}/deposits`, { amount: 4200 })).status).toBe(201);
    const deposit = (await storedEvents(accountId))[1];
    await waitSettled({ probe: () => copiesOnStream(deposit.eventId), until: (n) => n === 1, what: 'the deposit once on the events stream' });
    await clients.sqs.send(new PurgeQueueCommand({ QueueUrl: output('OutboxRelayDlqUrl') }));

    // Its stream record, 25 h old, delivered to the relay while Kinesis refuses that account's records.
    const { Item } = await ddb.send(
      new GetItemCommand({
        TableName: output('EventStoreTableName'),
        Key: { streamId: { S: `account#${accountId}` }, version: { N: '2' } },
        ConsistentRead: true,
      }),
    );
    const record = eventStoreStreamRecord(Item!, { createdAt: new Date(Date.now() - 25 * 60 * 60 * 1000) });
    const keys = record.dynamodb!.Keys;
    await chaos.add([{ service: 'kinesis', operation: 'PutRecords', match: accountId, error: { statusCode: 500, code: 'InternalFailure' } }]);
    const invoked = await lambda.send(new InvokeCommand({ FunctionName: await relayFunctionName(), Payload: Buffer.from(JSON.stringify({ Records: [record] })) }));
    expect(JSON.parse(Buffer.from(invoked.Payload!).toString('utf8'))).toEqual({ batchItemFailures: [] });
    await chaos.clear();

    const letters = (await peekAll(output('OutboxRelayDlqUrl'))).map((m) => m.body);
    expect(letters).toEqual([
      expect.objectContaining({ reason: 'relay_retries_exhausted', consumer: 'outbox-relay', record: expect.objectContaining({ keys, newImage: Item }) }),
    ]);

    // The DynamoDB stream is gone: every DynamoDB Streams call fails while the redrive runs.
    const [streamsDown] = await chaos.add([{ service: 'dynamodbstreams', error: { statusCode: 400, code: 'TrimmedDataAccessException' } }]);
    const redrive = await sluice(['redrive', 'outbox-relay', '--yes', '--json']);
    expect({ code: redrive.code, stderr: redrive.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(redrive.json()).toMatchObject({ moved: 1, failed: 0, messages: [expect.objectContaining({ status: 'redriven', records: 1 })] });
    expect((await chaos.list()).find((f) => f.id === streamsDown.id)).toBeDefined();
    await chaos.clear();

    // Published again from the letter alone, exactly once more; consumers drop the duplicate.
    await waitSettled({ probe: () => copiesOnStream(deposit.eventId), until: (n) => n === 2, what: 'the deposit twice on the events stream' });
    const { body } = await waitSettled({
      probe: () => api('GET', `/accounts/${accountId}`),
      until: (r) => r.status === 200 && r.body.version === 2,
      what: 'read model at v2',
    });
    expect(body.balance).toBe(4200);
  });
});

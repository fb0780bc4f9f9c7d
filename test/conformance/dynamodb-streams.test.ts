/**
 * DynamoDB Streams event source mappings: the order of an item's changes, the NEW_AND_OLD_IMAGES
 * record shape, partial batch responses, bisect, retries and the on-failure record.
 */
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ProbeSpec } from './app/functions/probe-spec';
import { OUTPUT, STREAM_SCENARIOS, type StreamScenarioName } from './app/scenarios';
import { conformance, newRun } from './support/conformance';
import { deliveries, deliveryOrder, invocations, waitForDeliveries, waitForInvocations } from './support/observations';
import { waitForFailureRecord } from './support/sources';
import { clients, output } from './support/target';
import { warmUp } from './support/warm-up';

const DDB = 'https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html';
const PARTIAL = 'https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html';

/** Writes one version of the run's item: its `probe` attribute says what the probe does with the record. */
async function putVersion(scenario: StreamScenarioName, spec: ProbeSpec, extra: Record<string, unknown> = {}): Promise<void> {
  await clients.dynamo.send(
    new PutCommand({ TableName: output(OUTPUT.source(scenario)), Item: { pk: spec.run, probe: JSON.stringify({ probe: spec }), ...extra } }),
  );
}

interface StreamRecordShape {
  eventName: string;
  eventSource: string;
  eventVersion: string;
  eventSourceARN: string;
  awsRegion: string;
  dynamodb: {
    Keys: unknown;
    NewImage?: Record<string, unknown>;
    OldImage?: Record<string, unknown>;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: string;
    ApproximateCreationDateTime: number;
  };
}

warmUp(['dynamodbPartial', 'dynamodbBisect']);

describe('DynamoDB Streams event source mapping: order and record shape', () => {
  conformance('delivers the changes of an item in the order they were made', DDB, 'Records are always processed in order the first time.', async () => {
    const run = newRun('ddb-order');
    await putVersion('dynamodbPartial', { run, id: 'v1' });
    await putVersion('dynamodbPartial', { run, id: 'v2' });
    await clients.dynamo.send(new DeleteCommand({ TableName: output(OUTPUT.source('dynamodbPartial')), Key: { pk: run } }));
    const observed = await waitForDeliveries(run, ['v1:INSERT', 'v2:MODIFY', 'v2:REMOVE']);
    expect(deliveryOrder(observed)).toEqual(['v1:INSERT', 'v2:MODIFY', 'v2:REMOVE']);
  });

  conformance(
    'with NEW_AND_OLD_IMAGES, a MODIFY record carries the keys, the new and the old image',
    DDB,
    'Lambda reads records from the stream and invokes your function synchronously with an event that contains stream records. (example event: "StreamViewType": "NEW_AND_OLD_IMAGES" with Keys, NewImage and OldImage)',
    async () => {
      const run = newRun('ddb-images');
      await putVersion('dynamodbPartial', { run, id: 'v1' }, { n: 1 });
      await putVersion('dynamodbPartial', { run, id: 'v2' }, { n: 2 });
      const observed = await waitForDeliveries(run, ['v1:INSERT', 'v2:MODIFY']);
      const modify = observed.flatMap((observation) => observation.records as StreamRecordShape[]).find((record) => record.eventName === 'MODIFY')!;
      expect(modify).toMatchObject({
        eventSource: 'aws:dynamodb',
        eventVersion: '1.1',
        awsRegion: expect.any(String),
        eventSourceARN: expect.stringMatching(new RegExp(`:table/${output(OUTPUT.source('dynamodbPartial'))}/stream/`)),
        dynamodb: {
          Keys: { pk: { S: run } },
          NewImage: { pk: { S: run }, n: { N: '2' }, probe: { S: expect.any(String) } },
          OldImage: { pk: { S: run }, n: { N: '1' }, probe: { S: expect.any(String) } },
          SequenceNumber: expect.stringMatching(/^\d+$/),
          SizeBytes: expect.any(Number),
          StreamViewType: 'NEW_AND_OLD_IMAGES',
          ApproximateCreationDateTime: expect.any(Number),
        },
      });
    },
  );

  conformance(
    'a REMOVE record carries the old image and no new image',
    DDB,
    'Lambda reads records from the stream and invokes your function synchronously with an event that contains stream records. (paraphrased: a REMOVE has only the OldImage)',
    async () => {
      const run = newRun('ddb-remove');
      await putVersion('dynamodbPartial', { run, id: 'v1' });
      await clients.dynamo.send(new DeleteCommand({ TableName: output(OUTPUT.source('dynamodbPartial')), Key: { pk: run } }));
      const observed = await waitForDeliveries(run, ['v1:REMOVE']);
      const remove = observed.flatMap((observation) => observation.records as StreamRecordShape[]).find((record) => record.eventName === 'REMOVE')!;
      expect(remove.dynamodb.OldImage).toMatchObject({ pk: { S: run } });
      expect(remove.dynamodb.NewImage).toBeUndefined();
    },
  );
});

describe('DynamoDB Streams event source mapping: failures', () => {
  conformance(
    'checkpoints before a reported SequenceNumber and retries from it',
    PARTIAL,
    'If the batchItemFailures array contains multiple items, Lambda uses the record with the lowest sequence number as the checkpoint. Lambda then retries all records starting from that checkpoint.',
    async () => {
      const run = newRun('ddb-partial');
      await putVersion('dynamodbPartial', { run, id: 'v1' });
      await putVersion('dynamodbPartial', { run, id: 'v2', failTimes: 1 });
      await putVersion('dynamodbPartial', { run, id: 'v3' });
      const observed = await waitForDeliveries(run, ['v2:MODIFY'], 2);
      const afterFailure = observed.findIndex((observation) => observation.ids.includes('v2:MODIFY'));
      expect(observed[afterFailure + 1].ids).toEqual(['v2:MODIFY', 'v3:MODIFY']);
      expect(deliveries(observed, 'v1:INSERT')).toBe(1);
    },
  );

  conformance(
    'retries MaximumRetryAttempts times, then sends an on-failure record with DDBStreamBatchInfo',
    DDB,
    "When Lambda discards a batch of records that's too old or has exhausted all retries, Lambda sends details about the batch to the queue or topic.",
    async () => {
      const run = newRun('ddb-retries');
      await putVersion('dynamodbPartial', { run, id: 'v1', failTimes: -1, how: 'throw' });
      const [first] = await waitForDeliveries(run, ['v1:INSERT']);
      const sequenceNumber = first.itemIdentifiers[0];
      const failure = await waitForFailureRecord('dynamodbPartial', [sequenceNumber]);
      expect(failure).toMatchObject({
        requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 1 + STREAM_SCENARIOS.dynamodbPartial.retryAttempts },
        responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
        version: '1.0',
        DDBStreamBatchInfo: {
          shardId: expect.any(String),
          startSequenceNumber: sequenceNumber,
          endSequenceNumber: sequenceNumber,
          approximateArrivalOfFirstRecord: expect.any(String),
          approximateArrivalOfLastRecord: expect.any(String),
          batchSize: 1,
          streamArn: expect.stringMatching(new RegExp(`:table/${output(OUTPUT.source('dynamodbPartial'))}/stream/`)),
        },
      });
      expect(deliveries(await invocations(run), 'v1:INSERT')).toBe(1 + STREAM_SCENARIOS.dynamodbPartial.retryAttempts);
    },
  );

  conformance(
    'bisects a failing batch and discards only the bad record',
    DDB,
    'Split batch on error – When the function returns an error, split the batch into two before retrying.',
    async () => {
      const run = newRun('ddb-bisect');
      for (const [index, spec] of [{ id: 'v1' }, { id: 'v2' }, { id: 'v3', failTimes: -1, how: 'throw' as const }, { id: 'v4' }].entries()) {
        await putVersion('dynamodbBisect', { run, ...spec }, { n: index });
      }
      const observed = await waitForInvocations(
        run,
        'v4 processed after the bad record',
        (all) => deliveries(all, 'v4:MODIFY') >= 1 && all.some((o) => o.ids.length === 1 && o.ids[0] === 'v3:MODIFY'),
      );
      expect(observed[0].ids).toEqual(['v1:INSERT', 'v2:MODIFY', 'v3:MODIFY', 'v4:MODIFY']);
      expect(observed[1].ids).toEqual(['v1:INSERT', 'v2:MODIFY']);
    },
  );
});

/**
 * Kinesis event source mappings: ordering, batching, partial batch responses, retries, bisect,
 * the on-failure record and throttling, each as the Lambda developer guide documents it.
 */
import { OUTPUT, STREAM_SCENARIOS } from './app/scenarios';
import { conformance, newRun } from './support/conformance';
import { deliveries, deliveryOrder, invocations, waitForDeliveries, waitForInvocations } from './support/observations';
import { expectStays } from './support/settled';
import { compareSequenceNumbers, putKinesisRecords, specs, takeFailureRecord, waitForFailureRecord } from './support/sources';
import { output } from './support/target';
import { warmUp } from './support/warm-up';

const KINESIS = 'https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html';
const PARTIAL = 'https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html';
const ON_FAILURE = 'https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html';
/** Long enough for a retry the mapping should NOT make to show up (retries here are immediate or a few hundred ms apart). */
const QUIET_MS = 4000;

const delivered = (ids: readonly string[], times: number) => async (run: string) => {
  const observed = await invocations(run);
  for (const id of ids) expect({ id, deliveries: deliveries(observed, id) }).toEqual({ id, deliveries: times });
};

warmUp(['kinesisBatching', 'kinesisPartial', 'kinesisBisect', 'kinesisBisectPartial']);

describe('Kinesis event source mapping: order and batching', () => {
  conformance('delivers the records of a shard in sequence-number order', KINESIS, 'Lambda processes records in each shard in order.', async () => {
    const run = newRun('kinesis-order');
    const written = await putKinesisRecords('kinesisBatching', specs(run, 7));
    const observed = await waitForDeliveries(
      run,
      written.map((record) => record.id),
    );
    expect(deliveryOrder(observed)).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7']);
    const sequence = observed.flatMap((observation) => observation.itemIdentifiers);
    expect([...sequence].sort(compareSequenceNumbers)).toEqual(sequence);
  });

  conformance(
    'never puts more than BatchSize records in one invocation',
    KINESIS,
    'Batch size – The number of records to send to the function in each batch, up to 10,000.',
    async () => {
      const run = newRun('kinesis-batch-size');
      await putKinesisRecords('kinesisBatching', specs(run, 7));
      const observed = await waitForDeliveries(run, ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7']);
      const sizes = observed.map((observation) => observation.batchSize);
      expect(Math.max(...sizes)).toBe(STREAM_SCENARIOS.kinesisBatching.batchSize);
    },
  );

  conformance(
    'with a batching window, gathers records written separately into one batch',
    KINESIS,
    'Before invoking the function, Lambda continues to read records from the event source until it has gathered a full batch, the batching window expires, or the batch reaches the payload limit of 6 MB.',
    async () => {
      const run = newRun('kinesis-window');
      await putKinesisRecords('kinesisBatching', [{ run, id: 'first' }]);
      await putKinesisRecords('kinesisBatching', [{ run, id: 'second' }]);
      const observed = await waitForDeliveries(run, ['first', 'second']);
      expect(observed.map((observation) => observation.ids)).toEqual([['first', 'second']]);
    },
  );

  conformance(
    'invokes the function with the Kinesis event record shape',
    KINESIS,
    'Lambda reads records from the data stream and invokes your function synchronously with an event that contains stream records.',
    async () => {
      const run = newRun('kinesis-shape');
      const [written] = await putKinesisRecords('kinesisBatching', [{ run, id: 'r1' }]);
      const [observation] = await waitForDeliveries(run, ['r1']);
      const streamName = output(OUTPUT.source('kinesisBatching'));
      expect(observation.records[0]).toEqual({
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: run,
          sequenceNumber: written.sequenceNumber,
          data: Buffer.from(JSON.stringify({ probe: { run, id: 'r1' } })).toString('base64'),
          approximateArrivalTimestamp: expect.any(Number),
        },
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `${written.shardId}:${written.sequenceNumber}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: expect.stringMatching(/^arn:aws[a-z-]*:iam::\d{12}:role\//),
        awsRegion: expect.any(String),
        eventSourceARN: expect.stringMatching(new RegExp(`^arn:aws[a-z-]*:kinesis:[a-z0-9-]+:\\d{12}:stream/${streamName}$`)),
      });
    },
  );
});

describe('Kinesis event source mapping: partial batch responses (ReportBatchItemFailures)', () => {
  conformance(
    'checkpoints before a reported failure and retries from the reported record',
    PARTIAL,
    'Lambda then retries all records starting from that checkpoint.',
    async () => {
      const run = newRun('kinesis-partial');
      await putKinesisRecords('kinesisPartial', specs(run, 5, { 3: { failTimes: 1 } }));
      const observed = await waitForDeliveries(run, ['r3'], 2);
      expect(observed.map((observation) => observation.ids)).toEqual([
        ['r1', 'r2', 'r3', 'r4', 'r5'],
        ['r3', 'r4', 'r5'],
      ]);
    },
  );

  conformance(
    'with several reported failures, resumes from the lowest sequence number',
    PARTIAL,
    'If the batchItemFailures array contains multiple items, Lambda uses the record with the lowest sequence number as the checkpoint.',
    async () => {
      const run = newRun('kinesis-lowest');
      await putKinesisRecords('kinesisPartial', specs(run, 5, { 2: { failTimes: 1 }, 4: { failTimes: 1 } }));
      const observed = await waitForDeliveries(run, ['r2', 'r4'], 2);
      expect(observed.map((observation) => observation.ids)).toEqual([
        ['r1', 'r2', 'r3', 'r4', 'r5'],
        ['r2', 'r3', 'r4', 'r5'],
      ]);
    },
  );

  for (const [what, respond, quote] of [
    ['an empty batchItemFailures list', 'empty-list', 'An empty batchItemFailure list'],
    ['a null batchItemFailures list', 'null-list', 'A null batchItemFailure list'],
    ['a null response', 'null', 'A null EventResponse'],
  ] as const) {
    conformance(
      `treats ${what} as a complete success`,
      PARTIAL,
      `Lambda treats a batch as a complete success if you return any of the following: ${quote}`,
      async () => {
        const run = newRun(`kinesis-${respond}`);
        // r2 would be reported as failed, but r1's response replaces the whole answer every time.
        await putKinesisRecords('kinesisPartial', specs(run, 3, { 1: { respond, respondTimes: 99 }, 2: { failTimes: -1 } }));
        await waitForDeliveries(run, ['r1', 'r2', 'r3']);
        await expectStays(() => delivered(['r1', 'r2', 'r3'], 1)(run), QUIET_MS);
      },
    );
  }

  conformance(
    'treats an empty-string itemIdentifier as a complete failure',
    PARTIAL,
    'Lambda treats a batch as a complete failure if you return any of the following: An empty string itemIdentifier',
    async () => {
      const run = newRun('kinesis-empty-id');
      await putKinesisRecords('kinesisPartial', specs(run, 3, { 1: { respond: 'empty-id' } }));
      const observed = await waitForDeliveries(run, ['r1', 'r2', 'r3'], 2);
      expect(observed.map((observation) => observation.ids)).toEqual([
        ['r1', 'r2', 'r3'],
        ['r1', 'r2', 'r3'],
      ]);
    },
  );
});

describe('Kinesis event source mapping: retries and the on-failure destination', () => {
  conformance(
    'retries a failing record MaximumRetryAttempts times, then sends it to the on-failure destination',
    KINESIS,
    'Retry attempts – The maximum number of times that Lambda retries when the function returns an error.',
    async () => {
      const run = newRun('kinesis-retries');
      const [written] = await putKinesisRecords('kinesisPartial', [{ run, id: 'r1', failTimes: -1, how: 'throw' }]);
      const failure = await waitForFailureRecord('kinesisPartial', [written.sequenceNumber]);
      expect(failure.requestContext.condition).toBe('RetryAttemptsExhausted');
      expect(deliveries(await invocations(run), 'r1')).toBe(1 + STREAM_SCENARIOS.kinesisPartial.retryAttempts);
    },
  );

  conformance(
    'after discarding a batch, goes on with the next records of the shard',
    KINESIS,
    'If the error handling measures fail, Lambda discards the records and continues processing batches from the stream.',
    async () => {
      const run = newRun('kinesis-continue');
      const [poison] = await putKinesisRecords('kinesisPartial', [{ run, id: 'poison', failTimes: -1, how: 'throw' }]);
      await waitForFailureRecord('kinesisPartial', [poison.sequenceNumber]);
      await putKinesisRecords('kinesisPartial', [{ run, id: 'next' }]);
      await waitForDeliveries(run, ['next']);
    },
  );

  conformance(
    'the on-failure record names the request, the function, the condition and the invoke count (requestContext)',
    ON_FAILURE,
    'Each record sent to the destination is a JSON document that contains metadata about the failed invocation. (paraphrased from the example invocation record: requestContext has requestId, functionArn, condition, approximateInvokeCount)',
    async () => {
      const run = newRun('kinesis-request-context');
      const [written] = await putKinesisRecords('kinesisPartial', [{ run, id: 'r1', failTimes: -1, how: 'throw' }]);
      const failure = await waitForFailureRecord('kinesisPartial', [written.sequenceNumber]);
      expect(failure.requestContext).toEqual({
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        functionArn: expect.stringMatching(new RegExp(`^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:${output(OUTPUT.functionName('kinesisPartial'))}$`)),
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 1 + STREAM_SCENARIOS.kinesisPartial.retryAttempts,
      });
    },
  );

  conformance(
    'the on-failure record carries the last response: status code, executed version, function error (responseContext)',
    ON_FAILURE,
    'The following example shows an invocation record for a Kinesis stream. (paraphrased: responseContext has statusCode 200, executedVersion "$LATEST" and functionError "Unhandled" for a function error)',
    async () => {
      const run = newRun('kinesis-response-context');
      const [written] = await putKinesisRecords('kinesisPartial', [{ run, id: 'r1', failTimes: -1, how: 'throw' }]);
      const failure = await waitForFailureRecord('kinesisPartial', [written.sequenceNumber]);
      expect(failure.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    },
  );

  conformance(
    'the on-failure record has version 1.0 and an ISO-8601 timestamp',
    ON_FAILURE,
    'The following example shows an invocation record for a Kinesis stream. (paraphrased: "version": "1.0", "timestamp": "2019-11-14T00:38:06.021Z")',
    async () => {
      const run = newRun('kinesis-version');
      const [written] = await putKinesisRecords('kinesisPartial', [{ run, id: 'r1', failTimes: -1, how: 'throw' }]);
      const failure = await waitForFailureRecord('kinesisPartial', [written.sequenceNumber]);
      expect(failure.version).toBe('1.0');
      expect(failure.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
    },
  );

  conformance(
    'the on-failure record locates the discarded records (KinesisBatchInfo) without including them',
    ON_FAILURE,
    "The actual records aren't included, so you must process this record and retrieve them from the stream before they expire and are lost.",
    async () => {
      const run = newRun('kinesis-batch-info');
      const [written] = await putKinesisRecords('kinesisPartial', [{ run, id: 'r1', failTimes: -1, how: 'throw' }]);
      const failure = await waitForFailureRecord('kinesisPartial', [written.sequenceNumber]);
      const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
      expect(failure.KinesisBatchInfo).toEqual({
        shardId: written.shardId,
        startSequenceNumber: written.sequenceNumber,
        endSequenceNumber: written.sequenceNumber,
        approximateArrivalOfFirstRecord: expect.stringMatching(iso),
        approximateArrivalOfLastRecord: expect.stringMatching(iso),
        batchSize: 1,
        streamArn: expect.stringMatching(new RegExp(`:stream/${output(OUTPUT.source('kinesisPartial'))}$`)),
      });
      // The partition key is the run id: a record included in the message would show it.
      expect(JSON.stringify(failure)).not.toContain(run);
    },
  );
});

describe('Kinesis event source mapping: bisect (BisectBatchOnFunctionError)', () => {
  conformance(
    'splits a failing batch in two before retrying',
    KINESIS,
    'Split batch on error – When the function returns an error, split the batch into two before retrying.',
    async () => {
      const run = newRun('kinesis-bisect');
      await putKinesisRecords('kinesisBisect', specs(run, 4, { 3: { failTimes: -1, how: 'throw' } }));
      const observed = await waitForInvocations(run, 'a second invocation', (all) => all.length >= 2);
      expect(observed.slice(0, 2).map((observation) => observation.ids)).toEqual([
        ['r1', 'r2', 'r3', 'r4'],
        ['r1', 'r2'],
      ]);
    },
  );

  conformance(
    'splitting does not count towards the retry quota: the bad record is isolated and discarded alone',
    KINESIS,
    'Splitting a batch does not count towards the retry quota.',
    async () => {
      const run = newRun('kinesis-bisect-quota');
      const written = await putKinesisRecords('kinesisBisect', specs(run, 4, { 3: { failTimes: -1, how: 'throw' } }));
      const failure = await waitForFailureRecord(
        'kinesisBisect',
        written.map((record) => record.sequenceNumber),
      );
      expect(failure.KinesisBatchInfo).toMatchObject({ batchSize: 1, startSequenceNumber: written[2].sequenceNumber, endSequenceNumber: written[2].sequenceNumber });
      const observed = await waitForDeliveries(run, ['r4']);
      const alone = observed.filter((observation) => observation.ids.length === 1 && observation.ids[0] === 'r3').length;
      expect(alone).toBe(1 + STREAM_SCENARIOS.kinesisBisect.retryAttempts);
      for (const id of ['r1', 'r2']) expect(deliveries(observed, id)).toBeLessThanOrEqual(2);
    },
  );

  conformance(
    'with partial batch responses too, splits at the reported record and retries only the rest',
    PARTIAL,
    'When a partial batch success response is received and both BisectBatchOnFunctionError and ReportBatchItemFailures are turned on, the batch is bisected at the returned sequence number and Lambda retries only the remaining records.',
    async () => {
      const run = newRun('kinesis-bisect-partial');
      await putKinesisRecords('kinesisBisectPartial', specs(run, 6, { 3: { failTimes: 1 } }));
      const observed = await waitForDeliveries(run, ['r3'], 2);
      await expectStays(() => delivered(['r4', 'r5', 'r6'], 2)(run), QUIET_MS);
      expect(observed.map((observation) => observation.ids)).toEqual([
        ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'],
        ['r3', 'r4', 'r5', 'r6'],
      ]);
    },
  );
});

describe('Kinesis event source mapping: throttling', () => {
  conformance(
    'a throttled function (reserved concurrency 0) is not invoked and throttles use no retry attempts',
    ON_FAILURE,
    'Before invocation: If a Lambda event source mapping is unable to invoke the function due to throttling or other issues, it retries until the records expire or exceed the maximum age configured on the event source mapping (MaximumRecordAgeInSeconds).',
    async () => {
      const run = newRun('kinesis-throttled');
      const [written] = await putKinesisRecords('kinesisThrottled', [{ run, id: 'r1' }]);
      // MaximumRetryAttempts is 0: were a throttle counted, the record would reach the destination at once.
      await expectStays(async () => {
        expect(await takeFailureRecord('kinesisThrottled', [written.sequenceNumber])).toBeUndefined();
        expect(await invocations(run)).toEqual([]);
      }, QUIET_MS + 1000);
    },
  );
});

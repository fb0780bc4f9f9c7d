/**
 * MaximumRecordAgeInSeconds: its minimum is 60 s, so this one test waits about a minute. It has
 * its own file so jest runs it beside the others instead of after them.
 */
import { STREAM_SCENARIOS } from './app/scenarios';
import { conformance, newRun } from './support/conformance';
import { invocations } from './support/observations';
import { putKinesisRecords, waitForFailureRecord } from './support/sources';
import { warmUp } from './support/warm-up';

const RECORD_AGE_MS = STREAM_SCENARIOS.kinesisRecordAge.maxRecordAgeSeconds * 1000;

warmUp(['kinesisRecordAge']);

describe('Kinesis event source mapping: maximum record age', () => {
  conformance(
    'discards records older than MaximumRecordAgeInSeconds to the on-failure destination (RecordAgeExceeded)',
    'https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html',
    "On-failure destination – An SQS queue or SNS topic for records that can't be processed. When Lambda discards a batch of records that's too old or has exhausted all retries, Lambda sends details about the batch to the queue or topic.",
    async () => {
      const run = newRun('kinesis-record-age');
      // MaximumRetryAttempts is -1: only the record's age can end the retries.
      const [written] = await putKinesisRecords('kinesisRecordAge', [{ run, id: 'r1', failTimes: -1, how: 'throw' }]);
      const failure = await waitForFailureRecord('kinesisRecordAge', [written.sequenceNumber], RECORD_AGE_MS + 30_000);
      expect(failure.requestContext.condition).toBe('RecordAgeExceeded');
      expect(failure.KinesisBatchInfo).toMatchObject({ batchSize: 1, startSequenceNumber: written.sequenceNumber });
      expect((await invocations(run)).length).toBeGreaterThanOrEqual(1);
    },
    RECORD_AGE_MS + 60_000,
  );
});

import { FullBatchFailureError } from '@aws-lambda-powertools/batch';
import { acceptTypes, createKinesisEventHandler } from '../../../../lambdas/shared/batch';
import type { EventEnvelope } from '../../../../lambdas/shared/envelope';
import { failedSequenceNumbers, kinesisEvent, kinesisRecordFor, kinesisRecordOf } from '../../../helpers/kinesis-records';
import { silentLogger } from '../../../helpers/silent-logger';
import { OTHER_HAPPENED, testCatalog, thing, THING_HAPPENED } from '../../../helpers/test-catalog';

function handlerThatRecords(fail: (event: EventEnvelope) => boolean = () => false) {
  const seen: unknown[] = [];
  const processBatch = createKinesisEventHandler({
    catalog: testCatalog,
    accepts: acceptTypes(THING_HAPPENED),
    logger: silentLogger(),
    handle: async (event) => {
      seen.push(event.data);
      if (fail(event)) throw new Error(`boom ${JSON.stringify(event.data)}`);
    },
  });
  return { processBatch, seen };
}

describe('createKinesisEventHandler', () => {
  it('handles accepted events in stream order and reports no failures', async () => {
    const { processBatch, seen } = handlerThatRecords();
    const response = await processBatch(kinesisEvent(...[1, 2, 3].map((n) => kinesisRecordFor(thing(n)))));
    expect(seen).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(response.batchItemFailures).toEqual([]);
  });

  it('acknowledges catalogued types it does not handle without calling the handler', async () => {
    const { processBatch, seen } = handlerThatRecords();
    const response = await processBatch(kinesisEvent(kinesisRecordFor(thing(1, 'k', OTHER_HAPPENED)), kinesisRecordFor(thing(2))));
    expect(seen).toEqual([{ n: 2 }]);
    expect(response.batchItemFailures).toEqual([]);
  });

  it('fails an undecodable record instead of dropping it, and does not attempt the records after it', async () => {
    const { processBatch, seen } = handlerThatRecords();
    const good = kinesisRecordFor(thing(1));
    const bad = kinesisRecordOf('garbage');
    const after = kinesisRecordFor(thing(2));

    const response = await processBatch(kinesisEvent(good, bad, after));

    expect(seen).toEqual([{ n: 1 }]);
    expect(failedSequenceNumbers(response)).toEqual([bad.kinesis.sequenceNumber, after.kinesis.sequenceNumber]);
  });

  it('stops at the first failing record so later records are redelivered in order', async () => {
    const { processBatch, seen } = handlerThatRecords((event) => (event.data as { n: number }).n === 2);
    const records = [1, 2, 3].map((n) => kinesisRecordFor(thing(n)));

    const response = await processBatch(kinesisEvent(...records));

    expect(seen).toEqual([{ n: 1 }, { n: 2 }]);
    expect(failedSequenceNumbers(response)).toEqual([records[1].kinesis.sequenceNumber, records[2].kinesis.sequenceNumber]);
  });

  it('throws when every record fails, so the mapping retries and bisects the batch', async () => {
    const { processBatch } = handlerThatRecords(() => true);
    await expect(processBatch(kinesisEvent(kinesisRecordFor(thing(1))))).rejects.toThrow(FullBatchFailureError);
  });
});

import { acceptTypes, createKinesisBulkHandler } from '../../../../lambdas/shared/batch';
import { failedSequenceNumbers, kinesisEvent, kinesisRecordFor, kinesisRecordOf } from '../../../helpers/kinesis-records';
import { silentLogger } from '../../../helpers/silent-logger';
import { OTHER_HAPPENED, testCatalog, thing, THING_HAPPENED } from '../../../helpers/test-catalog';

interface Options {
  readonly failPrepare?: (n: number) => boolean;
  readonly failDeliver?: (n: number) => boolean;
  readonly deliverThrows?: boolean;
}

function bulkHandler({ failPrepare = () => false, failDeliver = () => false, deliverThrows = false }: Options = {}) {
  const deliveries: number[][] = [];
  const processBatch = createKinesisBulkHandler<number>({
    catalog: testCatalog,
    accepts: acceptTypes(THING_HAPPENED),
    logger: silentLogger(),
    prepare: async (event) => {
      const { n } = event.data as { n: number };
      if (failPrepare(n)) throw new Error(`cannot prepare ${n}`);
      return n === 0 ? undefined : n;
    },
    deliver: async (items) => {
      deliveries.push([...items]);
      if (deliverThrows) throw new Error('queue unavailable');
      return new Map(items.flatMap((n, position) => (failDeliver(n) ? [[position, new Error(`refused ${n}`)] as const] : [])));
    },
  });
  return { processBatch, deliveries };
}

describe('createKinesisBulkHandler', () => {
  it('delivers every prepared item in one bulk call, in stream order', async () => {
    const { processBatch, deliveries } = bulkHandler();
    const response = await processBatch(kinesisEvent(...[1, 2, 3].map((n) => kinesisRecordFor(thing(n)))));
    expect(deliveries).toEqual([[1, 2, 3]]);
    expect(response.batchItemFailures).toEqual([]);
  });

  it('skips records of other types and items the consumer chose not to deliver', async () => {
    const { processBatch, deliveries } = bulkHandler();
    await processBatch(kinesisEvent(kinesisRecordFor(thing(5, 'k', OTHER_HAPPENED)), kinesisRecordFor(thing(0)), kinesisRecordFor(thing(6))));
    expect(deliveries).toEqual([[6]]);
  });

  it('does not call deliver when nothing was prepared', async () => {
    const { processBatch, deliveries } = bulkHandler();
    await processBatch(kinesisEvent(kinesisRecordFor(thing(0))));
    expect(deliveries).toEqual([]);
  });

  it('fails exactly the records whose entries the bulk call refused', async () => {
    const { processBatch } = bulkHandler({ failDeliver: (n) => n === 2 });
    const records = [1, 2, 3].map((n) => kinesisRecordFor(thing(n)));

    const response = await processBatch(kinesisEvent(...records));

    expect(failedSequenceNumbers(response)).toEqual([records[1].kinesis.sequenceNumber]);
  });

  it('fails every delivered record when the bulk call throws', async () => {
    const { processBatch } = bulkHandler({ deliverThrows: true });
    const records = [kinesisRecordFor(thing(1)), kinesisRecordFor(thing(0))];

    const response = await processBatch(kinesisEvent(...records));

    expect(failedSequenceNumbers(response)).toEqual([records[0].kinesis.sequenceNumber]);
  });

  it('delivers what came before a failed preparation and holds back what came after', async () => {
    const { processBatch, deliveries } = bulkHandler({ failPrepare: (n) => n === 2 });
    const records = [1, 2, 3].map((n) => kinesisRecordFor(thing(n)));

    const response = await processBatch(kinesisEvent(...records));

    expect(deliveries).toEqual([[1]]);
    expect(failedSequenceNumbers(response)).toEqual([records[1].kinesis.sequenceNumber, records[2].kinesis.sequenceNumber]);
  });

  it('fails an undecodable record rather than dropping it', async () => {
    const { processBatch } = bulkHandler();
    const bad = kinesisRecordOf('{"not":"an envelope"}');
    const response = await processBatch(kinesisEvent(kinesisRecordFor(thing(1)), bad));
    expect(failedSequenceNumbers(response)).toEqual([bad.kinesis.sequenceNumber]);
  });
});

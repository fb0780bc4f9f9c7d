import { FullBatchFailureError } from '@aws-lambda-powertools/batch';
import {
  acceptTypes,
  createKinesisBulkHandler,
  createKinesisEventHandler,
  permanentFailureReason,
  PoisonRecordError,
  sqsDeadLetter,
} from '../../../../lambdas/shared/batch';
import type { EventEnvelope } from '../../../../lambdas/shared/envelope';
import { SluiceError, ValidationError } from '../../../../lambdas/shared/errors';
import { FakeDeadLetterQueue } from '../../../helpers/fake-dead-letter-queue';
import { failedSequenceNumbers, kinesisEvent, kinesisRecordFor, kinesisRecordOf } from '../../../helpers/kinesis-records';
import { silentLogger } from '../../../helpers/silent-logger';
import { sqsRecordOf } from '../../../helpers/sqs-records';
import { testCatalog, thing, THING_HAPPENED } from '../../../helpers/test-catalog';

const NOW = new Date('2025-01-01T12:00:00.000Z');

function eventHandler(handle: (event: EventEnvelope) => Promise<void> = async () => undefined) {
  const queue = new FakeDeadLetterQueue();
  const seen: unknown[] = [];
  const processBatch = createKinesisEventHandler({
    catalog: testCatalog,
    accepts: acceptTypes(THING_HAPPENED),
    logger: silentLogger(),
    deadLetters: { consumer: 'test-consumer', queue, clock: () => NOW },
    handle: async (event) => {
      seen.push(event.data);
      await handle(event);
    },
  });
  return { processBatch, queue, seen };
}

describe('poison records with a DLQ', () => {
  it.each([
    ['undecodable_record', () => kinesisRecordOf('not json {')],
    ['undecodable_record', () => kinesisRecordOf({ hello: 'world' })],
    ['unknown_event_type', () => kinesisRecordFor(thing(1, 'k', 'test.unknown.happened.v1'))],
    ['validation_failed', () => kinesisRecordFor({ ...thing(1), data: { n: 'one' } })],
  ])('sends a %s record to the DLQ with the reason and the record, acknowledges it and carries on', async (reason, poisonRecord) => {
    const { processBatch, queue, seen } = eventHandler();
    const poison = poisonRecord();
    const [before, after] = [kinesisRecordFor(thing(1)), kinesisRecordFor(thing(2))];

    const response = await processBatch(kinesisEvent(before, poison, after));

    expect(response.batchItemFailures).toEqual([]);
    expect(seen).toEqual([{ n: 1 }, { n: 2 }]);
    expect(queue.letters()).toEqual([
      {
        reason,
        message: expect.stringContaining(poison.kinesis.sequenceNumber),
        consumer: 'test-consumer',
        ...(reason === 'undecodable_record' && !poison.kinesis.data.startsWith('bm90') ? { details: expect.any(Array) } : {}),
        ...(reason === 'validation_failed' ? { details: [expect.objectContaining({ field: 'data.n' })] } : {}),
        record: {
          eventSourceARN: poison.eventSourceARN,
          shardId: poison.eventID.split(':')[0],
          sequenceNumber: poison.kinesis.sequenceNumber,
          partitionKey: poison.kinesis.partitionKey,
          data: poison.kinesis.data,
          approximateArrivalTimestamp: poison.kinesis.approximateArrivalTimestamp,
        },
        failedAt: NOW.toISOString(),
      },
    ]);
    expect(queue.messages[0].attributes).toEqual({ reason, consumer: 'test-consumer' });
  });

  it('sends a validation error the consumer raises for its record to the DLQ too', async () => {
    const { processBatch, queue } = eventHandler(async () => {
      throw new ValidationError('event x has no streamversion', [{ field: 'streamversion', message: 'is required' }]);
    });

    const response = await processBatch(kinesisEvent(kinesisRecordFor(thing(1))));

    expect(response.batchItemFailures).toEqual([]);
    expect(queue.letters()).toEqual([expect.objectContaining({ reason: 'validation_failed', details: [{ field: 'streamversion', message: 'is required' }] })]);
  });

  it('fails a transient error instead of sending it to the DLQ, so the mapping retries it', async () => {
    const { processBatch, queue } = eventHandler(async (event) => {
      if ((event.data as { n: number }).n === 2) throw new Error('ProvisionedThroughputExceededException');
    });
    const records = [1, 2, 3].map((n) => kinesisRecordFor(thing(n)));

    const response = await processBatch(kinesisEvent(...records));

    expect(failedSequenceNumbers(response)).toEqual([records[1].kinesis.sequenceNumber, records[2].kinesis.sequenceNumber]);
    expect(queue.messages).toEqual([]);
  });

  it('fails the poison record when the DLQ refuses it, so it is still never dropped', async () => {
    const { processBatch, queue } = eventHandler();
    queue.broken = true;
    const poison = kinesisRecordOf('garbage');

    await expect(processBatch(kinesisEvent(poison))).rejects.toThrow(FullBatchFailureError);
  });

  it('diverts poison records in the bulk handler before delivering the rest', async () => {
    const queue = new FakeDeadLetterQueue();
    const delivered: unknown[] = [];
    const processBatch = createKinesisBulkHandler<number>({
      catalog: testCatalog,
      accepts: acceptTypes(THING_HAPPENED),
      logger: silentLogger(),
      deadLetters: { consumer: 'bulk', queue },
      prepare: async (event) => (event.data as { n: number }).n,
      deliver: async (items) => {
        delivered.push(...items);
        return new Map();
      },
    });
    const poison = kinesisRecordFor(thing(1, 'k', 'test.unknown.happened.v1'));

    const response = await processBatch(kinesisEvent(kinesisRecordFor(thing(1)), poison, kinesisRecordFor(thing(2))));

    expect(response.batchItemFailures).toEqual([]);
    expect(delivered).toEqual([1, 2]);
    expect(queue.letters()).toEqual([expect.objectContaining({ reason: 'unknown_event_type', consumer: 'bulk' })]);
  });
});

describe('permanentFailureReason', () => {
  it.each([
    [new PoisonRecordError('undecodable_record', 'r1', 'x'), 'undecodable_record'],
    [new ValidationError('bad'), 'validation_failed'],
    [new SluiceError('unknown_event_type', 'no such type'), 'unknown_event_type'],
    [new SluiceError('read_model_conflict', 'moved'), undefined],
    [new Error('socket hang up'), undefined],
  ])('classifies %p as %p', (error, reason) => {
    expect(permanentFailureReason(error)).toBe(reason);
  });
});

describe('sqsDeadLetter', () => {
  it('keeps the body and the FIFO group, dedups on the message id and puts the reason in attributes', () => {
    const record = sqsRecordOf('{"not":"a state"}', { groupId: 'acc-1' });

    const letter = sqsDeadLetter(record, 'validation_failed', new Error('data.balance: too small'), 'replica', NOW.toISOString());

    expect(letter).toEqual({
      body: '{"not":"a state"}',
      attributes: {
        reason: 'validation_failed',
        message: 'data.balance: too small',
        consumer: 'replica',
        failedAt: NOW.toISOString(),
        sourceMessageId: record.messageId,
        sourceQueueArn: record.eventSourceARN,
        receiveCount: '1',
      },
      groupId: 'acc-1',
      deduplicationId: record.messageId,
    });
  });
});

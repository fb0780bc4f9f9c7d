import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import type { EventEnvelope } from '../envelope';
import { acceptedEvent, BatchTally, divertKinesisPoison, recordLogKeys, type StreamConsumerOptions, withRecordKeys } from './consumer-options';
import { FirstFailureGuard } from './first-failure-guard';

export interface KinesisBulkHandlerOptions<TItem> extends StreamConsumerOptions {
  /**
   * Turns one accepted event into the item to deliver (it may read other stores); `undefined`
   * means nothing to deliver. Throwing fails the record.
   */
  readonly prepare: (event: EventEnvelope, record: KinesisStreamRecord) => Promise<TItem | undefined>;
  /**
   * Delivers every prepared item at once (e.g. SQS SendMessageBatch) and returns the error of
   * each item that was not delivered, keyed by its position in `items`. Throwing fails them all.
   */
  readonly deliver: (items: readonly TItem[]) => Promise<ReadonlyMap<number, Error>>;
}

type Outcome = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

/**
 * Builds a Kinesis handler that prepares each event, delivers all of them in one bulk call, then
 * reports per-record results through Powertools' `BatchProcessor`.
 *
 * A bulk API (SendMessageBatch) answers per entry, and a record must fail exactly when its own
 * entry failed: so the work is staged (prepare in stream order → deliver → settle) and the settle
 * pass replays each record's outcome into the processor, which builds the partial batch response.
 * As in {@link createKinesisEventHandler}, records after the first failure are not attempted.
 *
 * @example
 * createKinesisBulkHandler({ catalog, accepts, logger, prepare: toMessage, deliver: (messages) => sendMessages(port, messages) })
 */
export function createKinesisBulkHandler<TItem>(
  options: KinesisBulkHandlerOptions<TItem>,
): (event: KinesisStreamEvent, context?: Context) => Promise<KinesisStreamBatchResponse> {
  return async (event, context) => {
    const guard = new FirstFailureGuard();
    const tally = new BatchTally();
    const outcomes = new Map<string, Outcome>();
    const prepared: { readonly record: KinesisStreamRecord; readonly item: TItem }[] = [];

    const fail = (record: KinesisStreamRecord, error: unknown): void => {
      const recordId = record.kinesis.sequenceNumber;
      guard.recordFailure(recordId);
      outcomes.set(recordId, { ok: false, error });
      tally.failed += 1;
      options.logger.error('stream record failed; it will be retried and finally sent to the DLQ', {
        ...recordLogKeys(record),
        sequenceNumber: recordId,
        partitionKey: record.kinesis.partitionKey,
        error: error as Error,
      });
    };

    for (const record of event.Records) {
      const recordId = record.kinesis.sequenceNumber;
      try {
        guard.assertNoEarlierFailure(recordId);
      } catch (skipped) {
        outcomes.set(recordId, { ok: false, error: skipped });
        continue;
      }
      try {
        const accepted = acceptedEvent(record, options);
        const item = accepted && (await withRecordKeys(options.logger, record, () => options.prepare(accepted, record)));
        if (item === undefined) {
          tally.skipped += 1;
          outcomes.set(recordId, { ok: true });
          continue;
        }
        prepared.push({ record, item });
        outcomes.set(recordId, { ok: true });
      } catch (error) {
        if (await divertKinesisPoison(record, error, options)) {
          tally.deadLettered += 1;
          outcomes.set(recordId, { ok: true });
          continue;
        }
        fail(record, error);
      }
    }

    if (prepared.length > 0) {
      let failures: ReadonlyMap<number, Error>;
      try {
        failures = await options.deliver(prepared.map(({ item }) => item));
      } catch (error) {
        failures = new Map(prepared.map((_, position) => [position, error as Error]));
      }
      prepared.forEach(({ record }, position) => {
        const error = failures.get(position);
        if (error) fail(record, error);
        else tally.handled += 1;
      });
    }

    const settle = async (record: KinesisStreamRecord): Promise<void> => {
      const outcome = outcomes.get(record.kinesis.sequenceNumber);
      if (outcome && !outcome.ok) throw outcome.error;
    };
    try {
      return await processPartialResponse(event, settle, new BatchProcessor(EventType.KinesisDataStreams), {
        context,
        processInParallel: false,
      });
    } finally {
      tally.emit(options.metrics);
    }
  };
}

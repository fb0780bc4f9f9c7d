import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import type { EventEnvelope } from '../envelope';
import { acceptedEvent, BatchTally, divertKinesisPoison, recordLogKeys, type StreamConsumerOptions, withRecordKeys } from './consumer-options';
import { FirstFailureGuard } from './first-failure-guard';

export interface KinesisEventHandlerOptions extends StreamConsumerOptions {
  /** Acts on one accepted event; throwing fails this record (and, for order, the ones after it). */
  readonly handle: (event: EventEnvelope, record: KinesisStreamRecord) => Promise<void>;
}

/**
 * Builds a Kinesis event source mapping handler that acts on each accepted event in stream order.
 *
 * Records are processed one at a time, in order (Powertools' parallel default is switched off),
 * because consumers such as the fraud detector fold a card's events into state. The response
 * reports failed records (`ReportBatchItemFailures`); after the first failure the rest of the batch
 * is not attempted, since Kinesis redelivers it. A poison record (undecodable, unknown type, invalid
 * data) goes to `deadLetters` with its reason and is acknowledged; without a DLQ it fails. It is
 * never dropped silently. Any other error fails the record, so the mapping retries it.
 *
 * @example
 * export const processBatch = createKinesisEventHandler({ catalog, accepts: acceptTypes(SWIPED), logger, handle });
 */
export function createKinesisEventHandler(
  options: KinesisEventHandlerOptions,
): (event: KinesisStreamEvent, context?: Context) => Promise<KinesisStreamBatchResponse> {
  return async (event, context) => {
    const guard = new FirstFailureGuard();
    const tally = new BatchTally();

    const handleRecord = async (record: KinesisStreamRecord): Promise<void> => {
      const recordId = record.kinesis.sequenceNumber;
      guard.assertNoEarlierFailure(recordId);
      try {
        const accepted = acceptedEvent(record, options);
        if (!accepted) {
          tally.skipped += 1;
          return;
        }
        await withRecordKeys(options.logger, record, () => options.handle(accepted, record));
        tally.handled += 1;
      } catch (error) {
        // A poison record goes to the DLQ with its reason and is acknowledged: no retries, no blocked shard.
        if (await divertKinesisPoison(record, error, options)) {
          tally.deadLettered += 1;
          return;
        }
        guard.recordFailure(recordId);
        tally.failed += 1;
        options.logger.error('stream record failed; it will be retried and finally sent to the DLQ', {
          ...recordLogKeys(record),
          sequenceNumber: recordId,
          partitionKey: record.kinesis.partitionKey,
          error: error as Error,
        });
        throw error;
      }
    };

    try {
      return await processPartialResponse(event, handleRecord, new BatchProcessor(EventType.KinesisDataStreams), {
        context,
        processInParallel: false,
      });
    } finally {
      tally.emit(options.metrics);
    }
  };
}

import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { type ConsumerLogger, type DeadLetterPort, divertPoison, dynamoDbDeadLetter, PoisonRecordError } from '../shared/batch';
import type { EventEnvelope } from '../shared/envelope';
import { MalformedStoredEventError } from '../shared/event-store/errors';
import { envelopeFromStreamRecord } from '../shared/event-store/stream-record';
import type { EventPublisher } from '../shared/kinesis';
import { planPublishRounds } from './publish-rounds';

/** What the relay needs: where to publish, where to log, and its DLQ for items that are not stored events. */
export interface RelayDeps {
  readonly publisher: EventPublisher;
  readonly logger: ConsumerLogger;
  readonly deadLetters?: DeadLetterPort;
}

interface Pending {
  /** Position of the record in the batch (stream order). */
  readonly position: number;
  readonly envelope: EventEnvelope;
}

/**
 * Publishes the events of an event-store stream batch to Kinesis, per account in version order.
 *
 * Only INSERTs are events (the store is append-only); MODIFY/REMOVE are logged and skipped. An
 * INSERT that is not a stored event goes to `deadLetters` with the reason `malformed_stored_event`.
 * Records go out in rounds (see {@link planPublishRounds}); the publisher retries failed records
 * with backoff inside a round. A record that still fails stops everything after it: the response
 * reports it and every later record, and DynamoDB Streams resumes from the first one reported.
 * Records published before the failure may be published again then: consumers drop duplicates
 * by event id / stream version.
 *
 * @example
 * const response = await relayStreamRecords(event.Records, { publisher, logger });
 */
export async function relayStreamRecords(records: readonly DynamoDBRecord[], deps: RelayDeps): Promise<DynamoDBBatchResponse> {
  let firstFailure = records.length;
  const fail = (position: number) => {
    firstFailure = Math.min(firstFailure, position);
  };

  const pending: Pending[] = [];
  for (const [position, record] of records.entries()) {
    if (record.eventName !== 'INSERT') {
      deps.logger.warn('ignoring a non-INSERT change of the append-only event store', {
        eventName: record.eventName,
        keys: record.dynamodb?.Keys,
      });
      continue;
    }
    try {
      pending.push({ position, envelope: envelopeFromStreamRecord(record) });
    } catch (error) {
      // An item that is not a stored event will never become one: to the DLQ with the reason, not retried.
      const poison = error instanceof MalformedStoredEventError
        ? new PoisonRecordError('malformed_stored_event', record.dynamodb?.SequenceNumber ?? String(position), error.message, { cause: error })
        : error;
      const deadLetters = deps.deadLetters && { consumer: 'outbox-relay', queue: deps.deadLetters };
      const diverted = await divertPoison(deadLetters, poison, (reason, failedAt) =>
        dynamoDbDeadLetter(record, reason, poison, 'outbox-relay', failedAt), deps.logger);
      if (diverted) continue;
      deps.logger.error('event store stream record is not a stored event', { position, error: error as Error });
      fail(position);
    }
  }

  for (const round of planPublishRounds(pending.map((item) => item.envelope.partitionkey))) {
    // Nothing after the first failure goes out: it is redelivered, and must not overtake it.
    const batch = round.map((index) => pending[index]).filter((item) => item.position < firstFailure);
    if (batch.length === 0) continue;
    try {
      const results = await deps.publisher.publish(batch.map((item) => item.envelope));
      for (const result of results) {
        if (result.ok) continue;
        deps.logger.error('event could not be published to the events stream', { eventId: result.id, error: result.error });
        fail(batch[result.index].position);
      }
    } catch (error) {
      deps.logger.error('PutRecords failed for a whole round', { error: error as Error });
      fail(batch[0].position);
    }
  }

  return {
    batchItemFailures: records
      .slice(firstFailure)
      .flatMap((record) => (record.dynamodb?.SequenceNumber ? [{ itemIdentifier: record.dynamodb.SequenceNumber }] : [])),
  };
}

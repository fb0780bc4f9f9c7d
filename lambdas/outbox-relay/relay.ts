import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { type ConsumerLogger, type DeadLetterMessage, type DeadLetterPort, divertPoison, dynamoDbDeadLetter, PoisonRecordError } from '../shared/batch';
import type { EventEnvelope } from '../shared/envelope';
import { MalformedStoredEventError } from '../shared/event-store/errors';
import { envelopeFromStreamRecord } from '../shared/event-store/stream-record';
import type { EventPublisher, PublishFailure, PublishResult } from '../shared/kinesis';
import { correlationKeys } from '../shared/trace-context';
import { overtakenRecords } from './overtaken-records';

/** What the relay needs: where to publish, where to log, and its DLQ for items that are not stored events. */
export interface RelayDeps {
  readonly publisher: EventPublisher;
  readonly logger: ConsumerLogger;
  readonly deadLetters?: DeadLetterPort;
  /**
   * A record that still cannot be published once it is this old goes to `deadLetters` whole (its
   * NEW_IMAGE in the message), instead of being retried until the stream trims it; below it, it is
   * retried. Must be under the stream's 24 h retention so the record is still there to copy.
   * @default undefined - never: failures are only retried (the mapping's own limits apply)
   */
  readonly deadLetterAfterMs?: number;
  readonly clock?: () => Date;
}

/** SQS's message size limit: a dead letter above it names the stored event instead of carrying it. */
export const MAX_DEAD_LETTER_BYTES = 256 * 1024;

/** Whether a failed record has been retried for long enough to give it up to the DLQ. */
function pastRetryAge(record: DynamoDBRecord, deps: RelayDeps): boolean {
  const created = record.dynamodb?.ApproximateCreationDateTime;
  if (deps.deadLetterAfterMs === undefined || !deps.deadLetters || created === undefined) return false;
  return (deps.clock?.() ?? new Date()).getTime() - created * 1000 >= deps.deadLetterAfterMs;
}

/**
 * Gives up a record that could not be published: to the DLQ with everything a redrive needs, so
 * `sluice redrive outbox-relay` works after the DynamoDB stream trimmed the record. A letter over
 * SQS's size limit carries the event store keys instead of the image: the store (append-only,
 * PITR) keeps the event for good, so the redrive reads it there. `true` when the DLQ took it.
 */
async function deadLetterUnpublished(record: DynamoDBRecord, problem: unknown, deps: RelayDeps): Promise<boolean> {
  const error = new PoisonRecordError(
    'relay_retries_exhausted',
    record.dynamodb?.SequenceNumber ?? '',
    `not published before the relay's retry age: ${describeProblem(problem)}`,
  );
  const full = dynamoDbDeadLetter(record, 'relay_retries_exhausted', error, 'outbox-relay', (deps.clock?.() ?? new Date()).toISOString());
  const letter = Buffer.byteLength(full.body) <= MAX_DEAD_LETTER_BYTES ? full : withoutImage(full);
  try {
    await deps.deadLetters!.send(letter);
  } catch (sendError) {
    deps.logger.error('an unpublished record could not be dead-lettered; retrying it', { error: sendError as Error });
    return false;
  }
  deps.logger.error('record not published within the retry age: sent whole to the DLQ for sluice redrive', {
    sequenceNumber: record.dynamodb?.SequenceNumber,
    keys: record.dynamodb?.Keys,
    storedIn: letter === full ? 'dlq-message' : 'event-store',
  });
  return true;
}

/**
 * The last publish error in words: a thrown error, or a per-record Kinesis failure (`{code, message}`),
 * which `String()` alone would turn into "[object Object]" and so lose the reason.
 */
function describeProblem(problem: unknown): string {
  if (problem instanceof Error) return String(problem);
  const failure = problem as Partial<PublishFailure> | undefined;
  if (failure && typeof failure.code === 'string') return `${failure.code}: ${failure.message ?? ''}`;
  return String(problem);
}

function withoutImage(letter: DeadLetterMessage): DeadLetterMessage {
  const body = JSON.parse(letter.body) as { record: Record<string, unknown> };
  const { newImage: _dropped, ...record } = body.record;
  return {
    ...letter,
    body: JSON.stringify({ ...body, record: { ...record, imageIn: 'event-store' } }),
    attributes: { ...letter.attributes, imageIn: 'event-store' },
  };
}

/** How often the relay publishes records again that landed ahead of a retried record of their account, before it fails them for redelivery. */
export const MAX_PUBLISH_PASSES = 4;

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
 * The whole batch goes out at once, in stream order (one PutRecords call per 500 records): Kinesis
 * writes a shard's records in request order and an account is one partition key, so each account
 * stays in version order. The publisher retries failed records with backoff; when a retried record
 * landed after a later record of its account, that later record and the account's others after it
 * are published again, after it (see {@link overtakenRecords}), so the account's last copies on
 * the stream are in order. A record that still fails stops everything after it: the response
 * reports it and every later record, and DynamoDB Streams resumes from the first one reported.
 * Records published after the failure (other accounts', or its own account's later ones that the
 * same call took) are published again then: consumers drop duplicates by event id / stream
 * version, and the projector fills a version gap from the event store. A failed record older than
 * `deadLetterAfterMs` is sent whole to the DLQ and acknowledged instead (see {@link deadLetterUnpublished}).
 *
 * @example
 * const response = await relayStreamRecords(event.Records, { publisher, logger });
 */
export async function relayStreamRecords(records: readonly DynamoDBRecord[], deps: RelayDeps): Promise<DynamoDBBatchResponse> {
  let firstFailure = records.length;
  const fail = (position: number) => {
    firstFailure = Math.min(firstFailure, position);
  };

  const failOrGiveUp = async (position: number, problem: unknown) => {
    const record = records[position];
    if (pastRetryAge(record, deps) && (await deadLetterUnpublished(record, problem, deps))) return;
    fail(position);
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
      const poison =
        error instanceof MalformedStoredEventError
          ? new PoisonRecordError('malformed_stored_event', record.dynamodb?.SequenceNumber ?? String(position), error.message, { cause: error })
          : error;
      const deadLetters = deps.deadLetters && { consumer: 'outbox-relay', queue: deps.deadLetters };
      const diverted = await divertPoison(
        deadLetters,
        poison,
        (reason, failedAt) => dynamoDbDeadLetter(record, reason, poison, 'outbox-relay', failedAt),
        deps.logger,
      );
      if (diverted) continue;
      deps.logger.error('event store stream record is not a stored event', { position, error: error as Error });
      fail(position);
    }
  }

  let outgoing = pending;
  for (let pass = 1; outgoing.length > 0; pass++) {
    // Nothing after the first failure goes out: it is redelivered, and must not overtake it.
    const batch = outgoing.filter((item) => item.position < firstFailure);
    if (batch.length === 0) break;
    if (pass > MAX_PUBLISH_PASSES) {
      deps.logger.error('records kept landing ahead of a retried record of their account; failing them for redelivery', { passes: MAX_PUBLISH_PASSES });
      fail(batch[0].position);
      break;
    }
    let results: PublishResult[];
    try {
      results = await deps.publisher.publish(batch.map((item) => item.envelope));
    } catch (error) {
      deps.logger.error('PutRecords failed for a whole batch', { error: error as Error });
      for (const item of batch) await failOrGiveUp(item.position, error);
      break;
    }
    for (const result of results) {
      if (result.ok) continue;
      deps.logger.error('event could not be published to the events stream', {
        ...correlationKeys(batch[result.index].envelope.traceparent, result.id),
        error: result.error,
      });
      await failOrGiveUp(batch[result.index].position, result.error);
    }
    const landings = batch.map((item, index) => {
      const result = results[index];
      return { partitionKey: item.envelope.partitionkey, ...(result?.ok ? { shardId: result.shardId, sequenceNumber: result.sequenceNumber } : {}) };
    });
    outgoing = overtakenRecords(landings).map((index) => batch[index]);
  }

  return {
    batchItemFailures: records
      .slice(firstFailure)
      .flatMap((record) => (record.dynamodb?.SequenceNumber ? [{ itemIdentifier: record.dynamodb.SequenceNumber }] : [])),
  };
}

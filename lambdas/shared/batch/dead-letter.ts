import type { DynamoDBRecord, KinesisStreamRecord, SQSRecord } from 'aws-lambda';
import type { FieldIssue } from '../errors';
import type { ConsumerLogger } from './consumer-options';
import { permanentFailureReason, type PoisonReason } from './errors';

/** One message for a dead-letter queue: a body and string attributes (FIFO queues need the ids). */
export interface DeadLetterMessage {
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly groupId?: string;
  readonly deduplicationId?: string;
}

/** A consumer's DLQ (SQS SendMessage bound to one queue). The SDK adapter implements it; tests fake it. */
export interface DeadLetterPort {
  /** @throws when the queue did not take the message; the caller then fails the record instead. */
  send(message: DeadLetterMessage): Promise<void>;
}

/** Where a consumer sends its poison records, and under which name. */
export interface DeadLetterOptions {
  /** The consumer's name in every message, e.g. `projector`. */
  readonly consumer: string;
  readonly queue: DeadLetterPort;
  readonly clock?: () => Date;
}

/**
 * What a stream consumer writes to its DLQ for a poison record: why, and the record itself (so it
 * can be inspected and re-sent without reading the stream, which may have trimmed it by then).
 */
export interface StreamDeadLetter {
  readonly reason: PoisonReason;
  readonly message: string;
  readonly consumer: string;
  readonly details?: readonly FieldIssue[];
  readonly record: KinesisDeadLetterRecord | DynamoDbDeadLetterRecord;
  readonly failedAt: string;
}

/** A Kinesis record in a dead letter; `data` is the payload as base64, exactly as it was on the stream. */
export interface KinesisDeadLetterRecord {
  readonly eventSourceARN: string;
  readonly shardId?: string;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly data: string;
  readonly approximateArrivalTimestamp: number;
}

/** A DynamoDB stream record (the event store's outbox) in a dead letter; `newImage` in DynamoDB JSON. */
export interface DynamoDbDeadLetterRecord {
  readonly eventSourceARN: string;
  readonly sequenceNumber: string;
  readonly keys: unknown;
  readonly newImage?: unknown;
  readonly approximateCreationDateTime?: number;
}

/** SQS message attributes are small; a reason's text is capped so the send never fails on size. */
const MAX_MESSAGE_LENGTH = 1000;

function describeFailure(error: unknown): { readonly message: string; readonly details?: readonly FieldIssue[] } {
  const message = error instanceof Error ? error.message : String(error);
  const details = (error as { details?: readonly FieldIssue[] }).details;
  return { message: message.slice(0, MAX_MESSAGE_LENGTH), ...(details && details.length > 0 ? { details } : {}) };
}

/**
 * Sends a poison record to the consumer's DLQ with the reason and says whether it did.
 *
 * `false` means the caller must fail the record as before: the error may be transient, the consumer
 * has no DLQ, or the DLQ refused the message (then the mapping's own retries and failure
 * destination still catch it). Never throws.
 *
 * @example
 * if (await divertPoison(deadLetters, error, (reason) => kinesisDeadLetter(record, reason, error, deadLetters), logger)) return;
 */
export async function divertPoison(
  options: DeadLetterOptions | undefined,
  error: unknown,
  build: (reason: PoisonReason, failedAt: string) => DeadLetterMessage,
  logger: ConsumerLogger,
): Promise<boolean> {
  const reason = permanentFailureReason(error);
  if (!options || !reason) return false;
  const failedAt = (options.clock?.() ?? new Date()).toISOString();
  try {
    await options.queue.send(build(reason, failedAt));
  } catch (sendError) {
    logger.error('poison record could not be sent to the DLQ; failing it so the mapping retries', {
      reason,
      error: sendError as Error,
    });
    return false;
  }
  logger.warn('poison record sent to the DLQ with its reason and acknowledged', { reason, consumer: options.consumer, error: error as Error });
  return true;
}

/** The dead letter of a Kinesis record; `shardId` comes from the record's `eventID` (`shardId-…:sequence`). */
export function kinesisDeadLetter(record: KinesisStreamRecord, reason: PoisonReason, error: unknown, consumer: string, failedAt: string): DeadLetterMessage {
  const shardId = record.eventID?.includes(':') ? record.eventID.slice(0, record.eventID.indexOf(':')) : undefined;
  const letter: StreamDeadLetter = {
    reason,
    ...describeFailure(error),
    consumer,
    record: {
      eventSourceARN: record.eventSourceARN,
      ...(shardId ? { shardId } : {}),
      sequenceNumber: record.kinesis.sequenceNumber,
      partitionKey: record.kinesis.partitionKey,
      data: record.kinesis.data,
      approximateArrivalTimestamp: record.kinesis.approximateArrivalTimestamp,
    },
    failedAt,
  };
  return { body: JSON.stringify(letter), attributes: { reason, consumer } };
}

/** The dead letter of an event-store stream record that the outbox relay cannot publish. */
export function dynamoDbDeadLetter(record: DynamoDBRecord, reason: PoisonReason, error: unknown, consumer: string, failedAt: string): DeadLetterMessage {
  const letter: StreamDeadLetter = {
    reason,
    ...describeFailure(error),
    consumer,
    record: {
      eventSourceARN: record.eventSourceARN ?? '',
      sequenceNumber: record.dynamodb?.SequenceNumber ?? '',
      keys: record.dynamodb?.Keys,
      ...(record.dynamodb?.NewImage ? { newImage: record.dynamodb.NewImage } : {}),
      ...(record.dynamodb?.ApproximateCreationDateTime ? { approximateCreationDateTime: record.dynamodb.ApproximateCreationDateTime } : {}),
    },
    failedAt,
  };
  return { body: JSON.stringify(letter), attributes: { reason, consumer } };
}

/**
 * An SQS message moved to its queue's DLQ: the body unchanged (so a redrive re-sends it as it
 * was), the reason and the receive count in message attributes. On a FIFO DLQ it keeps its group; the dedup id is the
 * original message id, so moving the same message twice stores it once.
 */
export function sqsDeadLetter(record: SQSRecord, reason: PoisonReason, error: unknown, consumer: string, failedAt: string): DeadLetterMessage {
  const groupId = record.attributes.MessageGroupId;
  return {
    body: record.body,
    attributes: {
      reason,
      message: describeFailure(error).message,
      consumer,
      failedAt,
      sourceMessageId: record.messageId,
      sourceQueueArn: record.eventSourceARN,
      // How many times SQS had handed the message over when it was moved (1 for poison caught at once).
      receiveCount: record.attributes.ApproximateReceiveCount,
    },
    ...(groupId ? { groupId, deduplicationId: record.messageId } : {}),
  };
}

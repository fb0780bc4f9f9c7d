import { SluiceError } from '../errors';

/** Base class for errors that fail one record of a stream or queue batch. */
export class BatchRecordError extends SluiceError {
  /** The record's id in its batch: Kinesis sequence number or SQS message id. */
  public readonly recordId: string;

  public constructor(code: string, recordId: string, message: string, options?: ErrorOptions & { details?: SluiceError['details'] }) {
    super(code, message, options);
    this.name = 'BatchRecordError';
    this.recordId = recordId;
  }
}

/**
 * A record's payload is not a valid event: not base64/JSON, not an envelope, an unknown type or
 * data that does not match its schema.
 *
 * It fails the record, so the record is retried and finally lands in the consumer's DLQ; it is
 * never dropped silently. `reason` and `details` say what was wrong, for the logs.
 */
export class UndecodableRecordError extends BatchRecordError {
  public readonly reason: string;

  public constructor(recordId: string, reason: string, options?: ErrorOptions & { details?: SluiceError['details'] }) {
    super('undecodable_record', recordId, `record ${recordId} is not a valid event: ${reason}`, options);
    this.name = 'UndecodableRecordError';
    this.reason = reason;
  }
}

/**
 * A stream record was not processed because an earlier record of the batch failed.
 *
 * Kinesis resumes from the first failed record, so everything after it is delivered again anyway;
 * processing it now would only repeat its side effects and could apply it ahead of its predecessor.
 */
export class SkippedAfterFailureError extends BatchRecordError {
  public readonly failedRecordId: string;

  public constructor(recordId: string, failedRecordId: string) {
    super(
      'skipped_after_earlier_failure',
      recordId,
      `record ${recordId} was not processed because record ${failedRecordId} before it failed; it will be redelivered`,
    );
    this.name = 'SkippedAfterFailureError';
    this.failedRecordId = failedRecordId;
  }
}

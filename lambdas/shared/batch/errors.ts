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

/** Why a record can never succeed, as the DLQ message's `reason`. */
export type PoisonReason =
  | 'undecodable_record'
  | 'unknown_event_type'
  | 'validation_failed'
  | 'unexpected_event_type'
  | 'malformed_stored_event'
  | 'untrusted_event'
  | 'relay_retries_exhausted'
  /** notification-worker: the delivery still failed on the message's last allowed receive. */
  | 'delivery_failed';

/**
 * A record that no retry can fix: its payload, not the world around it, is wrong.
 *
 * A consumer with a DLQ sends it there itself, with the reason, and acknowledges it, so it costs no
 * retries and cannot block its shard; without one it fails the record like any other error (it is
 * never dropped). `code` is the {@link PoisonReason}; `problem` says what exactly was wrong.
 */
export class PoisonRecordError extends BatchRecordError {
  declare public readonly code: PoisonReason;
  public readonly problem: string;

  public constructor(reason: PoisonReason, recordId: string, problem: string, options?: ErrorOptions & { details?: SluiceError['details'] }) {
    super(reason, recordId, `record ${recordId} is not a valid event: ${problem}`, options);
    this.name = 'PoisonRecordError';
    this.problem = problem;
  }
}

/**
 * A record's payload cannot even be read as an event: not JSON, or not an event envelope.
 * (A catalogued envelope of an unknown type or with invalid data is an {@link InvalidEventRecordError}.)
 */
export class UndecodableRecordError extends PoisonRecordError {
  public constructor(recordId: string, problem: string, options?: ErrorOptions & { details?: SluiceError['details'] }) {
    super('undecodable_record', recordId, problem, options);
    this.name = 'UndecodableRecordError';
  }
}

/** A well-formed envelope the consumer must refuse: a type the catalog does not know, or data that breaks its schema. */
export class InvalidEventRecordError extends PoisonRecordError {
  public constructor(
    reason: 'unknown_event_type' | 'validation_failed' | 'unexpected_event_type',
    recordId: string,
    problem: string,
    options?: ErrorOptions & { details?: SluiceError['details'] },
  ) {
    super(reason, recordId, problem, options);
    this.name = 'InvalidEventRecordError';
  }
}

const PERMANENT_CODES: ReadonlySet<string> = new Set(['unknown_event_type', 'validation_failed', 'untrusted_event']);

/**
 * The poison reason of an error that no retry can fix, or `undefined` for one that may be
 * transient (a throttled write, a conflict, a read that raced the store): those fail the record.
 *
 * Permanent: a {@link PoisonRecordError}, or a `validation_failed` / `unknown_event_type`
 * {@link SluiceError} a consumer raised while reading its record's event (e.g. an account event
 * without `streamversion`).
 */
export function permanentFailureReason(error: unknown): PoisonReason | undefined {
  if (error instanceof PoisonRecordError) return error.code;
  if (error instanceof SluiceError && PERMANENT_CODES.has(error.code)) return error.code as PoisonReason;
  return undefined;
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

import { SluiceError, type SluiceErrorOptions } from '../errors';

/** Base class of the errors the event store raises. */
export class EventStoreError extends SluiceError {
  public constructor(code: string, message: string, options?: SluiceErrorOptions) {
    super(code, message, options);
    this.name = 'EventStoreError';
  }
}

/**
 * Another writer appended to the stream after the version this writer read (optimistic concurrency).
 *
 * HTTP 409: the caller reloads and retries if the command still makes sense.
 */
export class VersionConflictError extends EventStoreError {
  public readonly streamId: string;
  public readonly expectedVersion: number;

  public constructor(streamId: string, expectedVersion: number, options?: ErrorOptions) {
    super('version_conflict', `stream ${streamId} has moved past version ${expectedVersion}: a concurrent write won; reload the stream and retry`, {
      ...options,
      httpStatus: 409,
    });
    this.name = 'VersionConflictError';
    this.streamId = streamId;
    this.expectedVersion = expectedVersion;
  }
}

/** The claim written with an append already exists: the request it names was applied before. Nothing was written. */
export class ClaimTakenError extends EventStoreError {
  public readonly claimId: string;

  public constructor(claimId: string, options?: ErrorOptions) {
    super('claim_taken', `claim ${claimId} exists: the request was applied by an earlier attempt; nothing was appended`, options);
    this.name = 'ClaimTakenError';
    this.claimId = claimId;
  }
}

/** An item read from the store (or its stream) does not have the stored-event shape. */
export class MalformedStoredEventError extends EventStoreError {
  public readonly problems: readonly string[];

  public constructor(problems: readonly string[], options?: ErrorOptions) {
    super('malformed_stored_event', `the stored event is malformed (${problems.join('; ')}); it was not written by the event store adapter`, options);
    this.name = 'MalformedStoredEventError';
    this.problems = problems;
  }
}

import { SluiceError } from '../errors';

/** Base class for errors raised while writing to a Kinesis stream. */
export class StreamPublishError extends SluiceError {
  public constructor(code: string, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'StreamPublishError';
  }
}

/**
 * One record is larger than Kinesis accepts (data + partition key over 1 MiB).
 *
 * Raised before anything is sent, so a batch is never half published because of one bad record.
 */
export class RecordTooLargeError extends StreamPublishError {
  /** Position of the record in the caller's input. */
  public readonly index: number;
  public readonly sizeBytes: number;
  public readonly limitBytes: number;

  public constructor(index: number, sizeBytes: number, limitBytes: number) {
    super('record_too_large', `record ${index} is ${sizeBytes} bytes (data + partition key); Kinesis accepts at most ${limitBytes} bytes per record`);
    this.name = 'RecordTooLargeError';
    this.index = index;
    this.sizeBytes = sizeBytes;
    this.limitBytes = limitBytes;
  }
}

/** Some records were still not published after the publisher's retries. */
export class PublishFailedError extends StreamPublishError {
  /** The event ids that did not reach the stream, with the last Kinesis error of each. */
  public readonly failures: readonly { readonly id: string; readonly code: string; readonly message: string }[];

  public constructor(failures: PublishFailedError['failures']) {
    super(
      'publish_failed',
      `${failures.length} event(s) were not published to the stream: ${failures.map((failure) => `${failure.id} (${failure.code})`).join(', ')}`,
    );
    this.name = 'PublishFailedError';
    this.failures = failures;
  }
}

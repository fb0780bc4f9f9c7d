import { SluiceError } from '../errors';

/**
 * The request (or one event in it) is larger than the stream accepts. HTTP 413.
 *
 * `index` names the event when one event is too large; it is absent when the whole body is.
 */
export class PayloadTooLargeError extends SluiceError {
  public readonly index?: number;
  public readonly sizeBytes: number;
  public readonly limitBytes: number;

  public constructor(message: string, sizeBytes: number, limitBytes: number, index?: number) {
    super('payload_too_large', message, { httpStatus: 413, ...(index === undefined ? {} : { details: [{ field: `events.${index}`, message }] }) });
    this.name = 'PayloadTooLargeError';
    this.index = index;
    this.sizeBytes = sizeBytes;
    this.limitBytes = limitBytes;
  }
}

import { SluiceError } from '../errors';

/** SQS did not accept a message of a SendMessageBatch call. */
export class MessageSendError extends SluiceError {
  /** The SQS error code of the entry, e.g. `InternalError`, or `call_failed` when the whole call threw. */
  public readonly entryCode: string;
  /** `true` when SQS blames the request (retrying the same message will not help). */
  public readonly senderFault: boolean;

  public constructor(entryCode: string, message: string, senderFault: boolean, options?: ErrorOptions) {
    super('message_send_failed', `SQS did not accept the message (${entryCode}): ${message}`, options);
    this.name = 'MessageSendError';
    this.entryCode = entryCode;
    this.senderFault = senderFault;
  }
}

import { MessageSendError } from './errors';

/** One message to send; `groupId` and `deduplicationId` are for FIFO queues only. */
export interface OutgoingMessage {
  readonly body: string;
  readonly groupId?: string;
  readonly deduplicationId?: string;
  /** String message attributes, e.g. `traceparent` (they count towards SQS's size limit). */
  readonly attributes?: Readonly<Record<string, string>>;
}

/** What a message weighs for SQS's size limit: its body plus each attribute's name, type (`String`) and value. */
export function messageBytes(message: OutgoingMessage): number {
  let size = Buffer.byteLength(message.body, 'utf8');
  for (const [name, value] of Object.entries(message.attributes ?? {})) size += Buffer.byteLength(name) + 'String'.length + Buffer.byteLength(value);
  return size;
}

/** The failure of one entry of a SendMessageBatch call, by its position in that call. */
export interface EntryFailure {
  readonly position: number;
  readonly code: string;
  readonly message: string;
  readonly senderFault: boolean;
}

/**
 * SQS SendMessageBatch bound to one queue. The SDK adapter implements it; tests fake it.
 */
export interface SendMessageBatchPort {
  /**
   * Sends at most 10 messages in one call.
   *
   * @returns the entries SQS refused (an empty list when all were accepted).
   * @throws when the whole call fails.
   */
  sendMessageBatch(messages: readonly OutgoingMessage[]): Promise<EntryFailure[]>;
}

/** SendMessageBatch quotas: 10 entries and 256 KiB of bodies per call. */
export const SEND_MESSAGE_BATCH_LIMITS = Object.freeze({ maxEntries: 10, maxBatchBytes: 256 * 1024 });

/**
 * Sends any number of messages with as few SendMessageBatch calls as the quotas allow.
 *
 * Calls go one after another, in input order, so FIFO groups keep their order. Nothing is retried
 * here: the caller fails the records whose messages were refused and its event source retries them.
 *
 * @example
 * const failures = await sendMessages(port, messages); // Map position → MessageSendError
 * @returns the error for each message that was not sent, keyed by its position in `messages`.
 */
export async function sendMessages(port: SendMessageBatchPort, messages: readonly OutgoingMessage[]): Promise<Map<number, MessageSendError>> {
  const failures = new Map<number, MessageSendError>();
  for (const chunk of chunkMessages(messages)) {
    try {
      const refused = await port.sendMessageBatch(chunk.map((position) => messages[position]));
      for (const entry of refused) {
        failures.set(chunk[entry.position], new MessageSendError(entry.code, entry.message, entry.senderFault));
      }
    } catch (error) {
      for (const position of chunk) {
        failures.set(position, new MessageSendError('call_failed', (error as Error).message, false, { cause: error }));
      }
    }
  }
  return failures;
}

/** Groups message positions into calls within the entry and byte quotas, keeping order. */
export function chunkMessages(messages: readonly OutgoingMessage[], limits = SEND_MESSAGE_BATCH_LIMITS): number[][] {
  const chunks: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  messages.forEach((message, position) => {
    const size = messageBytes(message);
    if (current.length === limits.maxEntries || (current.length > 0 && bytes + size > limits.maxBatchBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(position);
    bytes += size;
  });
  if (current.length > 0) chunks.push(current);
  return chunks;
}

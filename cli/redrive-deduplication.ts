import { createHash } from 'node:crypto';

/** What SQS accepts as a MessageDeduplicationId: 1-128 alphanumeric or punctuation characters. */
export const DEDUPLICATION_ID = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;

const PREFIX = 'redrive:';

/**
 * The deduplication id a redrive re-sends a FIFO DLQ message with: `redrive:<DLQ MessageId>`.
 *
 * Why not the message's own deduplication id: SQS drops a send whose id it has seen in the last
 * 5 minutes (it still answers success), so a redrive soon after the original send would be
 * dropped while the CLI deletes the message from the DLQ - lost. The DLQ message's id is unique
 * per message, and the prefix keeps it apart from any id the producers use (`account#version`,
 * content hashes). It is also the same on every run for the same DLQ message, so a run that
 * crashed between the send and the delete, run again within 5 minutes, is deduplicated by SQS.
 * A message id that would not make a valid id (not SQS's UUID) is replaced by its SHA-256.
 *
 * @throws {Error} when the message has no id (every received SQS message has one).
 */
export function redriveDeduplicationId(messageId: string | undefined): string {
  if (!messageId) throw new Error('a DLQ message without a MessageId cannot be redriven to a FIFO queue: its deduplication id is derived from it');
  const plain = `${PREFIX}${messageId}`;
  return DEDUPLICATION_ID.test(plain) ? plain : `${PREFIX}sha256:${createHash('sha256').update(messageId).digest('hex')}`;
}

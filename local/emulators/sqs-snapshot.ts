/**
 * Saving and restoring SQS queue contents across restarts (`--persist`). fauxqs keeps messages in
 * memory only, so a clean stop reads every queue's messages (visible, delayed and in flight)
 * through fauxqs' non-destructive inspection route and a start sends them again.
 *
 * An approximation, documented in docs/local-cloud.md: receive counts restart at 0, in-flight
 * messages become visible at once, delays restart, and message ids and FIFO sequence numbers are new.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SendMessageBatchCommand, type MessageAttributeValue, type SQSClient } from '@aws-sdk/client-sqs';
import type { LocalQueue } from '../model';

export interface SavedMessage {
  readonly body: string;
  readonly messageAttributes?: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
  readonly messageGroupId?: string;
  readonly messageDeduplicationId?: string;
}

export interface SqsSnapshot {
  readonly version: 1;
  readonly savedAt: string;
  /** By queue name, oldest first (FIFO: in sequence-number order). */
  readonly queues: Record<string, SavedMessage[]>;
}

interface FauxqsMessage {
  body: string;
  messageAttributes?: SavedMessage['messageAttributes'];
  messageGroupId?: string;
  messageDeduplicationId?: string;
  sentTimestamp?: number;
  sequenceNumber?: string;
}

/**
 * Reads every message of the queues from fauxqs (its base URL, not the endpoint), without consuming them.
 */
export async function readQueueContents(fauxqsUrl: string, queueNames: readonly string[]): Promise<SqsSnapshot> {
  const queues: Record<string, SavedMessage[]> = {};
  for (const name of queueNames) {
    const response = await fetch(`${fauxqsUrl}/_fauxqs/queues/${encodeURIComponent(name)}`);
    if (response.status === 404) continue;
    if (!response.ok) throw new Error(`reading queue ${name} from fauxqs failed: HTTP ${response.status}`);
    const { messages } = (await response.json()) as { messages: { ready: FauxqsMessage[]; delayed: FauxqsMessage[]; inflight: Array<{ message: FauxqsMessage }> } };
    const all = [...messages.inflight.map((entry) => entry.message), ...messages.ready, ...messages.delayed];
    const fifo = name.endsWith('.fifo');
    all.sort((a, b) => (fifo ? (a.sequenceNumber ?? '').localeCompare(b.sequenceNumber ?? '') : (a.sentTimestamp ?? 0) - (b.sentTimestamp ?? 0)));
    if (all.length === 0) continue;
    queues[name] = all.map((message) => ({
      body: message.body,
      ...(message.messageAttributes && Object.keys(message.messageAttributes).length > 0 ? { messageAttributes: message.messageAttributes } : {}),
      ...(message.messageGroupId ? { messageGroupId: message.messageGroupId } : {}),
      ...(message.messageDeduplicationId ? { messageDeduplicationId: message.messageDeduplicationId } : {}),
    }));
  }
  return { version: 1, savedAt: new Date().toISOString(), queues };
}

export function writeSnapshot(file: string, snapshot: SqsSnapshot): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(snapshot)}\n`);
  renameSync(temp, file);
}

/** The saved snapshot, or undefined when there is none (or it cannot be read). */
export function readSnapshot(file: string): SqsSnapshot | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as SqsSnapshot;
    return parsed && typeof parsed.queues === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Sends the saved messages to their queues again (in order, 10 per call) and removes the file, so
 * a crash after this start cannot send them a second time.
 *
 * @returns how many messages were restored per queue
 */
export async function restoreQueueContents(client: SQSClient, queues: readonly LocalQueue[], file: string): Promise<Record<string, number>> {
  const snapshot = readSnapshot(file);
  const restored: Record<string, number> = {};
  if (!snapshot) return restored;
  for (const [name, messages] of Object.entries(snapshot.queues)) {
    const queue = queues.find((candidate) => candidate.queueName === name);
    if (!queue) continue; // the queue is gone from the template
    for (let i = 0; i < messages.length; i += 10) {
      const chunk = messages.slice(i, i + 10);
      const result = await client.send(
        new SendMessageBatchCommand({
          QueueUrl: queue.url,
          Entries: chunk.map((message, index) => ({
            Id: String(index),
            MessageBody: message.body,
            ...(message.messageAttributes ? { MessageAttributes: toSdkAttributes(message.messageAttributes) } : {}),
            ...(queue.fifo ? { MessageGroupId: message.messageGroupId ?? 'default' } : {}),
            ...(queue.fifo ? { MessageDeduplicationId: message.messageDeduplicationId ?? randomUUID() } : {}),
          })),
        }),
      );
      if (result.Failed?.length) throw new Error(`restoring ${name}: ${result.Failed.map((f) => `${f.Code}: ${f.Message}`).join('; ')}`);
    }
    restored[name] = messages.length;
  }
  rmSync(file, { force: true });
  return restored;
}

function toSdkAttributes(attributes: NonNullable<SavedMessage['messageAttributes']>): Record<string, MessageAttributeValue> {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      {
        DataType: value.DataType,
        ...(value.StringValue !== undefined ? { StringValue: value.StringValue } : {}),
        ...(value.BinaryValue !== undefined ? { BinaryValue: Buffer.from(value.BinaryValue, 'base64') } : {}),
      },
    ]),
  );
}

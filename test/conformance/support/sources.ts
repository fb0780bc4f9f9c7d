/**
 * Writing probe records into the scenario sources and reading what reached their failure
 * destinations (on-failure queues of stream mappings, DLQs of queues), through the real SDK.
 * Every helper only touches records of the caller's run.
 */
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { FailureDestinationMessage } from '../../../local/mappings/failure-destination';
import type { ProbeSpec } from '../app/functions/probe-spec';
import { OUTPUT, type QueueScenarioName, type StreamScenarioName } from '../app/scenarios';
import { waitFor } from './settled';
import { clients, output } from './target';

export interface WrittenRecord {
  readonly id: string;
  readonly sequenceNumber: string;
  readonly shardId: string;
}

/** Puts the records in one PutRecords call, one partition key, in order. */
export async function putKinesisRecords(scenario: StreamScenarioName, specs: readonly ProbeSpec[]): Promise<WrittenRecord[]> {
  const result = await clients.kinesis.send(
    new PutRecordsCommand({
      StreamName: output(OUTPUT.source(scenario)),
      Records: specs.map((spec) => ({ PartitionKey: spec.run, Data: Buffer.from(JSON.stringify({ probe: spec })) })),
    }),
  );
  if (result.FailedRecordCount) throw new Error(`PutRecords failed for ${result.FailedRecordCount} record(s): ${JSON.stringify(result.Records)}`);
  return (result.Records ?? []).map((record, index) => ({ id: specs[index].id, sequenceNumber: record.SequenceNumber!, shardId: record.ShardId! }));
}

/** Probe specs `<prefix>1..n` of one run, with per-index overrides. */
export function specs(run: string, count: number, overrides: Readonly<Record<number, Partial<ProbeSpec>>> = {}): ProbeSpec[] {
  return Array.from({ length: count }, (_, index) => ({ run, id: `r${index + 1}`, ...overrides[index + 1] }));
}

/** Sends the messages in one SendMessageBatch call (FIFO: one message group per run unless `group`). */
export async function sendMessages(scenario: QueueScenarioName, messages: ReadonlyArray<ProbeSpec & { group?: string }>): Promise<string[]> {
  const fifo = scenario === 'sqsFifo';
  const result = await clients.sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: output(OUTPUT.queue(scenario)),
      Entries: messages.map(({ group, ...spec }, index) => ({
        Id: String(index),
        MessageBody: JSON.stringify({ probe: spec }),
        ...(fifo ? { MessageGroupId: group ?? spec.run } : {}),
      })),
    }),
  );
  if (result.Failed?.length) throw new Error(`SendMessageBatch failed: ${JSON.stringify(result.Failed)}`);
  const byId = new Map((result.Successful ?? []).map((entry) => [entry.Id, entry.MessageId!]));
  return messages.map((_, index) => byId.get(String(index))!);
}

/** The on-failure record Lambda sends for a stream batch it discards (AWS's shape, typed once in local/). */
export type FailureRecord = FailureDestinationMessage;

/**
 * Looks at a queue without hiding anything from anyone (visibility timeout 0) and returns the
 * first message `mine` accepts, deleted so it does not linger; undefined when there is none yet.
 */
async function takeMine<T>(queueUrl: string, mine: (body: string) => T | undefined): Promise<T | undefined> {
  const received = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 1 }));
  for (const message of received.Messages ?? []) {
    const value = mine(message.Body ?? '');
    if (value === undefined) continue;
    await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle! }));
    return value;
  }
  return undefined;
}

function parseJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** The on-failure record whose batch starts at one of `sequenceNumbers`, if it has arrived. */
export function takeFailureRecord(scenario: StreamScenarioName, sequenceNumbers: readonly string[]): Promise<FailureRecord | undefined> {
  return takeMine(output(OUTPUT.failureQueue(scenario)), (body) => {
    const record = parseJson<FailureRecord>(body);
    const info = record?.KinesisBatchInfo ?? record?.DDBStreamBatchInfo;
    return info && sequenceNumbers.includes(info.startSequenceNumber) ? record : undefined;
  });
}

/** Waits for the on-failure record of a batch starting at one of `sequenceNumbers`. */
export function waitForFailureRecord(scenario: StreamScenarioName, sequenceNumbers: readonly string[], timeoutMs?: number): Promise<FailureRecord> {
  return waitFor(
    `an on-failure record for ${sequenceNumbers.join(', ')} in ${scenario}'s destination`,
    () => takeFailureRecord(scenario, sequenceNumbers),
    timeoutMs,
  );
}

/** Waits for the run's message with `id` in the scenario's DLQ; returns its body's spec. */
export function waitForDeadLetter(scenario: QueueScenarioName, run: string, id: string, timeoutMs?: number): Promise<ProbeSpec> {
  return waitFor(
    `${id} of ${run} in ${scenario}'s DLQ`,
    () =>
      takeMine(output(OUTPUT.deadLetterQueue(scenario)), (body) => {
        const spec = parseJson<{ probe?: ProbeSpec }>(body)?.probe;
        return spec?.run === run && spec.id === id ? spec : undefined;
      }),
    timeoutMs,
  );
}

/** Compares two sequence numbers (decimal strings of any length). */
export function compareSequenceNumbers(a: string, b: string): number {
  const diff = BigInt(a) - BigInt(b);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

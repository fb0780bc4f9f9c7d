/**
 * SQS event source mapping: long-polls the queue through the real SDK client, batches by size and
 * window, invokes the function with the Lambda SQS event and deletes what was processed.
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type MessageAttributeValue, type SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_REGION, type LocalQueueMapping } from '../model';
import type { InvokeOutcome } from '../runtime/lambda-runner';
import { filterableData, parseFilterPatterns, passesFilters, type FilterPattern } from './filter';
import { describe, settleWithin } from './shard-consumer';
import { decideDeletes, retryThrottledBatch } from './sqs-planning';
import { isThrottled } from '../runtime/invoke-outcome';
import { backoffMs } from './backoff';

/** Pollers per mapping without MaximumConcurrency (Lambda starts with five). */
export const DEFAULT_SQS_POLLERS = 5;
/** Long-poll wait: shorter than Lambda's 20 s so a stop never waits long. */
export const SQS_WAIT_SECONDS = 2;

/** The Lambda event record for one SQS message. */
export function sqsEventRecord(message: Message, queueArn: string) {
  const attributes: Record<string, string | undefined> = message.Attributes ?? {};
  const pick = (name: string) => (attributes[name] !== undefined ? { [name]: attributes[name] } : {});
  const eventAttributes: Record<string, string> = {
    ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
    SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
    SenderId: attributes.SenderId ?? 'AIDAIENQZJOLO23YVJ4VO',
    ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    ...pick('AWSTraceHeader'),
    ...pick('SequenceNumber'),
    ...pick('MessageGroupId'),
    ...pick('MessageDeduplicationId'),
    ...pick('DeadLetterQueueSourceArn'),
  };
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: eventAttributes,
    messageAttributes: Object.fromEntries(Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, messageAttribute(value)])),
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: LOCAL_REGION,
  };
}

function messageAttribute(value: MessageAttributeValue) {
  return {
    ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
    ...(value.BinaryValue !== undefined ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') } : {}),
    stringListValues: value.StringListValues ?? [],
    binaryListValues: (value.BinaryListValues ?? []).map((item) => Buffer.from(item).toString('base64')),
    dataType: value.DataType ?? 'String',
  };
}

export interface SqsMappingDeps {
  readonly invoke: (functionName: string, event: unknown) => Promise<InvokeOutcome>;
  readonly log: (line: string) => void;
  /** Concurrent invocations the function itself allows. */
  readonly functionConcurrency: number;
  /** The queue's VisibilityTimeout: how long a throttled batch may be retried before its messages come back. */
  readonly visibilityTimeoutSeconds: number;
  /** @default SQS_WAIT_SECONDS */
  readonly waitTimeSeconds?: number;
  /** Base delay between retries of a throttled batch (doubling, at most 5 s). @default 250 */
  readonly retryDelayMs?: number;
}

/** Runs one SQS mapping: `pollers` independent receive → invoke → delete loops. */
export class SqsMappingConsumer {
  private readonly filters: FilterPattern[];
  private readonly abort = new AbortController();
  private stopped = false;
  private loops: Array<Promise<void>> = [];

  constructor(
    readonly mapping: LocalQueueMapping,
    private readonly client: SQSClient,
    private readonly deps: SqsMappingDeps,
  ) {
    this.filters = parseFilterPatterns(mapping.filterPatterns);
  }

  /** MaximumConcurrency (else 5 pollers), never above the function's own concurrency limit. */
  get pollers(): number {
    return Math.max(1, Math.min(this.mapping.maximumConcurrency ?? DEFAULT_SQS_POLLERS, this.deps.functionConcurrency));
  }

  start(): void {
    this.loops = Array.from({ length: this.pollers }, () => this.poll());
  }

  /** Stops receiving (aborting a long poll) and waits for batches in flight, up to `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await settleWithin(Promise.allSettled(this.loops), graceMs);
  }

  private async poll(): Promise<void> {
    while (!this.stopped) {
      try {
        const receivedAt = Date.now();
        const batch = await this.collect();
        if (batch.length > 0) await this.process(batch, receivedAt);
      } catch (error) {
        if (this.stopped) return;
        this.deps.log(`polling ${this.mapping.queueUrl} failed: ${describe(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  /** Receives until the batch is full, or the batching window has passed since the first message. */
  private async collect(): Promise<Message[]> {
    const { batchSize, maxBatchingWindowSeconds } = this.mapping;
    const longPoll = this.deps.waitTimeSeconds ?? SQS_WAIT_SECONDS;
    const batch = await this.receive(Math.min(10, batchSize), longPoll);
    if (batch.length === 0 || maxBatchingWindowSeconds <= 0) return batch;
    const deadline = Date.now() + maxBatchingWindowSeconds * 1000;
    while (!this.stopped && batch.length < batchSize && deadline - Date.now() > 0) {
      const wait = Math.min(longPoll, Math.floor((deadline - Date.now()) / 1000));
      const more = await this.receive(Math.min(10, batchSize - batch.length), wait);
      batch.push(...more);
      if (more.length === 0 && wait === 0) await new Promise((resolve) => setTimeout(resolve, Math.min(200, Math.max(0, deadline - Date.now()))));
    }
    return batch;
  }

  private async receive(max: number, waitSeconds: number): Promise<Message[]> {
    const response = await this.client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.mapping.queueUrl,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: waitSeconds,
        AttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: this.abort.signal },
    );
    return response.Messages ?? [];
  }

  private async process(messages: Message[], receivedAt: number): Promise<void> {
    const records = messages.map((message) => sqsEventRecord(message, this.mapping.queueArn));
    const matching = records.filter((record) => this.passes(record));
    const filteredOut = records.filter((record) => !matching.includes(record));
    // Lambda deletes messages that match no filter, without invoking the function.
    if (filteredOut.length > 0) await this.deleteMessages(filteredOut);
    if (matching.length === 0) return;

    const outcome = await this.invokeThroughThrottles({ Records: matching }, receivedAt);
    const decision = decideDeletes(matching, outcome, { reportBatchItemFailures: this.mapping.reportBatchItemFailures });
    if (isThrottled(outcome))
      this.deps.log(`batch of ${matching.length} throttled until the visibility timeout (${outcome.error.errorMessage}); the messages come back on the queue`);
    else if (!outcome.ok)
      this.deps.log(`batch of ${matching.length} failed (${outcome.error.errorType}: ${outcome.error.errorMessage}); messages return after the visibility timeout`);
    else if (decision.keep.length > 0) this.deps.log(`${decision.keep.length} of ${matching.length} message(s) left for redelivery`);
    const remove = new Set(decision.remove);
    await this.deleteMessages(matching.filter((record) => remove.has(record.messageId)));
  }

  /**
   * Invokes the function, and again with backoff while it is throttled and the batch's messages
   * are still invisible ("Lambda continues to retry the message until the message's timestamp
   * exceeds your queue's visibility timeout, at which point Lambda drops the message").
   */
  private async invokeThroughThrottles(event: unknown, receivedAt: number): Promise<InvokeOutcome> {
    let outcome = await this.deps.invoke(this.mapping.functionName, event);
    for (let throttles = 0; !this.stopped; throttles += 1) {
      const delay = backoffMs(throttles, this.deps.retryDelayMs ?? 250);
      if (!retryThrottledBatch(outcome, receivedAt, this.deps.visibilityTimeoutSeconds, Date.now(), delay)) break;
      await this.pause(delay);
      if (this.stopped) break;
      outcome = await this.deps.invoke(this.mapping.functionName, event);
    }
    return outcome;
  }

  /** Waits `ms`, or less when the consumer stops. */
  private pause(ms: number): Promise<void> {
    if (this.abort.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.abort.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.abort.signal.addEventListener('abort', done);
    });
  }

  private passes(record: ReturnType<typeof sqsEventRecord>): boolean {
    try {
      return passesFilters(this.filters, { ...record, body: filterableData(record.body) });
    } catch (error) {
      this.deps.log(`filter failed, message ${record.messageId} treated as not matching: ${describe(error)}`);
      return false;
    }
  }

  private async deleteMessages(records: ReadonlyArray<{ messageId: string; receiptHandle: string }>): Promise<void> {
    for (let i = 0; i < records.length; i += 10) {
      const chunk = records.slice(i, i + 10);
      const response = await this.client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.mapping.queueUrl,
          Entries: chunk.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })),
        }),
      );
      for (const failed of response.Failed ?? []) this.deps.log(`could not delete a message: ${failed.Code} ${failed.Message ?? ''}`);
    }
  }
}

/** Starts polling one SQS mapping. */
export function startSqsMapping(client: SQSClient, mapping: LocalQueueMapping, deps: SqsMappingDeps): SqsMappingConsumer {
  const consumer = new SqsMappingConsumer(mapping, client, deps);
  consumer.start();
  return consumer;
}

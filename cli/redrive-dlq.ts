/**
 * The core of `sluice redrive`, shared by the command (which confirms and prints) and the local
 * console's redrive button (which answers JSON): which DLQ a name means, the dry-run listing, and
 * moving the messages back (a queue DLQ to its source queue; a stream consumer's DLQ through the
 * consumer function). Nothing here prints or asks.
 */
import { type Message, type MessageAttributeValue, SendMessageCommand, type SendMessageCommandInput } from '@aws-sdk/client-sqs';
import type { CliContext } from './context';
import { describeError, UsageError } from './errors';
import { describeFailure, parseStreamFailure, recordId, recordsOf, type StreamFailure } from './dead-letters';
import { deliverToConsumer, functionNameFromArn, resolveFunctionName } from './functions';
import { kebabCase } from '../lib/consumers/consumer-names';
import type { Progress } from './print';
import { redriveDeduplicationId } from './redrive-deduplication';
import { peekMessages, queueCounts, type QueueCounts, ReceiveOnce } from './queues';

export interface RedriveOptions {
  readonly dryRun?: boolean;
  readonly limit?: number;
  readonly to?: string;
  readonly functionName?: string;
  readonly maxAttempts: number;
}

/** A DLQ the outputs name, and where its messages go back to. */
export type DlqTarget = { readonly kind: 'queue'; readonly sourceOutput: string } | { readonly kind: 'consumer'; readonly consumer: string };

/** A DLQ of the outputs file: its output name, its alias (the name in kebab-case) and where its messages go back to. */
export interface KnownDlq {
  readonly output: string;
  readonly alias: string;
  readonly target?: DlqTarget;
}

/**
 * The DLQs the outputs file names: every `<Name>DlqUrl` output, aliased `<name>` in kebab-case. A
 * `<Name>QueueUrl` beside it makes it a queue DLQ redriven to that queue; a `<Name>FunctionName`, a
 * stream consumer's DLQ redriven through that function; neither, the messages say which consumer failed.
 */
export function knownDlqs(outputs: Readonly<Record<string, string>>): KnownDlq[] {
  return Object.keys(outputs).flatMap((output) => {
    const match = /^(?!ExportsOutput)([A-Z][A-Za-z0-9]*)DlqUrl$/.exec(output);
    if (!match) return [];
    const [, name] = match;
    const alias = kebabCase(name);
    if (outputs[`${name}QueueUrl`]) return [{ output, alias, target: { kind: 'queue', sourceOutput: `${name}QueueUrl` } }];
    if (outputs[`${name}FunctionName`]) return [{ output, alias, target: { kind: 'consumer', consumer: alias } }];
    return [{ output, alias }];
  });
}

/** A DLQ resolved from what the user named: its URL and where its messages go back to. */
export interface ResolvedDlq {
  readonly url: string;
  readonly target?: DlqTarget;
}

/**
 * The DLQ a name means: an alias, an output name, or a queue URL (`--to` names the source queue).
 *
 * @throws {UsageError} for an unknown name, listing the DLQs of the outputs file
 */
export function resolveDlq(ctx: CliContext, dlq: string, options: Pick<RedriveOptions, 'to'>): ResolvedDlq {
  const dlqs = knownDlqs(ctx.outputs.values);
  const explicitTarget = options.to ? { target: { kind: 'queue', sourceOutput: options.to } as const } : undefined;
  const byAlias = dlqs.find(({ output, alias }) => alias === dlq || output === dlq || output.replace(/Url$/, '') === dlq);
  if (byAlias) return { url: ctx.output(byAlias.output), ...(explicitTarget ?? (byAlias.target ? { target: byAlias.target } : {})) };
  if (!/^https?:\/\//.test(dlq)) {
    throw new UsageError(
      `unknown DLQ ${dlq}; use one of ${dlqs.map((d) => d.alias).join(', ')} (the DLQ outputs of ${ctx.outputs.file}), an output name or a queue URL`,
    );
  }
  const known = dlqs.find(({ output }) => sameQueue(ctx.outputs.values[output], dlq));
  if (explicitTarget) return { url: dlq, ...explicitTarget };
  // An unknown URL: its messages say which consumer failed (failure records and dead letters name it).
  return { url: dlq, ...(known?.target ? { target: known.target } : {}) };
}

function sameQueue(a: string | undefined, b: string): boolean {
  return a !== undefined && a.split('/').pop() === b.split('/').pop();
}

/** Whether a DLQ's messages go back to a queue or through a consumer function. */
export function redriveKind(resolved: ResolvedDlq): 'queue' | 'consumer' {
  return resolved.target?.kind === 'queue' ? 'queue' : 'consumer';
}

function parseBody(message: Message): unknown {
  try {
    return JSON.parse(message.Body ?? '');
  } catch {
    return message.Body;
  }
}

/** One DLQ message as the dry run lists it. */
export interface ListedMessage {
  readonly messageId: string;
  readonly receiveCount?: number;
  readonly groupId?: string;
  readonly deduplicationId?: string;
  readonly summary: string;
  readonly reason?: string;
  readonly failure?: StreamFailure;
}

/** What a dry run found: the queue's own counts and every message that would move. */
export interface DryRunListing {
  readonly queue: QueueCounts;
  readonly messages: ListedMessage[];
}

/** Lists every message (a full peek: received, then made visible again; nothing deleted) and what would move. */
export async function listDlq(ctx: CliContext, url: string, kind: 'queue' | 'consumer', limit?: number): Promise<DryRunListing> {
  const queue = await queueCounts(ctx.sqs, url);
  const messages = (await peekMessages(ctx.sqs, url, limit ? { limit } : {})).map((message) => listMessage(message, kind));
  return { queue, messages };
}

/** One message as the dry run lists it: what it is, and why it is in the DLQ when the message says. */
export function listMessage(message: Message, kind: 'queue' | 'consumer'): ListedMessage {
  const body = parseBody(message);
  const failure = kind === 'consumer' ? parseStreamFailure(body) : undefined;
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, any>;
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId!,
    ...(attributes.ApproximateReceiveCount ? { receiveCount: Number(attributes.ApproximateReceiveCount) } : {}),
    ...(attributes.MessageGroupId ? { groupId: attributes.MessageGroupId } : {}),
    ...(attributes.MessageDeduplicationId ? { deduplicationId: attributes.MessageDeduplicationId } : {}),
    summary: failure ? describeFailure(failure) : kind === 'consumer' ? NOT_A_FAILURE_RECORD : summarize(b),
    ...(failure?.shape === 'dead-letter' ? { reason: failure.reason } : b.reason ? { reason: String(b.reason) } : {}),
    ...(failure ? { failure } : {}),
  };
}

/** The summary of a message a consumer DLQ holds that names no failed records. */
export const NOT_A_FAILURE_RECORD = 'not a failure record (would be left in the DLQ)';

function summarize(body: Record<string, any>): string {
  if (body.notificationId) return `notification ${body.notificationId} ${body.eventType ?? ''} for ${body.accountId ?? '?'}`;
  if (body.type) return `${body.type} ${body.subject ?? ''}${body.data?.version ? ` v${body.data.version}` : ''}`;
  return JSON.stringify(body).slice(0, 80);
}

/** What redriving a queue DLQ did: the messages moved, and those left in the DLQ with the error. */
export interface QueueRedrive {
  readonly moved: string[];
  readonly failures: Array<{ messageId: string; error: string }>;
}

/**
 * Re-sends each message to the source queue (FIFO: same group, a redrive deduplication id), then deletes
 * it from the DLQ. A message that cannot be re-sent stays in the DLQ, visible again at once, and is
 * listed with the error.
 */
export async function redriveQueue(ctx: CliContext, dlqUrl: string, sourceUrl: string, options: RedriveOptions, bar: Progress): Promise<QueueRedrive> {
  const fifo = sourceUrl.endsWith('.fifo');
  const moved: string[] = [];
  const failures: Array<{ messageId: string; error: string }> = [];
  const full = () => options.limit !== undefined && moved.length + failures.length >= options.limit;
  const dlq = new ReceiveOnce(ctx.sqs, dlqUrl, 60);
  try {
    for (let messages = await dlq.next(); messages.length && !full(); messages = await dlq.next()) {
      bar.setTotal(moved.length + failures.length + messages.length);
      for (const message of messages) {
        if (full()) break;
        bar.increment();
        try {
          await ctx.sqs.send(new SendMessageCommand(resendRequest(message, sourceUrl, fifo)));
        } catch (error) {
          failures.push({ messageId: message.MessageId!, error: describeError(error) });
          continue;
        }
        await dlq.delete(message);
        moved.push(message.MessageId!);
      }
    }
  } finally {
    bar.stop();
    await dlq.release();
  }
  return { moved, failures };
}

/**
 * The SendMessage that puts a DLQ message back on its source queue: body and attributes kept;
 * FIFO: same group (order per group), deduplication id `redrive:<DLQ MessageId>` (see
 * `redriveDeduplicationId`: the original id would be dropped within SQS's 5-minute window).
 */
export function resendRequest(message: Message, sourceUrl: string, fifo: boolean): SendMessageCommandInput {
  const attributes = message.Attributes ?? {};
  return {
    QueueUrl: sourceUrl,
    MessageBody: message.Body ?? '',
    ...(message.MessageAttributes && Object.keys(message.MessageAttributes).length ? { MessageAttributes: copyAttributes(message.MessageAttributes) } : {}),
    ...(fifo ? { MessageGroupId: attributes.MessageGroupId ?? 'redrive', MessageDeduplicationId: redriveDeduplicationId(message.MessageId) } : {}),
  };
}

function copyAttributes(attributes: Record<string, MessageAttributeValue>): Record<string, MessageAttributeValue> {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      {
        DataType: value.DataType,
        ...(value.StringValue !== undefined ? { StringValue: value.StringValue } : {}),
        ...(value.BinaryValue ? { BinaryValue: value.BinaryValue } : {}),
      },
    ]),
  );
}

/** What happened to one message of a consumer DLQ. */
export interface ConsumerOutcome {
  readonly messageId: string;
  readonly summary: string;
  readonly functionName?: string;
  readonly records: number;
  readonly status: 'redriven' | 'failed' | 'skipped';
  readonly error?: string;
}

/** Invokes the consumer with the records each DLQ message names; deletes the message only on success. */
export async function redriveConsumer(
  ctx: CliContext,
  dlqUrl: string,
  consumer: string | undefined,
  options: RedriveOptions,
  bar: Progress,
): Promise<ConsumerOutcome[]> {
  const outcomes: ConsumerOutcome[] = [];
  const names = new Map<string, string>();
  const functionFor = async (failure: StreamFailure): Promise<string> => {
    if (options.functionName) return options.functionName;
    if (failure.shape === 'aws-failure-record' && failure.functionArn) return functionNameFromArn(failure.functionArn);
    const name = consumer ?? (failure.shape === 'dead-letter' ? failure.consumer : undefined);
    if (!name) throw new UsageError('cannot tell which consumer failed; pass --function-name');
    if (!names.has(name)) names.set(name, await resolveFunctionName(ctx, name));
    return names.get(name)!;
  };
  const full = () => options.limit !== undefined && outcomes.length >= options.limit;
  const dlq = new ReceiveOnce(ctx.sqs, dlqUrl, 120);
  try {
    for (let messages = await dlq.next(); messages.length && !full(); messages = await dlq.next()) {
      bar.setTotal(outcomes.length + messages.length);
      for (const message of messages) {
        if (full()) break;
        // A message that is not redriven stays in the DLQ (released, visible, at the end of the run).
        outcomes.push(await redriveOne(ctx, dlq, message, functionFor, options.maxAttempts));
        bar.increment();
      }
    }
  } finally {
    bar.stop();
    await dlq.release();
  }
  return outcomes;
}

async function redriveOne(
  ctx: CliContext,
  dlq: ReceiveOnce,
  message: Message,
  functionFor: (failure: StreamFailure) => Promise<string>,
  maxAttempts: number,
): Promise<ConsumerOutcome> {
  const messageId = message.MessageId!;
  const failure = parseStreamFailure(parseBody(message));
  if (!failure) return { messageId, summary: 'not a failure record', records: 0, status: 'skipped' };
  const summary = describeFailure(failure);
  const functionName = await functionFor(failure);
  const records = await recordsOf(ctx, failure);
  if (records.length === 0)
    return { messageId, summary, functionName, records: 0, status: 'failed', error: 'the records are no longer in the stream (past retention?)' };
  const result = await deliverToConsumer(ctx, functionName, records, recordId, maxAttempts);
  if (result.failed.length) return { messageId, summary, functionName, records: records.length, status: 'failed', error: result.failed[0].error };
  await dlq.delete(message);
  return { messageId, summary, functionName, records: records.length, status: 'redriven' };
}

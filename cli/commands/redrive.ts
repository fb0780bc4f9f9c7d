import { type Message, type MessageAttributeValue, SendMessageCommand, type SendMessageCommandInput } from '@aws-sdk/client-sqs';
import type { Command } from 'commander';
import { action, type CliContext, type CommonOptions, positiveInt, withCommonOptions } from '../context';
import { type Colour, out } from '../colour';
import { confirm, withYesOption } from '../confirm';
import { CliError, describeError, UsageError } from '../errors';
import { describeFailure, parseStreamFailure, recordId, recordsOf, type StreamFailure } from '../dead-letters';
import { deliverToConsumer, functionNameFromArn, resolveFunctionName } from '../functions';
import { kebabCase } from '../../lib/consumers/consumer-names';
import { line, printJson, progress } from '../print';
import { redriveDeduplicationId } from '../redrive-deduplication';
import { peekMessages, queueCounts, ReceiveOnce, resolveQueueUrl } from '../queues';

interface RedriveOptions extends CommonOptions {
  readonly dryRun?: boolean;
  readonly limit?: number;
  readonly to?: string;
  readonly functionName?: string;
  readonly maxAttempts: number;
}

/** A DLQ the outputs name, and where its messages go back to. */
type DlqTarget = { readonly kind: 'queue'; readonly sourceOutput: string } | { readonly kind: 'consumer'; readonly consumer: string };

/** A DLQ of the outputs file: its output name, its alias (the name in kebab-case) and where its messages go back to. */
interface KnownDlq {
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

/** `sluice redrive <dlq>`: move DLQ messages back to where they failed. */
export function registerRedrive(program: Command): void {
  const command = withCommonOptions(
    program
      .command('redrive')
      .summary('move messages from a DLQ back to their source')
      .description(
        'Moves messages from a dead-letter queue back to where they failed. A queue DLQ (notifications, state-transfer FIFO): ' +
          'each message is re-sent to the source queue (FIFO: same group id, deduplication id redrive:<DLQ message id>, as SQS would drop ' +
          'the original id within 5 minutes of its first send) and then deleted from the DLQ. ' +
          "A stream consumer's on-failure DLQ: each message (the mapping's failure record with a shard and sequence range, or a " +
          "consumer's {reason, record} dead letter) is turned back into the records it names - read again from the stream " +
          'when needed - and the consumer function is invoked with them (Lambda Invoke, retrying partial failures); the DLQ ' +
          'message is deleted only when every record succeeded. A message that cannot be moved stays in the DLQ and is listed ' +
          "with its error (exit 1). --dry-run lists every message that would move and the queue's own counts, and changes nothing. " +
          'Without --dry-run it asks first (or needs --yes when there is no terminal). ' +
          'DLQs: each <Name>DlqUrl output of the outputs file, by its name in kebab-case (NotificationsDlqUrl: notifications, ' +
          'ProjectorDlqUrl: projector), or a queue URL (with --to <source queue> for a queue DLQ).',
      )
      .argument('<dlq>', 'DLQ alias, output name or queue URL')
      .option('--dry-run', 'list the messages (ids, sequence ranges, reasons) without moving anything')
      .option('-n, --limit <n>', 'move at most n messages', positiveInt)
      .option('--to <queue>', 'source queue for a queue DLQ given by URL (output name or URL)')
      .option('--function-name <name>', "the consumer function to invoke (default: from the failure record or the DLQ's consumer)")
      .option('--max-attempts <n>', 'invocations per message before it stays in the DLQ', positiveInt, 3)
      .addHelpText(
        'after',
        '\nExamples:\n  sluice redrive notifications --dry-run\n  sluice redrive NotificationsDlqUrl --yes\n  sluice redrive projector --json --yes',
      ),
  );
  withYesOption(command).action(action(redriveAction));
}

async function redriveAction(ctx: CliContext, dlq: string, options: RedriveOptions): Promise<void> {
  const { url, target } = resolveDlq(ctx, dlq, options);
  if (target?.kind === 'queue') {
    const sourceUrl = resolveQueueUrl(ctx, target.sourceOutput);
    if (options.dryRun) return dryRun(ctx, url, 'queue', options);
    await confirm(`redrive re-sends the messages of ${url} to ${sourceUrl} and deletes them from the DLQ`, options.yes);
    return redriveQueue(ctx, url, sourceUrl, options);
  }
  if (options.dryRun) return dryRun(ctx, url, 'consumer', options);
  await confirm(`redrive invokes the consumer with the records of ${url} and deletes each message that succeeds`, options.yes);
  return redriveConsumer(ctx, url, target?.kind === 'consumer' ? target.consumer : undefined, options);
}

function resolveDlq(ctx: CliContext, dlq: string, options: RedriveOptions): { url: string; target?: DlqTarget } {
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

function parseBody(message: Message): unknown {
  try {
    return JSON.parse(message.Body ?? '');
  } catch {
    return message.Body;
  }
}

interface Listed {
  readonly messageId: string;
  readonly receiveCount?: number;
  readonly groupId?: string;
  readonly deduplicationId?: string;
  readonly summary: string;
  readonly reason?: string;
  readonly failure?: StreamFailure;
}

/** Lists every message (a full peek: received, then made visible again; nothing deleted) and what would move. */
async function dryRun(ctx: CliContext, url: string, kind: 'queue' | 'consumer', options: RedriveOptions): Promise<void> {
  const queue = await queueCounts(ctx.sqs, url);
  const listed = (await peekMessages(ctx.sqs, url, options.limit ? { limit: options.limit } : {})).map((message) => listMessage(message, kind));
  if (ctx.json) {
    printJson({ dlq: url, kind, dryRun: true, count: listed.length, queue, messages: listed });
    return;
  }
  line(
    `${listed.length} message(s) in ${url} would be redriven (dry run, nothing changed; the queue reports ${queue.visible} visible, ${queue.inFlight} in flight)`,
  );
  for (const item of listed) line(`  ${item.messageId}  ${item.groupId ? `group ${item.groupId}  ` : ''}${item.summary}`);
}

function listMessage(message: Message, kind: 'queue' | 'consumer'): Listed {
  const body = parseBody(message);
  const failure = kind === 'consumer' ? parseStreamFailure(body) : undefined;
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, any>;
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId!,
    ...(attributes.ApproximateReceiveCount ? { receiveCount: Number(attributes.ApproximateReceiveCount) } : {}),
    ...(attributes.MessageGroupId ? { groupId: attributes.MessageGroupId } : {}),
    ...(attributes.MessageDeduplicationId ? { deduplicationId: attributes.MessageDeduplicationId } : {}),
    summary: failure ? describeFailure(failure) : kind === 'consumer' ? 'not a failure record (would be left in the DLQ)' : summarize(b),
    ...(failure?.shape === 'dead-letter' ? { reason: failure.reason } : b.reason ? { reason: String(b.reason) } : {}),
    ...(failure ? { failure } : {}),
  };
}

function summarize(body: Record<string, any>): string {
  if (body.notificationId) return `notification ${body.notificationId} ${body.eventType ?? ''} for ${body.accountId ?? '?'}`;
  if (body.type) return `${body.type} ${body.subject ?? ''}${body.data?.version ? ` v${body.data.version}` : ''}`;
  return JSON.stringify(body).slice(0, 80);
}

/**
 * Re-sends each message to the source queue (FIFO: same group, a redrive deduplication id), then deletes
 * it from the DLQ. A message that cannot be re-sent stays in the DLQ, visible again at once; the
 * report lists it with the error, and the command exits 1.
 */
async function redriveQueue(ctx: CliContext, dlqUrl: string, sourceUrl: string, options: RedriveOptions): Promise<void> {
  const fifo = sourceUrl.endsWith('.fifo');
  const moved: string[] = [];
  const failures: Array<{ messageId: string; error: string }> = [];
  const full = () => options.limit !== undefined && moved.length + failures.length >= options.limit;
  const dlq = new ReceiveOnce(ctx.sqs, dlqUrl, 60);
  const bar = progress('redrive', 0, ctx.json);
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
  if (ctx.json) printJson({ dlq: dlqUrl, kind: 'queue', source: sourceUrl, moved: moved.length, failed: failures.length, messageIds: moved, failures });
  else {
    line(`moved ${moved.length} message(s) from ${dlqUrl} to ${sourceUrl}; ${failures.length} failed (left in the DLQ)`);
    for (const failure of failures) line(`  ${failure.messageId}  ${out('red', 'failed')}  ${failure.error}`);
  }
  if (failures.length) {
    throw new CliError(
      `${failures.length} message(s) could not be re-sent to ${sourceUrl} and stay in the DLQ (${failures.map((f) => f.messageId).join(', ')}); fix the cause and run sluice redrive again`,
    );
  }
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

const STATUS_COLOUR: Readonly<Record<ConsumerOutcome['status'], Colour>> = { redriven: 'green', failed: 'red', skipped: 'yellow' };

interface ConsumerOutcome {
  readonly messageId: string;
  readonly summary: string;
  readonly functionName?: string;
  readonly records: number;
  readonly status: 'redriven' | 'failed' | 'skipped';
  readonly error?: string;
}

/** Invokes the consumer with the records each DLQ message names; deletes the message only on success. */
async function redriveConsumer(ctx: CliContext, dlqUrl: string, consumer: string | undefined, options: RedriveOptions): Promise<void> {
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
  const bar = progress('redrive', 0, ctx.json);
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
  const count = (status: ConsumerOutcome['status']) => outcomes.filter((o) => o.status === status).length;
  if (ctx.json) {
    printJson({ dlq: dlqUrl, kind: 'consumer', moved: count('redriven'), failed: count('failed'), skipped: count('skipped'), messages: outcomes });
  } else {
    line(`redrove ${count('redriven')} message(s) from ${dlqUrl}; ${count('failed')} failed, ${count('skipped')} skipped (left in the DLQ)`);
    for (const o of outcomes)
      line(
        `  ${o.messageId}  ${out(STATUS_COLOUR[o.status], o.status)}  ${o.summary}${o.records ? `  ${o.records} record(s)` : ''}${o.error ? `  ${o.error}` : ''}`,
      );
  }
  if (count('failed')) throw new CliError(`${count('failed')} message(s) could not be redriven and stay in the DLQ`);
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

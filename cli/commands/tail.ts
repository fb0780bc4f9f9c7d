import type { _Record } from '@aws-sdk/client-kinesis';
import type { Message } from '@aws-sdk/client-sqs';
import type { FeedFilter } from '../../local/console/contract';
import { action, type CliContext } from '../context';
import type { CommonOptions } from '../options';
import { UsageError } from '../errors';
import { escapeControl } from '../escape-control';
import { checkFeedFilter, FeedFilterError, type FilterableEnvelope, matchesFeedFilter } from '../event-filter';
import { shortJson } from '../print';
import { peekMessages, resolveQueueUrl } from '../queues';
import { StopSignal } from '../stop';
import { listShards, recordJson, recordText, ShardReader, type StartAt } from '../stream';

interface TailOptions extends CommonOptions {
  readonly queue?: string;
  readonly from?: Date;
  readonly trimHorizon?: boolean;
  readonly limit?: number;
  readonly follow?: boolean;
  readonly pollMs: number;
  readonly type?: string;
  readonly subject?: string;
  readonly account?: string;
  readonly trace?: string;
}

/** Every output line goes through here: control and bidi characters in records are shown escaped, never obeyed. */
function line(text: string): void {
  process.stdout.write(`${escapeControl(text)}\n`);
}

/** NDJSON, escaped too: JSON leaves C1 and bidi characters raw, and `\uXXXX` keeps the line valid JSON of the same value. */
function printNdjson(value: unknown): void {
  line(JSON.stringify(value));
}

/** The filters given on the command line, checked (a bad --trace would hide everything). */
function filterOf(options: TailOptions): FeedFilter {
  const filter: FeedFilter = {
    ...(options.type === undefined ? {} : { type: options.type }),
    ...(options.subject === undefined ? {} : { subject: options.subject }),
    ...(options.account === undefined ? {} : { account: options.account }),
    ...(options.trace === undefined ? {} : { trace: options.trace }),
  };
  try {
    return checkFeedFilter(filter);
  } catch (error) {
    if (error instanceof FeedFilterError) throw new UsageError(`--${error.message}`);
    throw error;
  }
}

async function tailAction(ctx: CliContext, options: TailOptions): Promise<void> {
  if (options.from && options.trimHorizon) throw new UsageError('give --from or --trim-horizon, not both');
  if (options.queue && (options.from || options.trimHorizon)) throw new UsageError('--from and --trim-horizon apply to the stream, not to --queue');
  const follow = options.follow !== false;
  const filter = filterOf(options);
  const stop = new StopSignal();
  try {
    if (options.queue) return await tailQueue(ctx, resolveQueueUrl(ctx, options.queue), follow, stop, options, filter);
    return await tailStream(ctx, follow, stop, options, filter);
  } finally {
    stop.dispose();
  }
}

async function tailStream(ctx: CliContext, follow: boolean, stop: StopSignal, options: TailOptions, filter: FeedFilter): Promise<void> {
  const streamName = ctx.output('EventsStreamName');
  const start: StartAt = options.trimHorizon ? { type: 'TRIM_HORIZON' } : options.from ? { type: 'AT_TIMESTAMP', timestamp: options.from } : { type: 'LATEST' };
  const shards = await listShards(ctx.kinesis, streamName);
  const readers = await Promise.all(shards.map((shard) => ShardReader.open(ctx.kinesis, streamName, shard.ShardId!, start)));
  let printed = 0;
  while (!stop.stopped) {
    let any = false;
    for (const reader of readers) {
      if (reader.closed) continue;
      const records = await reader.next();
      for (const record of records) {
        any = true;
        if (!matchesFeedFilter(recordJson(record) ?? {}, filter)) continue;
        printRecord(ctx, reader.shardId, record);
        if (options.limit && ++printed >= options.limit) return;
      }
    }
    if (!follow && readers.every((reader) => reader.caughtUp || reader.closed)) return;
    if (readers.every((reader) => reader.closed)) return;
    if (!any) await stop.pause(options.pollMs);
  }
}

function printRecord(ctx: CliContext, shardId: string, record: _Record): void {
  const event = recordJson(record);
  const arrivedAt = record.ApproximateArrivalTimestamp?.toISOString();
  if (ctx.json) {
    printNdjson({
      shardId,
      sequenceNumber: record.SequenceNumber,
      partitionKey: record.PartitionKey,
      arrivedAt,
      ...(event ? { event } : { raw: recordText(record) }),
    });
    return;
  }
  if (!event) {
    line(`${arrivedAt ?? '-'}  (not JSON)  ${shortJson(recordText(record))}`);
    return;
  }
  line(
    `${event.time ?? arrivedAt ?? '-'}  ${event.type ?? '?'}  ${event.subject ?? '-'}${event.streamversion ? ` v${event.streamversion}` : ''}  ${shortJson(event.data)}`,
  );
}

/** Prints every message in the queue (a full peek: none is consumed), then, when following, each new one as it comes. */
async function tailQueue(ctx: CliContext, queueUrl: string, follow: boolean, stop: StopSignal, options: TailOptions, filter: FeedFilter): Promise<void> {
  const seen = new Set<string>();
  let printed = 0;
  while (!stop.stopped) {
    const fresh = (await peekMessages(ctx.sqs, queueUrl)).filter((message) => !seen.has(message.MessageId!));
    for (const message of fresh) {
      seen.add(message.MessageId!);
      if (!matchesFeedFilter(messageEnvelope(message), filter)) continue;
      printMessage(ctx, queueUrl, message);
      if (options.limit && ++printed >= options.limit) return;
    }
    if (!follow) return;
    if (fresh.length === 0) await stop.pause(options.pollMs);
  }
}

/**
 * What the filters look at in a message: its body when that is an envelope (a state-changed event)
 * or a notification (`eventType`, `accountId`), and its `traceparent` message attribute.
 */
function messageEnvelope(message: Message): FilterableEnvelope {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(message.Body ?? '');
    if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: only the attributes can match.
  }
  const data = body.data ?? (body.accountId === undefined ? undefined : { accountId: body.accountId });
  return {
    type: body.type ?? body.eventType,
    subject: body.subject ?? body.accountId,
    partitionkey: body.partitionkey,
    traceparent: body.traceparent ?? message.MessageAttributes?.traceparent?.StringValue,
    data,
  };
}

function printMessage(ctx: CliContext, queueUrl: string, message: Message): void {
  let body: unknown = message.Body;
  try {
    body = JSON.parse(message.Body ?? '');
  } catch {
    // Keep the raw text.
  }
  const attributes = message.Attributes ?? {};
  if (ctx.json) {
    printNdjson({ queueUrl, messageId: message.MessageId, attributes, body });
    return;
  }
  const sent = attributes.SentTimestamp ? new Date(Number(attributes.SentTimestamp)).toISOString() : '-';
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, any>;
  const kind =
    b.type ?? b.eventType ?? (b.KinesisBatchInfo ? 'kinesis-failure' : b.DDBStreamBatchInfo ? 'ddb-stream-failure' : b.reason ? `failure: ${b.reason}` : 'message');
  const subject = b.subject ?? b.accountId ?? attributes.MessageGroupId ?? '-';
  line(`${sent}  ${kind}  ${subject}  ${message.MessageId}  ${shortJson(body)}`);
}

/** What `sluice tail` runs (its options: `cli/program/tail.ts`). */
export const run = action(tailAction);

import type { _Record } from '@aws-sdk/client-kinesis';
import type { Message } from '@aws-sdk/client-sqs';
import type { Command } from 'commander';
import { action, type CliContext, type CommonOptions, isoTime, positiveInt, withCommonOptions } from '../context';
import { UsageError } from '../errors';
import { line, printNdjson, shortJson } from '../print';
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
}

/** `sluice tail`: follow the events stream (all shards) or peek at a queue. */
export function registerTail(program: Command): void {
  withCommonOptions(
    program
      .command('tail')
      .summary('follow the Kinesis stream or peek at a queue')
      .description(
        'Prints the events on the Kinesis events stream (every shard) one per line: time, type, subject, data. ' +
          'With --queue, prints every message of a queue instead: each is received, then made visible again at once, never deleted ' +
          "(each peek still counts as a receive towards the queue's maxReceiveCount; a FIFO queue shows the first messages of each " +
          'group). --follow (the default) keeps printing new records or messages until Ctrl-C, which stops cleanly (exit 0). ' +
          '--json prints NDJSON, one object per record or message.',
      )
      .option('--queue <name>', 'a queue instead of the stream: an output name (NotificationsDlqUrl), or a queue URL')
      .option('--from <iso>', 'start at this time (AT_TIMESTAMP) instead of LATEST', isoTime)
      .option('--trim-horizon', 'start at the oldest record of each shard')
      .option('-n, --limit <n>', 'stop after n events or messages', positiveInt)
      .option('--follow', 'keep waiting for new records (default)')
      .option('--no-follow', 'stop once every shard (or the queue) has nothing new')
      .option('--poll-ms <ms>', 'pause between empty polls', positiveInt, 1000)
      .addHelpText('after', '\nExamples:\n  sluice tail\n  sluice tail --trim-horizon --no-follow --json\n  sluice tail --queue NotificationsDlqUrl --no-follow'),
  ).action(action(tailAction));
}

async function tailAction(ctx: CliContext, options: TailOptions): Promise<void> {
  if (options.from && options.trimHorizon) throw new UsageError('give --from or --trim-horizon, not both');
  if (options.queue && (options.from || options.trimHorizon)) throw new UsageError('--from and --trim-horizon apply to the stream, not to --queue');
  const follow = options.follow !== false;
  const stop = new StopSignal();
  try {
    if (options.queue) return await tailQueue(ctx, resolveQueueUrl(ctx, options.queue), follow, stop, options);
    return await tailStream(ctx, follow, stop, options);
  } finally {
    stop.dispose();
  }
}

async function tailStream(ctx: CliContext, follow: boolean, stop: StopSignal, options: TailOptions): Promise<void> {
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
        printRecord(ctx, reader.shardId, record);
        any = true;
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
async function tailQueue(ctx: CliContext, queueUrl: string, follow: boolean, stop: StopSignal, options: TailOptions): Promise<void> {
  const seen = new Set<string>();
  while (!stop.stopped) {
    const fresh = (await peekMessages(ctx.sqs, queueUrl)).filter((message) => !seen.has(message.MessageId!));
    for (const message of fresh) {
      seen.add(message.MessageId!);
      printMessage(ctx, queueUrl, message);
      if (options.limit && seen.size >= options.limit) return;
    }
    if (!follow) return;
    if (fresh.length === 0) await stop.pause(options.pollMs);
  }
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

import { action, type CliContext } from '../context';
import type { CommonOptions } from '../options';
import { CliError } from '../errors';
import { deliverToConsumer, requireEventsStreamConsumer, resolveFunctionName } from '../functions';
import { line, printJson, progress } from '../print';
import { DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { type KinesisEventRecord, kinesisEventRecord, listShards, ShardReader } from '../stream';

interface ReplayStreamOptions extends CommonOptions {
  readonly consumer: string;
  readonly from: Date;
  readonly to?: Date;
  readonly functionName?: string;
  readonly batchSize: number;
  readonly maxAttempts: number;
}

async function replayStreamAction(ctx: CliContext, options: ReplayStreamOptions): Promise<void> {
  const streamName = ctx.output('EventsStreamName');
  const functionName = await resolveFunctionName(ctx, requireEventsStreamConsumer(ctx, options.consumer), options.functionName);
  const streamArn = await describeArn(ctx, streamName);
  const region = (await ctx.kinesis.config.region()) ?? 'us-east-1';
  const shards = await listShards(ctx.kinesis, streamName);
  let records = 0;
  let invocations = 0;
  let retries = 0;
  const failed: Array<{ shardId: string; sequenceNumber: string; error: string }> = [];
  const bar = progress(`replay ${options.consumer}`, 0, ctx.json);
  let total = 0;
  try {
    await Promise.all(
      shards.map(async (shard) => {
        const shardId = shard.ShardId!;
        const reader = await ShardReader.open(ctx.kinesis, streamName, shardId, { type: 'AT_TIMESTAMP', timestamp: options.from });
        while (!reader.closed) {
          const page = (await reader.next(options.batchSize)).filter(
            (record) => !options.to || (record.ApproximateArrivalTimestamp?.getTime() ?? 0) <= options.to.getTime(),
          );
          if (page.length) {
            total += page.length;
            bar.setTotal(total);
            const events = page.map((record) => kinesisEventRecord(record, shardId, streamArn, region));
            const result = await deliverToConsumer<KinesisEventRecord>(ctx, functionName, events, (r) => r.kinesis.sequenceNumber, options.maxAttempts);
            records += page.length;
            invocations += result.invocations;
            retries += result.retries;
            bar.increment(page.length);
            if (result.failed.length) {
              // Like a mapping that gives up on a batch: report it and go on after it.
              failed.push(...result.failed.map((f) => ({ shardId, sequenceNumber: f.id, error: f.error })));
            }
          }
          if (reader.caughtUp) break;
        }
      }),
    );
  } finally {
    bar.stop();
  }
  const summary = { consumer: options.consumer, functionName, from: options.from.toISOString(), shards: shards.length, records, invocations, retries, failed };
  if (ctx.json) printJson(summary);
  else {
    line(
      `replayed ${records} record(s) from ${shards.length} shard(s) into ${functionName} (${options.consumer}) in ${invocations} invocation(s), ${retries} retried`,
    );
    for (const f of failed.slice(0, 20)) line(`  failed ${f.shardId} ${f.sequenceNumber}: ${f.error}`);
  }
  if (failed.length) throw new CliError(`${failed.length} record(s) still failed after ${options.maxAttempts} attempt(s)`);
}

async function describeArn(ctx: CliContext, streamName: string): Promise<string> {
  const { StreamDescriptionSummary } = await ctx.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
  return StreamDescriptionSummary?.StreamARN ?? streamName;
}

/** What `sluice replay stream` runs (its options: `cli/program/replay.ts`). */
export const run = action(replayStreamAction);

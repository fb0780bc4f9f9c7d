import { action, type CliContext } from '../context';
import { type Colour, out } from '../colour';
import { confirm } from '../confirm';
import type { CommonOptions } from '../options';
import { CliError } from '../errors';
import { line, printJson, progress } from '../print';
import { resolveQueueUrl } from '../queues';
import { type ConsumerOutcome, listDlq, redriveConsumer, type RedriveOptions as CoreRedriveOptions, redriveQueue, resolveDlq } from '../redrive-dlq';

export { knownDlqs, resendRequest, type KnownDlq, type DlqTarget } from '../redrive-dlq';

type RedriveOptions = CommonOptions & CoreRedriveOptions;

async function redriveAction(ctx: CliContext, dlq: string, options: RedriveOptions): Promise<void> {
  const { url, target } = resolveDlq(ctx, dlq, options);
  if (target?.kind === 'queue') {
    const sourceUrl = resolveQueueUrl(ctx, target.sourceOutput);
    if (options.dryRun) return dryRun(ctx, url, 'queue', options);
    await confirm(`redrive re-sends the messages of ${url} to ${sourceUrl} and deletes them from the DLQ`, options.yes);
    return printQueueRedrive(ctx, url, sourceUrl, options);
  }
  if (options.dryRun) return dryRun(ctx, url, 'consumer', options);
  await confirm(`redrive invokes the consumer with the records of ${url} and deletes each message that succeeds`, options.yes);
  return printConsumerRedrive(ctx, url, target?.kind === 'consumer' ? target.consumer : undefined, options);
}

/** Prints every message that would move and the queue's own counts; changes nothing. */
async function dryRun(ctx: CliContext, url: string, kind: 'queue' | 'consumer', options: RedriveOptions): Promise<void> {
  const { queue, messages: listed } = await listDlq(ctx, url, kind, options.limit);
  if (ctx.json) {
    printJson({ dlq: url, kind, dryRun: true, count: listed.length, queue, messages: listed });
    return;
  }
  line(
    `${listed.length} message(s) in ${url} would be redriven (dry run, nothing changed; the queue reports ${queue.visible} visible, ${queue.inFlight} in flight)`,
  );
  for (const item of listed) line(`  ${item.messageId}  ${item.groupId ? `group ${item.groupId}  ` : ''}${item.summary}`);
}

/** Redrives a queue DLQ and prints what moved; exits 1 when a message could not be re-sent. */
async function printQueueRedrive(ctx: CliContext, dlqUrl: string, sourceUrl: string, options: RedriveOptions): Promise<void> {
  const { moved, failures } = await redriveQueue(ctx, dlqUrl, sourceUrl, options, progress('redrive', 0, ctx.json));
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

const STATUS_COLOUR: Readonly<Record<ConsumerOutcome['status'], Colour>> = { redriven: 'green', failed: 'red', skipped: 'yellow' };

/** Redrives a stream consumer's DLQ and prints each message's outcome; exits 1 when one failed. */
async function printConsumerRedrive(ctx: CliContext, dlqUrl: string, consumer: string | undefined, options: RedriveOptions): Promise<void> {
  const outcomes = await redriveConsumer(ctx, dlqUrl, consumer, options, progress('redrive', 0, ctx.json));
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

/** What `sluice redrive` runs (its options: `cli/program/redrive.ts`). */
export const run = action(redriveAction);

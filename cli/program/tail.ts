import type { Command } from 'commander';
import { isoTime, positiveInt, withCommonOptions } from '../options';
import { lazyAction } from './lazy-action';

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
      .option('--type <type>', 'only events of this type, e.g. sluice.account.deposited.v1')
      .option('--subject <subject>', 'only events with this subject')
      .option('--account <id>', 'only events about this account: its subject or partition key, or the account a swipe or fraud alert names')
      .option('--trace <id>', 'only events of this trace: a trace id (32 hex) or a whole traceparent')
      .addHelpText(
        'after',
        '\nFilters combine: every one given must match; -n counts only what is printed. Control and bidi characters in what is printed are shown as \\uXXXX.' +
          '\n\nExamples:\n  sluice tail\n  sluice tail --trim-horizon --no-follow --json\n  sluice tail --account acc-1 --type sluice.account.deposited.v1' +
          '\n  sluice tail --trim-horizon --no-follow --trace 4bf92f3577b34da6a3ce929d0e0e4736\n  sluice tail --queue NotificationsDlqUrl --no-follow',
      ),
  ).action(
    lazyAction(
      () => import('../commands/tail'),
      (loaded) => loaded.run,
    ),
  );
}

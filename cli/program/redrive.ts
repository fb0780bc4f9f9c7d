import type { Command } from 'commander';
import { positiveInt, withCommonOptions, withYesOption } from '../options';
import { lazyAction } from './lazy-action';

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
  withYesOption(command).action(
    lazyAction(
      () => import('../commands/redrive'),
      (loaded) => loaded.run,
    ),
  );
}

import { type Command, Option } from 'commander';
import { isoTime, positiveInt, withCommonOptions, withYesOption } from '../options';
import { lazyAction } from './lazy-action';

/** `sluice replay read-model|replica|stream`. */
export function registerReplay(program: Command): void {
  const replay = program
    .command('replay')
    .summary('rebuild projections from the event store, or backfill a consumer from the stream')
    .description('Rebuilds the CQRS read model or the replica from the event store, or replays the stream into one consumer.');
  registerRebuild(replay, 'read-model', 'rebuild the balances and transactions tables from the event store');
  registerRebuild(replay, 'replica', 'rebuild the replica table from the event store');
  registerReplayStream(replay);
}

function registerRebuild(replay: Command, kind: 'read-model' | 'replica', summary: string): void {
  const command = withCommonOptions(
    replay
      .command(kind)
      .summary(summary)
      .description(
        `${summary[0].toUpperCase()}${summary.slice(1)}. The event store is scanned in parallel segments; each account's events are ` +
          "folded in version order with the domain's own code (events are parsed and upcast, so old versions still project). " +
          '--target fresh writes into new tables named <table>-rebuild-<time> (printed); --target in-place writes into the live ' +
          'tables with version-checked writes that never move a row backwards (a row at the same version is rewritten, which repairs it); ' +
          'it asks first (or needs --yes when there is no terminal). A checkpoint under .sluice/replay/<job>.json records ' +
          'finished segments: an interrupted job continues with --resume <job>. --verify compares the result with the live tables ' +
          'field by field and exits 1 on any difference.',
      )
      .addOption(new Option('--target <target>', 'where to write').choices(['fresh', 'in-place']).default('fresh'))
      .option('--segments <n>', 'parallel scan segments of the event store', positiveInt, 4)
      .option('--concurrency <n>', 'segments processed at the same time (default: min(segments, 4))', positiveInt)
      .option('--resume <job>', 'continue an interrupted job (its target, tables and segments come from the checkpoint)')
      .option('--verify', 'compare the rebuilt rows with the live tables field by field; exit 1 on differences')
      .addOption(new Option('--stop-after-segments <n>', 'testing: stop (as if interrupted) after n segments').argParser(positiveInt).hideHelp())
      .addHelpText(
        'after',
        `\nExamples:\n  sluice replay ${kind} --target fresh --verify\n  sluice replay ${kind} --target in-place --segments 8 --yes\n  sluice replay ${kind} --resume ${kind}-20250131t120000000z`,
      ),
  );
  withYesOption(command).action(
    lazyAction(
      () => import('../commands/replay'),
      (loaded) => loaded.runRebuild(kind),
    ),
  );
}

/** `sluice replay stream --consumer <name> --from <time>`: backfill one consumer from the stream. */
function registerReplayStream(replay: Command): void {
  withCommonOptions(
    replay
      .command('stream')
      .summary('backfill one consumer from the Kinesis stream')
      .description(
        'Reads the events stream from --from (AT_TIMESTAMP) on every shard and invokes one consumer function directly ' +
          '(Lambda Invoke) with Kinesis-shaped events, shard by shard in order, as its event source mapping would: a partial batch ' +
          'response retries from the first failed record, a function error retries the batch, up to --max-attempts. The other ' +
          "consumers' mappings are not touched. The consumers are those the outputs file lists in EventsStreamConsumers; the " +
          'function is --function-name or the output <Consumer>FunctionName. The consumers are idempotent, so replaying what they ' +
          'already saw is safe. Exit 1 when records still fail.',
      )
      .requiredOption('--consumer <name>', "the consumer to backfill, e.g. projector (one of the outputs' EventsStreamConsumers)")
      .requiredOption('--from <iso>', 'first record time (ISO 8601)', isoTime)
      .option('--to <iso>', 'stop at records that arrived after this time (default: the tip when the shard is read)', isoTime)
      .option('--function-name <name>', 'the function to invoke (default: the output <Consumer>FunctionName)')
      .option('--batch-size <n>', 'records per invocation', positiveInt, 100)
      .option('--max-attempts <n>', 'invocations per batch before its records count as failed', positiveInt, 3)
      .addHelpText('after', '\nExample:\n  sluice replay stream --consumer projector --from 2025-01-31T12:00:00Z'),
  ).action(
    lazyAction(
      () => import('../commands/replay-stream'),
      (loaded) => loaded.run,
    ),
  );
}

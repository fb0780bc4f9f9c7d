import type { Command } from 'commander';
import { withCommonOptions } from '../options';
import { lazyAction } from './lazy-action';

/** `sluice store <accountId>`: the account's events, their fold and its snapshot. */
export function registerStore(program: Command): void {
  withCommonOptions(
    program
      .command('store')
      .summary("show an account's events, folded state and snapshot")
      .description(
        "Reads an account's history from the event store, folds it with the domain's reducer (the same code the\n" +
          'command function uses) and shows the snapshot: its version and whether it parses and agrees with the history.',
      )
      .argument('<accountId>', 'the account id (stream account#<accountId>)'),
  ).action(
    lazyAction(
      () => import('../commands/store'),
      (loaded) => loaded.run,
    ),
  );
}

import type { Command } from 'commander';
import { withCommonOptions } from '../options';
import { lazyAction } from './lazy-action';

/** `sluice trace <eventId|traceId>`: every hop of an event (or of every event of a trace) with its time and latency. */
export function registerTrace(program: Command): void {
  withCommonOptions(
    program
      .command('trace')
      .summary('show every hop of an event or a trace, with times and latencies')
      .argument('<id>', 'an event id (a ULID, as the API answers it) or a trace id / traceparent (the API answers it in the traceparent header)')
      .description(
        'Finds the event (or every event of the trace) in the event store and on the events stream, then reads the timestamp each ' +
          'later hop leaves: the read model (transactions.projectedAt), the delivery log (deliveredAt) and the replica (replicatedAt, ' +
          'while it still holds that version). Prints one line per hop: time, latency from the previous hop, hop, where the time ' +
          'was read. Works on the local cloud and on a deployed stage (--stage); the store lookup is a filtered Scan, so it reads ' +
          'the whole event store table. --json prints {id, traceId, eventIds, hops: [{hop, at, latencyMs, source, detail}]}.',
      )
      .addHelpText(
        'after',
        '\nExamples:\n  sluice trace 01JF8ZP4R3W6K2S1Q9X7V5T3N1\n  sluice trace 4bf92f3577b34da6a3ce929d0e0e4736 --json\n  sluice trace 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01 --stage dev',
      ),
  ).action(
    lazyAction(
      () => import('../commands/trace'),
      (loaded) => loaded.run,
    ),
  );
}

import { type Command, InvalidArgumentError } from 'commander';
import { DEFAULT_SETTLED_TIMEOUT_SECONDS, MAX_SETTLED_TIMEOUT_SECONDS, parseSettledTimeout } from '../../local/settled-timeout';
import { lazyAction } from './lazy-action';

/** `sluice settle`: wait until the local cloud has caught up (`GET /_sluice/settled`). */
export function registerSettle(program: Command): void {
  program
    .command('settle')
    .summary('wait until the local cloud has caught up (mappings, invocations, queues)')
    .description(
      'Waits until every event source mapping of the local cloud has checkpointed the tip of its stream, no function ' +
        'invocation is in flight and every queue that is not a DLQ is empty (GET /_sluice/settled on --endpoint-url or AWS_ENDPOINT_URL). ' +
        'Exit 0 when settled; 1 with what is still pending at the timeout. Local cloud only: a deployed stage has no ' +
        'such signal, so without AWS_ENDPOINT_URL (or against an endpoint that is not `npm start`) it exits 1 and says so.',
    )
    .option('--timeout <seconds>', `how long to wait, 0-${MAX_SETTLED_TIMEOUT_SECONDS}`, timeoutSeconds, DEFAULT_SETTLED_TIMEOUT_SECONDS)
    .option('--json', "machine output: the endpoint's answer as one JSON document on stdout")
    .addHelpText('after', '\nExamples:\n  AWS_ENDPOINT_URL=http://localhost:4566 sluice settle\n  sluice settle --timeout 120 --json')
    .action(
      lazyAction(
        () => import('../commands/settle'),
        (loaded) => loaded.run,
      ),
    );
}

function timeoutSeconds(value: string): number {
  try {
    return parseSettledTimeout(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

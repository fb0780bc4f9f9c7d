import type { Command } from 'commander';
import { withCommonOptions } from '../options';
import { lazyAction } from './lazy-action';

/** The source of events that name none. */
const DEFAULT_SOURCE = 'sluice/cli';

/** `sluice send`: POST events to the API's /events, batched by count and bytes. */
export function registerSend(program: Command): void {
  withCommonOptions(
    program
      .command('send')
      .summary('send events to POST /events')
      .description(
        'Sends telemetry events to the ingestion API (POST /events), in batches of at most 500 events and 5 MiB. ' +
          'Events come from the options (one event), from --file (a JSON array or NDJSON; "-" = stdin), or from ' +
          'stdin when it is not a terminal. The API URL is the ApiUrl output (or $SLUICE_API_URL); the key is $SLUICE_API_KEY, ' +
          "else local-dev-key on the local cloud, else the value of the stage's ApiKeyId output (API Gateway GetApiKey). Exit 1 when any event failed.",
      )
      .option('--type <type>', 'event type, e.g. sluice.card.swiped.v1')
      .option('--subject <subject>', 'event subject (the card id for card events)')
      .option('--data <json>', 'event data as JSON')
      .option('--source <source>', 'event source for events that have none', DEFAULT_SOURCE)
      .option('--id <ulid>', 'event id (a ULID; resending with the same id lets consumers drop the duplicate)')
      .option('--time <iso>', 'event time, ISO 8601 with offset')
      .option('-f, --file <path>', 'events file: JSON array, {"events": [...]} or NDJSON; "-" reads stdin')
      .addHelpText(
        'after',
        `\nExamples:\n  sluice send --type sluice.card.swiped.v1 --subject card-1 \\\n    --data '{"cardId":"card-1","accountId":"a1","amount":1250,"merchant":"Café","country":"FR","at":"2025-01-31T12:00:00Z"}'\n  sluice send --file swipes.ndjson --json\n  cat swipes.json | sluice send`,
      ),
  ).action(
    lazyAction(
      () => import('../commands/send'),
      (loaded) => loaded.run,
    ),
  );
}

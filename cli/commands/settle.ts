import http from 'node:http';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import {
  DEFAULT_SETTLED_TIMEOUT_SECONDS,
  MAX_SETTLED_TIMEOUT_SECONDS,
  parseSettledTimeout,
  SETTLED_PATH,
  type PendingItem,
  type SettledAnswer,
} from '../../local/settled';
import { CliError } from '../errors';
import { endpointOf, type TargetOptions } from '../target';
import { line, note, printJson } from '../print';

interface SettleOptions {
  readonly json?: boolean;
  readonly timeout: number;
}

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
    .action(async (options: SettleOptions, command: Command) => settleAction(options, endpointOf(command.optsWithGlobals<TargetOptions>())));
}

function timeoutSeconds(value: string): number {
  try {
    return parseSettledTimeout(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

async function settleAction(options: SettleOptions, endpoint: string | undefined): Promise<void> {
  if (!endpoint) {
    throw new CliError(
      'settle needs the sluice local cloud: neither --endpoint-url nor AWS_ENDPOINT_URL is set, so the target is a deployed stage, which has no settled signal (set AWS_ENDPOINT_URL=http://localhost:4566 for npm start)',
    );
  }
  const url = new URL(`${SETTLED_PATH}?timeout=${options.timeout}`, endpoint);
  if (!options.json && process.stderr.isTTY) note(`waiting up to ${options.timeout} s for ${endpoint} to settle…`);
  const { status, body } = await getJson(url);
  const answer = body as Partial<SettledAnswer> & { error?: string; message?: string };
  if ((status !== 200 && status !== 503) || typeof answer?.settled !== 'boolean') {
    const said = answer?.message ? `: ${answer.message}` : '';
    throw new CliError(
      `${endpoint} is not a sluice local cloud that can settle (GET ${SETTLED_PATH} answered ${status}${said}); settle works against npm start only`,
    );
  }
  if (options.json) printJson(answer);
  if (answer.settled) {
    if (!options.json) line(`settled after ${answer.waitedMs} ms (${answer.checks} check(s))`);
    return;
  }
  const pending = (answer as { pending?: PendingItem[] }).pending ?? [];
  if (!options.json) {
    line(`not settled after ${options.timeout} s; pending:`);
    for (const item of pending) line(`  ${describePending(item)}`);
  }
  throw new CliError(`not settled within ${options.timeout} s: ${pending.length} item(s) pending`);
}

/** One pending item as a line for people. */
export function describePending(item: PendingItem): string {
  switch (item.kind) {
    case 'mapping':
      return `mapping  ${item.mapping} (${item.function}) shard ${item.shard}: ${item.behind} record(s) behind${item.inProgress > 0 ? `, ${item.inProgress} in progress` : ''}`;
    case 'invocation':
      return `function ${item.function}: ${item.inFlight} invocation(s) in flight`;
    case 'queue':
      return `queue    ${item.queue}: ${item.messages} message(s) (${item.visible} visible, ${item.inFlight} in flight, ${item.delayed} delayed)`;
    case 'error':
      return `error    ${item.source}: ${item.message}`;
  }
}

/** GET with no client-side timeout (the server bounds the wait), the body parsed as JSON when it is. */
function getJson(url: URL): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: not the sluice endpoint
        }
        resolve({ status: response.statusCode ?? 0, body });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

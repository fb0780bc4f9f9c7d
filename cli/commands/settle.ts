import http from 'node:http';
import type { Command } from 'commander';
import { SETTLED_PATH, type PendingItem, type SettledAnswer } from '../../local/settled';
import { CliError } from '../errors';
import { endpointOf, type TargetOptions } from '../target';
import { line, note, printJson } from '../print';

interface SettleOptions {
  readonly json?: boolean;
  readonly timeout: number;
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

/** What `sluice settle` runs (its options: `cli/program/settle.ts`). */
export const run = async (options: SettleOptions, command: Command) => settleAction(options, endpointOf(command.optsWithGlobals<TargetOptions>()));

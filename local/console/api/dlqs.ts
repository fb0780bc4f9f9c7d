/**
 * `GET dlqs` and `POST dlqs/<name>/redrive`: every DLQ the outputs name (the names `sluice redrive`
 * takes), peeked with the same code as `sluice redrive --dry-run`, and the redrive itself through
 * the same core as the command (cli/redrive-dlq.ts), with the CLI's context bound to this local cloud.
 */
import { CliContext } from '../../../cli/context';
import { CliError } from '../../../cli/errors';
import { parseOutputs } from '../../../cli/outputs';
import { progress } from '../../../cli/print';
import { peekMessages, queueCounts, resolveQueueUrl } from '../../../cli/queues';
import { knownDlqs, listDlq, listMessage, redriveConsumer, redriveKind, redriveQueue, resolveDlq, type ResolvedDlq } from '../../../cli/redrive-dlq';
import { LOCAL_REGION, type LocalApp } from '../../model';
import type { DlqsAnswer, RedriveAnswer, RedriveRequest } from '../contract';
import { attributesOf, deadLetterReason } from './dead-letter-reason';
import { withQueueLock } from './queue-lock';
import { ConsoleRefusal, invalid, notFound } from './refusal';

/** Messages peeked per DLQ (the count says how many there are in all). */
export const DLQ_PEEK_LIMIT = 50;
/** Invocations per message before it stays in the DLQ: the command's default. */
const MAX_ATTEMPTS = 3;

/** The CLI's context on this local cloud: its outputs (in memory) and its public endpoint. */
export function localCliContext(app: Pick<LocalApp, 'outputs'>, awsEndpoint: string): CliContext {
  return new CliContext(
    { endpointUrl: awsEndpoint, json: true, yes: true },
    {
      outputs: parseOutputs({ ...app.outputs }, "the local cloud's outputs"),
      sdk: { endpoint: awsEndpoint, region: LOCAL_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } },
    },
  );
}

export async function listDlqs(ctx: CliContext): Promise<DlqsAnswer> {
  const dlqs = await Promise.all(
    knownDlqs(ctx.outputs.values).map(async ({ alias }) => {
      const resolved = resolveDlq(ctx, alias, {});
      const [counts, messages] = await withQueueLock(resolved.url, () =>
        Promise.all([queueCounts(ctx.sqs, resolved.url), peekMessages(ctx.sqs, resolved.url, { limit: DLQ_PEEK_LIMIT })]),
      );
      return {
        name: alias,
        url: resolved.url,
        count: counts.visible + counts.inFlight + counts.delayed,
        messages: messages.map((message) => {
          const attributes = attributesOf(message);
          return {
            messageId: message.MessageId!,
            reason: deadLetterReason(listMessage(message, redriveKind(resolved)), attributes),
            body: message.Body ?? '',
            attributes,
          };
        }),
      };
    }),
  );
  return { dlqs };
}

/**
 * The redrive request body: `{"dryRun": true|false}` and nothing else.
 *
 * @throws ConsoleRefusal 400 naming what is wrong with the body
 */
export function parseRedriveRequest(body: Buffer): RedriveRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw invalid('body', `must be JSON such as {"dryRun": true} (${(error as Error).message})`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid('body', 'must be a JSON object such as {"dryRun": true}');
  const unknown = Object.keys(parsed).filter((key) => key !== 'dryRun');
  if (unknown.length > 0) throw invalid(unknown[0], 'is not a field of a redrive request; send only {"dryRun": true|false}');
  const { dryRun } = parsed as { dryRun?: unknown };
  if (typeof dryRun !== 'boolean') throw invalid('dryRun', `must be true or false (got ${JSON.stringify(dryRun) ?? 'nothing'})`);
  return { dryRun };
}

/**
 * Redrives (or, with `dryRun`, lists) one DLQ by the name `sluice redrive` takes.
 *
 * @throws ConsoleRefusal 404 for a name that is no DLQ of the outputs; 409 when the redrive itself cannot go on (the CLI's own error)
 */
export async function redriveDlq(ctx: CliContext, name: string, request: RedriveRequest): Promise<RedriveAnswer> {
  const known = knownDlqs(ctx.outputs.values).map((dlq) => dlq.alias);
  if (!known.includes(name)) throw notFound(`no DLQ named ${JSON.stringify(name)}; the DLQs are ${known.join(', ')}`);
  try {
    const resolved = resolveDlq(ctx, name, {});
    const moved = await withQueueLock(resolved.url, () => (request.dryRun ? dryRun(ctx, resolved) : redrive(ctx, resolved)));
    return { name, dryRun: request.dryRun, ...moved };
  } catch (error) {
    if (error instanceof CliError) throw new ConsoleRefusal(409, 'redrive_failed', `redrive of ${name} stopped: ${error.message}`);
    throw error;
  }
}

type Moved = Pick<RedriveAnswer, 'moved' | 'skipped'>;

async function dryRun(ctx: CliContext, resolved: ResolvedDlq): Promise<Moved> {
  const kind = redriveKind(resolved);
  const { messages } = await listDlq(ctx, resolved.url, kind);
  const stays = messages.filter((message) => kind === 'consumer' && !message.failure);
  return { moved: messages.length - stays.length, skipped: stays.map((message) => ({ messageId: message.messageId, reason: message.summary })) };
}

async function redrive(ctx: CliContext, resolved: ResolvedDlq): Promise<Moved> {
  const options = { maxAttempts: MAX_ATTEMPTS };
  const silent = progress('redrive', 0, true);
  if (resolved.target?.kind === 'queue') {
    const { moved, failures } = await redriveQueue(ctx, resolved.url, resolveQueueUrl(ctx, resolved.target.sourceOutput), options, silent);
    return { moved: moved.length, skipped: failures.map((failure) => ({ messageId: failure.messageId, reason: failure.error })) };
  }
  const outcomes = await redriveConsumer(ctx, resolved.url, resolved.target?.consumer, options, silent);
  return {
    moved: outcomes.filter((outcome) => outcome.status === 'redriven').length,
    skipped: outcomes
      .filter((outcome) => outcome.status !== 'redriven')
      .map((outcome) => ({ messageId: outcome.messageId, reason: outcome.error ?? outcome.summary })),
  };
}

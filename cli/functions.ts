import { InvokeCommand } from '@aws-sdk/client-lambda';
import { EVENTS_STREAM_CONSUMERS_OUTPUT, kebabCase, pascalCase } from '../lib/consumers/consumer-names';
import type { CliContext } from './context';
import { CliError, UsageError } from './errors';
import { sleep } from './stream';

/** `<Consumer>FunctionName`; the CDK's cross-stack `ExportsOutput…` values are not outputs of ours. */
const FUNCTION_OUTPUT = /^(?!ExportsOutput)([A-Z][A-Za-z0-9]*)FunctionName$/;

/**
 * The consumers the outputs file names: one per `<Consumer>FunctionName` output (the stack makes one
 * per registry entry), by the CLI name, kebab-case (`FraudDetectorFunctionName` → `fraud-detector`).
 */
export function consumersIn(outputs: Readonly<Record<string, string>>): string[] {
  return Object.keys(outputs)
    .flatMap((name) => {
      const match = FUNCTION_OUTPUT.exec(name);
      return match ? [kebabCase(match[1])] : [];
    })
    .sort();
}

/**
 * The physical name of a consumer's function: `--function-name`, else the output
 * `<Consumer>FunctionName` (e.g. `ProjectorFunctionName`). Nothing is listed or guessed.
 *
 * @throws {UsageError} naming the consumers the outputs file has, when it has no such output.
 */
export async function resolveFunctionName(ctx: CliContext, consumer: string, explicit?: string): Promise<string> {
  if (explicit) return explicit;
  const output = `${pascalCase(consumer)}FunctionName`;
  const value = ctx.outputs.values[output];
  if (value) return value;
  throw new UsageError(
    `no consumer ${consumer} in ${ctx.outputs.file} (no output ${output}); it has ${consumersIn(ctx.outputs.values).join(', ') || 'none'}. ` +
      "Pass --function-name, or --outputs with the stage's outputs file",
  );
}

/**
 * The consumers of the events stream (output `EventsStreamConsumers`): what `replay stream` can feed.
 *
 * @throws {UsageError} for another name, listing them.
 */
export function requireEventsStreamConsumer(ctx: CliContext, consumer: string): string {
  const known = ctx.output(EVENTS_STREAM_CONSUMERS_OUTPUT).split(',').filter(Boolean);
  if (!known.includes(consumer)) throw new UsageError(`${consumer} is not a consumer of the events stream; one of ${known.join(', ')}`);
  return consumer;
}

/** The function name in a Lambda ARN (`arn:aws:lambda:…:function:<name>[:qualifier]`), else the value itself. */
export function functionNameFromArn(value: string): string {
  const match = /:function:([^:]+)/.exec(value);
  return match ? match[1] : value;
}

/** What delivering records to a stream consumer came to. */
export interface DeliveryResult {
  readonly delivered: number;
  readonly invocations: number;
  readonly retries: number;
  /** Records still failing after the last attempt, from the first failure on (stream order). */
  readonly failed: ReadonlyArray<{ readonly id: string; readonly error: string }>;
}

/**
 * Invokes a stream consumer with `records` (`{Records: [...]}`) as its event source mapping would,
 * honouring the partial batch response: records before the first reported failure are done, the
 * rest is retried (from the first failure, so per-key order holds), up to `maxAttempts`. A function
 * error retries the whole remaining batch.
 *
 * @throws when the Invoke call itself fails (function missing, no permission).
 */
export async function deliverToConsumer<R>(
  ctx: CliContext,
  functionName: string,
  records: readonly R[],
  idOf: (record: R) => string,
  maxAttempts: number,
): Promise<DeliveryResult> {
  let remaining = [...records];
  let invocations = 0;
  let lastError = '';
  for (let attempt = 1; remaining.length > 0 && attempt <= maxAttempts; attempt++) {
    if (attempt > 1) await sleep(Math.min(5000, 200 * 2 ** (attempt - 2)));
    invocations++;
    const response = await ctx.lambda.send(
      new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: Buffer.from(JSON.stringify({ Records: remaining })) }),
    );
    const text = response.Payload ? Buffer.from(response.Payload).toString('utf8') : '';
    let body: any;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    if (response.FunctionError) {
      lastError = `${response.FunctionError}: ${body?.errorType ?? ''} ${body?.errorMessage ?? text}`.trim();
      continue;
    }
    const failures: Array<{ itemIdentifier?: string }> = body?.batchItemFailures ?? [];
    if (failures.length === 0) {
      remaining = [];
      break;
    }
    const failedIds = new Set(failures.map((f) => f.itemIdentifier));
    const first = remaining.findIndex((record) => failedIds.has(idOf(record)));
    // An identifier we did not send (or an empty one) means the whole batch failed.
    remaining = first < 0 ? remaining : remaining.slice(first);
    lastError = `batchItemFailures: ${failures.length} record(s) reported failed`;
  }
  return {
    delivered: records.length - remaining.length,
    invocations,
    retries: Math.max(0, invocations - 1),
    failed: remaining.map((record) => ({ id: idOf(record), error: lastError })),
  };
}

export { CliError };

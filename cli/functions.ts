import { type FunctionConfiguration, InvokeCommand, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import type { CliContext } from './context';
import { CliError, UsageError } from './errors';
import { sleep } from './stream';

/** Consumers `replay stream` and `redrive` can invoke, by CLI name. */
export const CONSUMERS = ['projector', 'notifier', 'state-transfer', 'fraud-detector', 'outbox-relay'] as const;
export type Consumer = (typeof CONSUMERS)[number];

/** `state-transfer` → `StateTransfer` (the construct id prefix of the function's logical id). */
function pascal(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());
}

/**
 * The physical name of a consumer's function, found the way a user would without extra outputs:
 * 1. `--function-name`;
 * 2. an output `<Consumer>FunctionName` (e.g. `ProjectorFunctionName`) if the outputs file has one;
 * 3. ListFunctions: the function whose `POWERTOOLS_SERVICE_NAME` is `sluice-<consumer>`, preferring
 *    names that start with the stateless stack's name, then names containing `<Consumer>Function`.
 *
 * @throws {UsageError} when none or several match (naming them).
 */
export async function resolveFunctionName(ctx: CliContext, consumer: string, explicit?: string): Promise<string> {
  if (explicit) return explicit;
  const fromOutputs = ctx.outputs.values[`${pascal(consumer)}FunctionName`];
  if (fromOutputs) return fromOutputs;
  const functions: FunctionConfiguration[] = [];
  let marker: string | undefined;
  do {
    const page = await ctx.lambda.send(new ListFunctionsCommand({ Marker: marker }));
    functions.push(...(page.Functions ?? []));
    marker = page.NextMarker;
  } while (marker);
  let matches = functions.filter((fn) => fn.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === `sluice-${consumer}`);
  const stacks = ctx.outputs.stacks.filter((stack) => stack.endsWith('-stateless'));
  if (matches.length > 1 && stacks.length) {
    const inStack = matches.filter((fn) => stacks.some((stack) => fn.FunctionName?.startsWith(`${stack}-`)));
    if (inStack.length) matches = inStack;
  }
  if (matches.length === 0) matches = functions.filter((fn) => fn.FunctionName?.includes(`${pascal(consumer)}Function`));
  if (matches.length === 1) return matches[0].FunctionName!;
  if (matches.length === 0) {
    throw new UsageError(`no Lambda function for consumer ${consumer} (POWERTOOLS_SERVICE_NAME=sluice-${consumer}); pass --function-name`);
  }
  throw new UsageError(`several functions match consumer ${consumer}: ${matches.map((fn) => fn.FunctionName).join(', ')}; pass --function-name`);
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

/** Fails with the list of consumers for an unknown name. */
export function requireConsumer(value: string): Consumer {
  if (!(CONSUMERS as readonly string[]).includes(value)) throw new UsageError(`unknown consumer ${value}; one of ${CONSUMERS.join(', ')}`);
  return value as Consumer;
}

export { CliError };

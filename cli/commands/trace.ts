import { action, type CliContext } from '../context';
import type { CommonOptions } from '../options';
import { CliError } from '../errors';
import { escapeControl } from '../escape-control';
import { printJson } from '../print';
import { collectTrace, TraceNotFoundError } from '../trace/collect';
import { formatTrace } from '../trace/timeline';

async function traceAction(ctx: CliContext, id: string, _options: CommonOptions): Promise<void> {
  let answer;
  try {
    answer = await collectTrace(ctx, id);
  } catch (error) {
    if (error instanceof TraceNotFoundError) throw new CliError(error.message, { cause: error });
    throw error;
  }
  if (ctx.json) printJson(answer);
  // Event types and details come from records anyone could write: escape them, line by line.
  else process.stdout.write(`${formatTrace(answer).split('\n').map(escapeControl).join('\n')}\n`);
}

/** What `sluice trace` runs (its options: `cli/program/trace.ts`). */
export const run = action(traceAction);

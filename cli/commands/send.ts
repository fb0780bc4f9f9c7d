import { action, type CliContext } from '../context';
import { CliError, connectionFailure, UsageError } from '../errors';
import { parseJsonList, readInput } from '../input';
import { out } from '../colour';
import type { CommonOptions } from '../options';
import { line, printJson, progress } from '../print';

/** The API takes at most 500 events per call and a body of at most 5 MiB. */
export const MAX_EVENTS_PER_CALL = 500;
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

interface SendOptions extends CommonOptions {
  readonly type?: string;
  readonly subject?: string;
  readonly data?: string;
  readonly source: string;
  readonly id?: string;
  readonly time?: string;
  readonly file?: string;
}

async function sendAction(ctx: CliContext, options: SendOptions): Promise<void> {
  const events = await collectEvents(options);
  if (events.length === 0) throw new UsageError('no events to send: give --type/--subject/--data, --file <path>, or pipe events on stdin');
  const url = `${ctx.apiUrl}/events`;
  const batches = planBatches(events);
  const accepted: Array<{ index: number; id: string }> = [];
  const failed: Array<{ index: number; error: string; message?: string }> = [];
  const bar = progress('send', events.length, ctx.json);
  try {
    for (const batch of batches) {
      const response = await post(url, await ctx.apiKey(), batch.events, accepted.length);
      const text = await response.text();
      let body: any;
      try {
        body = text ? JSON.parse(text) : {};
      } catch {
        body = { message: text };
      }
      if (response.status !== 202) {
        const details = Array.isArray(body.details)
          ? `: ${body.details.map((d: { field: string; message: string }) => `${shiftField(d.field, batch.offset)} ${d.message}`).join('; ')}`
          : '';
        const sentBefore = accepted.length ? ` (${accepted.length} event(s) of earlier batches were accepted)` : '';
        throw new CliError(`POST ${url} answered ${response.status} ${body.error ?? ''}: ${body.message ?? text}${details}${sentBefore}`);
      }
      // `accepted` lists ids in input order, leaving out the failed indexes.
      const failedHere = new Set<number>((body.failed ?? []).map((entry: { index: number }) => entry.index));
      const okIndexes = batch.events.map((_, i) => i).filter((i) => !failedHere.has(i));
      (body.accepted ?? []).forEach((entry: { id: string }, k: number) => accepted.push({ index: batch.offset + (okIndexes[k] ?? k), id: entry.id }));
      for (const entry of body.failed ?? []) failed.push({ ...entry, index: batch.offset + entry.index });
      bar.increment(batch.events.length);
    }
  } finally {
    bar.stop();
  }
  if (ctx.json) {
    printJson({
      accepted: accepted.length,
      failed: failed.length,
      ids: accepted.map((entry) => entry.id),
      events: accepted,
      failures: failed,
      requests: batches.length,
    });
  } else {
    line(
      `${out('green', `accepted ${accepted.length}`)}, ${out(failed.length ? 'red' : 'dim', `failed ${failed.length}`)} (${batches.length} request(s) to ${url})`,
    );
    for (const failure of failed) line(`  event ${failure.index}: ${failure.error}${failure.message ? ` ${failure.message}` : ''}`);
  }
  if (failed.length > 0) throw new CliError(`${failed.length} event(s) were not accepted`);
}

async function collectEvents(options: SendOptions): Promise<Array<Record<string, unknown>>> {
  const fromArgs = options.type !== undefined || options.subject !== undefined || options.data !== undefined;
  if (fromArgs && options.file) throw new UsageError('give either --type/--subject/--data or --file, not both');
  let raw: unknown[];
  if (fromArgs) {
    if (!options.type || !options.subject || options.data === undefined) throw new UsageError('one event needs --type, --subject and --data');
    let data: unknown;
    try {
      data = JSON.parse(options.data);
    } catch (error) {
      throw new UsageError(`--data is not JSON (${(error as Error).message})`);
    }
    raw = [{ type: options.type, subject: options.subject, data, ...(options.id ? { id: options.id } : {}), ...(options.time ? { time: options.time } : {}) }];
  } else if (options.file) {
    raw = parseJsonList(await readInput(options.file), options.file === '-' ? 'stdin' : options.file);
  } else if (!process.stdin.isTTY) {
    raw = parseJsonList(await readInput('-'), 'stdin');
  } else {
    throw new UsageError('no events to send: give --type/--subject/--data, --file <path>, or pipe events on stdin');
  }
  return raw.map((event, index) => {
    if (!event || typeof event !== 'object' || Array.isArray(event)) throw new UsageError(`event ${index} is not a JSON object`);
    const value = event as Record<string, unknown>;
    return { ...value, source: value.source ?? options.source };
  });
}

/**
 * POSTs one batch.
 *
 * @throws {CliError} naming the API URL and how to reach it when nothing answers there.
 */
async function post(url: string, apiKey: string, events: ReadonlyArray<Record<string, unknown>>, acceptedBefore: number): Promise<Response> {
  try {
    return await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify({ events }),
    });
  } catch (error) {
    const connection = connectionFailure(error);
    if (!connection) throw error;
    const sentBefore = acceptedBefore ? ` (${acceptedBefore} event(s) of earlier batches were accepted)` : '';
    throw new CliError(
      `cannot connect to the API at ${url} (${connection.code}); start the local cloud (npm start), or set SLUICE_API_URL or --outputs to a running stage${sentBefore}`,
      { cause: error },
    );
  }
}

interface Batch {
  readonly offset: number;
  readonly events: Array<Record<string, unknown>>;
}

/**
 * Splits events into request bodies of at most 500 events and 5 MiB.
 *
 * @throws {UsageError} for one event that alone exceeds the body limit.
 */
export function planBatches(events: ReadonlyArray<Record<string, unknown>>): Batch[] {
  const overhead = Buffer.byteLength('{"events":[]}');
  const batches: Batch[] = [];
  let current: Batch = { offset: 0, events: [] };
  let bytes = overhead;
  events.forEach((event, index) => {
    const size = Buffer.byteLength(JSON.stringify(event)) + 1;
    if (size + overhead > MAX_BODY_BYTES) throw new UsageError(`event ${index} is ${size} bytes; a request body is at most ${MAX_BODY_BYTES} bytes`);
    if (current.events.length === MAX_EVENTS_PER_CALL || bytes + size > MAX_BODY_BYTES) {
      batches.push(current);
      current = { offset: index, events: [] };
      bytes = overhead;
    }
    current.events.push(event);
    bytes += size;
  });
  if (current.events.length) batches.push(current);
  return batches;
}

/** `events.3.data.amount` of a batch → the index in the whole input. */
function shiftField(field: string, offset: number): string {
  return field.replace(/^events\.(\d+)/, (_, i: string) => `events.${Number(i) + offset}`);
}

/** What `sluice send` runs (its options: `cli/program/send.ts`). */
export const run = action(sendAction);

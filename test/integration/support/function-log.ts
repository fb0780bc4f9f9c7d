/**
 * What the local cloud's functions wrote, read from the cloud's log file (the global setup names
 * it in SLUICE_LOCAL_CLOUD_LOG): each line there is `[<function>] <line>`, and a Powertools
 * logger's line is one JSON object.
 *
 * A function's output travels on its own pipe, beside the invocation's result: it can reach the
 * file a moment after the invocation has ended and the pipeline has settled. Callers that need a
 * line wait for it with `eventually` (log I/O, not pipeline work).
 */
import * as fs from 'node:fs';
import { LOCAL_CLOUD_LOG_ENV } from '../../support/suite-cloud';

/** The structured (JSON) lines `fn` (its display name, e.g. `notification-worker`) logged so far. */
export function functionLogEntries(fn: string): Array<Record<string, unknown>> {
  const file = process.env[LOCAL_CLOUD_LOG_ENV];
  if (!file) throw new Error(`functionLogEntries: ${LOCAL_CLOUD_LOG_ENV} is not set; only the local cloud started by the global setup has a log file`);
  const prefix = `[${fn}] {`;
  const entries: Array<Record<string, unknown>> = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith(prefix)) continue;
    try {
      entries.push(JSON.parse(line.slice(prefix.length - 1)));
    } catch {
      // A line that only starts like JSON (a stack trace, a torn write): not a log entry.
    }
  }
  return entries;
}

import * as fs from 'node:fs';
import { UsageError } from './errors';

/** Reads all of stdin as text. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a file, or stdin for `-`. @throws {UsageError} when the file does not exist. */
export async function readInput(file: string): Promise<string> {
  if (file === '-') return readStdin();
  if (!fs.existsSync(file)) throw new UsageError(`no such file: ${file}`);
  return fs.readFileSync(file, 'utf8');
}

/** How much of a bad line an error quotes (a line may be megabytes long). */
const QUOTE_CHARS = 60;

/**
 * Parses a list of JSON objects given as a JSON array, `{"events": [...]}`, one object, or NDJSON
 * (one JSON document per line; blank lines are skipped).
 *
 * @example
 * parseJsonList('{"a":1}\n\n{"a":2}\n', 'events.ndjson') // [{ a: 1 }, { a: 2 }]
 * @throws {UsageError} naming the line (counted in the input as given, blank lines included),
 *   quoting its start and saying what the input must look like.
 */
export function parseJsonList(text: string, where: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  let whole: unknown;
  try {
    whole = JSON.parse(trimmed);
  } catch (error) {
    // A document that opens as an array is one document, not NDJSON: say where it breaks.
    if (trimmed.startsWith('['))
      throw new UsageError(`${where} is not a JSON array (${(error as Error).message}); fix the JSON, or give NDJSON (one object per line)`);
    return parseNdjson(text, where);
  }
  if (Array.isArray(whole)) return whole;
  if (whole && typeof whole === 'object' && Array.isArray((whole as { events?: unknown }).events)) return (whole as { events: unknown[] }).events;
  return [whole];
}

/** One JSON document per line; blank lines are skipped. @throws {UsageError} naming and quoting the first bad line. */
export function parseNdjson(text: string, where: string): unknown[] {
  return text.split(/\r?\n/).flatMap((row, index) => {
    if (row.trim() === '') return [];
    try {
      return [JSON.parse(row)];
    } catch (error) {
      throw new UsageError(
        `${where} line ${index + 1} is not JSON (${(error as Error).message}): ${quote(row)}; give a JSON array or NDJSON (one JSON object per line)`,
      );
    }
  });
}

function quote(row: string): string {
  const text = row.trim();
  return JSON.stringify(text.length > QUOTE_CHARS ? `${text.slice(0, QUOTE_CHARS)}…` : text) + (text.length > QUOTE_CHARS ? ` (${text.length} characters)` : '');
}

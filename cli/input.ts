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

/**
 * Parses a list of JSON objects given as a JSON array, `{"events": [...]}`, one object, or NDJSON.
 *
 * @throws {UsageError} naming the line or position that is not JSON.
 */
export function parseJsonList(text: string, where: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  try {
    const value = JSON.parse(trimmed);
    if (Array.isArray(value)) return value;
    if (value && typeof value === 'object' && Array.isArray((value as { events?: unknown }).events)) return (value as { events: unknown[] }).events;
    return [value];
  } catch {
    // Not one JSON document: NDJSON, one object per line.
  }
  return trimmed.split(/\r?\n/).flatMap((row, index) => {
    if (row.trim() === '') return [];
    try {
      return [JSON.parse(row)];
    } catch (error) {
      throw new UsageError(`${where} line ${index + 1} is not JSON (${(error as Error).message}); give a JSON array or NDJSON`);
    }
  });
}

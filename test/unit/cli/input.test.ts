import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UsageError } from '../../../cli/errors';
import { parseJsonList, parseNdjson, readInput } from '../../../cli/input';
import { captureError } from '../../helpers/capture-error';

/** The UsageError `fn` throws, so a test can check its message. */
function usageErrorOf(fn: () => unknown): UsageError {
  const error = captureError(fn);
  expect(error).toBeInstanceOf(UsageError);
  return error as UsageError;
}

describe('parseJsonList', () => {
  it.each([
    ['a JSON array', '[{"a":1},{"a":2}]'],
    ['an {"events": [...]} body', '{"events":[{"a":1},{"a":2}]}'],
    ['NDJSON', '{"a":1}\n{"a":2}\n'],
    ['NDJSON with CRLF line ends', '{"a":1}\r\n{"a":2}\r\n'],
    ['NDJSON with blank lines before, between and after', '\n\n{"a":1}\n   \n\n{"a":2}\n\n'],
  ])('reads %s', (_, text) => {
    expect(parseJsonList(text, 'events.json')).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('reads one object as a list of one', () => {
    expect(parseJsonList('  {"a":1}  ', 'stdin')).toEqual([{ a: 1 }]);
  });

  it('reads empty or blank input as no events', () => {
    expect(parseJsonList('', 'stdin')).toEqual([]);
    expect(parseJsonList('\n  \n', 'stdin')).toEqual([]);
  });

  it('names the bad line, counted in the input as given (blank lines included), quotes it and says what to give', () => {
    const error = usageErrorOf(() => parseJsonList('\n\n{"a":1}\n\n{"a": oops}\n{"a":3}', 'swipes.ndjson'));
    expect(error.message).toMatch(/^swipes\.ndjson line 5 is not JSON \(/);
    expect(error.message).toContain('"{\\"a\\": oops}"');
    expect(error.message).toMatch(/give a JSON array or NDJSON/);
    expect(error.exitCode).toBe(2);
  });

  it('reports a broken JSON array as an array, not as NDJSON line 1', () => {
    const error = usageErrorOf(() => parseJsonList('[\n  {"a":1},\n  {"a":2,}\n]', 'events.json'));
    expect(error.message).toMatch(/^events\.json is not a JSON array \(.+\); fix the JSON/);
  });

  it('reads a huge line (4 MiB) whole', () => {
    const big = 'x'.repeat(4 * 1024 * 1024);
    const [first, second] = parseJsonList(`{"a":1}\n{"blob":"${big}"}\n`, 'big.ndjson') as Array<Record<string, string>>;
    expect(first).toEqual({ a: 1 });
    expect(second.blob).toHaveLength(big.length);
  });

  it('quotes only the start of a huge bad line, with its length', () => {
    const line = `{"blob":"${'y'.repeat(2_000_000)}"`; // no closing brace
    const error = usageErrorOf(() => parseJsonList(`{"a":1}\n${line}\n`, 'big.ndjson'));
    expect(error.message).toMatch(/^big\.ndjson line 2 is not JSON/);
    expect(error.message).toContain(`(${line.length} characters)`);
    expect(error.message.length).toBeLessThan(400);
  });
});

describe('parseNdjson', () => {
  it('parses each line on its own, even when the whole text would be one JSON document', () => {
    expect(parseNdjson('[1]\n[2]', 'stdin')).toEqual([[1], [2]]);
  });
});

describe('readInput', () => {
  it('reads a file', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-input-')), 'events.ndjson');
    fs.writeFileSync(file, '{"a":1}\n');
    await expect(readInput(file)).resolves.toBe('{"a":1}\n');
  });

  it('refuses a missing file, naming it', async () => {
    await expect(readInput('/nowhere/events.ndjson')).rejects.toThrow(new UsageError('no such file: /nowhere/events.ndjson'));
  });
});

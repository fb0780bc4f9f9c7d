import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InvalidArgumentError } from 'commander';
import { CliContext } from '../../../cli/context';
import { isoTime, positiveInt } from '../../../cli/options';
import { CliError, connectionFailure, describeError, isCliError, UsageError } from '../../../cli/errors';
import { loadOutputs, requireOutput } from '../../../cli/outputs';
import { resolveQueueUrl } from '../../../cli/queues';
import { MAX_BODY_BYTES, planBatches } from '../../../cli/commands/send';

/** A socket error as Node raises it (`connect ECONNREFUSED 127.0.0.1:4566`). */
function socketError(code: string, address = '127.0.0.1', port = 4566): Error {
  return Object.assign(new Error(`connect ${code} ${address}:${port}`), { code, errno: -111, syscall: 'connect', address, port });
}

/** Writes a file in a fresh temp directory and returns its path. */
function tempFile(name: string, text: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-errors-')), name);
  fs.writeFileSync(file, text);
  return file;
}

describe('describeError', () => {
  it("gives a CliError's own message, and its exit code: 1 for the work, 2 for usage", () => {
    expect(describeError(new CliError('3 message(s) failed'))).toBe('3 message(s) failed');
    expect(new CliError('x').exitCode).toBe(1);
    expect(new UsageError('x').exitCode).toBe(2);
    expect(isCliError(new UsageError('x'))).toBe(true);
    expect(isCliError(new Error('x'))).toBe(false);
  });

  it.each([
    ['a socket error from the SDK', socketError('ECONNREFUSED', '127.0.0.1', 4707)],
    ['fetch failing with the socket error as its cause', new TypeError('fetch failed', { cause: socketError('ECONNREFUSED', '127.0.0.1', 4707) })],
    [
      'an AggregateError of the IPv6 and IPv4 attempts',
      Object.assign(new AggregateError([socketError('ECONNREFUSED', '::1', 4707), socketError('ECONNREFUSED', '127.0.0.1', 4707)], ''), { code: 'ECONNREFUSED' }),
    ],
  ])('names the address nothing answers on, and how to fix it, for %s', (_, error) => {
    expect(describeError(error)).toMatch(
      /^cannot connect to (127\.0\.0\.1|::1):4707 \(ECONNREFUSED: nothing listens there\); start the local cloud \(npm start\) or set AWS_ENDPOINT_URL to a running endpoint$/,
    );
  });

  it('tells an unknown host apart from a refused connection', () => {
    const error = Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.invalid'), { code: 'ENOTFOUND', hostname: 'nowhere.invalid' });
    expect(describeError(error)).toMatch(/^cannot connect to nowhere\.invalid \(ENOTFOUND: the host name does not resolve\)/);
  });

  it('finds a connection failure through a chain of causes', () => {
    expect(connectionFailure(new Error('outer', { cause: new Error('middle', { cause: socketError('ETIMEDOUT') }) }))).toEqual({
      code: 'ETIMEDOUT',
      address: '127.0.0.1:4566',
    });
    expect(connectionFailure(new Error('not a socket problem'))).toBeUndefined();
  });

  it.each([
    [
      'ResourceNotFoundException',
      'Requested resource not found',
      /^ResourceNotFoundException: Requested resource not found; check that the outputs file \(--outputs\) and AWS_ENDPOINT_URL\/AWS_REGION name the same deployment$/,
    ],
    ['QueueDoesNotExist', 'The specified queue does not exist.', /^QueueDoesNotExist: The specified queue does not exist\.; check that the outputs file/],
    [
      'CredentialsProviderError',
      'Could not load credentials from any providers',
      /^CredentialsProviderError: Could not load credentials from any providers; set AWS_PROFILE, or AWS_ACCESS_KEY_ID/,
    ],
  ])('names the SDK error %s and says how to fix it', (name, message, expected) => {
    expect(describeError(Object.assign(new Error(message), { name }))).toMatch(expected);
  });

  it('keeps any other error to its name and first line', () => {
    expect(describeError(Object.assign(new Error('boom\n    at somewhere (file.ts:1:1)'), { name: 'ThrottlingException' }))).toBe('ThrottlingException: boom');
    expect(describeError(new Error('plain'))).toBe('plain');
    expect(describeError('a string')).toBe('a string');
  });
});

describe('errors that name the bad value and the fix', () => {
  it('a missing outputs file: where it looked and three ways to get one', () => {
    expect(() => loadOutputs('/nowhere/outputs.json')).toThrow(
      new UsageError(
        'no stack outputs at /nowhere/outputs.json: start the local cloud (npm start, writes .sluice/outputs.local.json), ' +
          'deploy with --outputs-file .sluice/outputs.<stage>.json and pass --stage <stage>, or pass --outputs <file>',
      ),
    );
  });

  it('an outputs file that is not JSON names the file', () => {
    const file = tempFile('outputs.json', '{"sluice-dev-stateful": ');
    expect(() => loadOutputs(file)).toThrow(`${file} is not JSON (`);
  });

  it('an outputs file of the wrong shape shows the shape it needs', () => {
    const file = tempFile('outputs.json', '["ApiUrl"]');
    expect(() => loadOutputs(file)).toThrow(
      `${file} is not a stack outputs file (expected {"<stack>": {"<OutputName>": "<value>"}} as cdk deploy --outputs-file writes it, or {"<OutputName>": "<value>"})`,
    );
  });

  it('a missing output names it, the file and the outputs there are', () => {
    const outputs = loadOutputs(
      tempFile(
        'outputs.json',
        JSON.stringify({ 'sluice-dev-stateful': { EventsStreamName: 'events', ExportsOutputRefX: 'x' }, 'sluice-dev-stateless': { ApiUrl: 'http://api' } }),
      ),
    );
    expect(requireOutput(outputs, 'ApiUrl')).toBe('http://api');
    expect(() => requireOutput(outputs, 'ProjectorDlqUrl')).toThrow(
      new UsageError(`stack output ProjectorDlqUrl is missing in ${outputs.file}; it has EventsStreamName, ApiUrl`),
    );
  });

  it('an unknown queue lists the queue outputs to choose from', () => {
    const file = tempFile('outputs.json', JSON.stringify({ s: { NotificationsQueueUrl: 'http://q/n', NotificationsDlqUrl: 'http://q/d', ApiUrl: 'http://api' } }));
    const ctx = new CliContext({ outputs: file });
    expect(resolveQueueUrl(ctx, 'NotificationsDlq')).toBe('http://q/d');
    expect(() => resolveQueueUrl(ctx, 'Nope')).toThrow(
      new UsageError(`no queue output Nope in ${file}; use a queue URL or one of NotificationsQueueUrl, NotificationsDlqUrl`),
    );
  });

  it.each([
    [positiveInt, '0', 'must be a positive integer (got "0")'],
    [positiveInt, '2.5', 'must be a positive integer (got "2.5")'],
    [isoTime, 'yesterday', 'must be an ISO 8601 time such as 2025-01-31T12:00:00Z (got "yesterday")'],
    [isoTime, '2025-13-45T99:00:00Z', 'must be an ISO 8601 time such as 2025-01-31T12:00:00Z (got "2025-13-45T99:00:00Z")'],
  ])('an option value %#: %s is refused with an example of a good one', (parse, value, message) => {
    expect(() => parse(value)).toThrow(new InvalidArgumentError(message));
  });

  it('an event too big for one request names the event, its size and the limit', () => {
    const events = [
      { type: 't', data: 'small' },
      { type: 't', data: 'x'.repeat(MAX_BODY_BYTES) },
    ];
    expect(() => planBatches(events)).toThrow(
      new UsageError(`event 1 is ${Buffer.byteLength(JSON.stringify(events[1])) + 1} bytes; a request body is at most ${MAX_BODY_BYTES} bytes`),
    );
  });
});

describe('planBatches', () => {
  it('splits more than 500 events into requests of at most 500, keeping each batch offset', () => {
    const events = Array.from({ length: 1001 }, (_, i) => ({ type: 't', subject: `s${i}` }));
    const batches = planBatches(events);
    expect(batches.map((b) => [b.offset, b.events.length])).toEqual([
      [0, 500],
      [500, 500],
      [1000, 1],
    ]);
    expect(batches[1].events[0]).toBe(events[500]);
  });
});

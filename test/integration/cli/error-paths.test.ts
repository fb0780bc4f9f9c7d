import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isExternalTarget } from '../support/settled';
import { closedPort } from './closed-port';
import { type CliRun, sluice } from './run-cli';

const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;

/** One line on stderr, `sluice: …`, and no stack trace: what every failure must look like. */
function expectOneLineError(result: CliRun, code: number, message: RegExp): void {
  expect(result.code).toBe(code);
  expect(result.stderr).toMatch(/^sluice: [^\n]*\n$/);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
}

/** A swipe of its own card, so hundreds of them make no fraud window work for the pipeline. */
function swipe(i: number) {
  const cardId = `card-${i}-${run}`;
  return {
    type: 'sluice.card.swiped.v1',
    subject: cardId,
    data: { cardId, accountId: `acct-${run}`, amount: i + 1, merchant: 'Café', country: 'FR', at: new Date().toISOString() },
  };
}

/** The CLI's failures as a real process: a clear one-line message and the documented exit code. */
describe('sluice CLI error paths', () => {
  describe('a missing outputs file (exit 2, saying where it looked and how to get one)', () => {
    const missing = path.join(os.tmpdir(), `sluice-no-outputs-${run}`, 'outputs.json');
    it.each([
      ['--outputs', ['store', 'it-someone', '--outputs', missing], {}],
      ['$SLUICE_OUTPUTS_FILE', ['tail', '--queue', 'NotificationsDlqUrl', '--no-follow'], { SLUICE_OUTPUTS_FILE: missing }],
      ['$SLUICE_OUTPUTS_FILE', ['redrive', 'notifications', '--dry-run'], { SLUICE_OUTPUTS_FILE: missing }],
    ])('from %s: sluice %j', async (_, args, env) => {
      const result = await sluice(args, { env });
      expectOneLineError(
        result,
        2,
        new RegExp(
          `no stack outputs at ${missing.replace(/\./g, '\\.')}: start the local cloud \\(npm start, writes \\.sluice/outputs\\.local\\.json\\), deploy with --outputs-file \\.sluice/outputs\\.<stage>\\.json and pass --stage <stage>, or pass --outputs <file>`,
        ),
      );
    });
  });

  /**
   * The local cloud is not running, but its outputs file is still there: the AWS endpoint, the
   * queue URLs (the SQS client sends to a queue URL's own host) and the API URL all point at a
   * port nothing listens on. Local only: a deployed stage's URLs are not the local cloud's.
   */
  (isExternalTarget() ? describe.skip : describe)('the local cloud not running (exit 1, naming the address and how to fix it)', () => {
    let port: number;
    let env: Record<string, string>;
    beforeAll(async () => {
      port = await closedPort();
      const live = fs.readFileSync(process.env.SLUICE_OUTPUTS_FILE!, 'utf8');
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-cli-')), 'outputs.json');
      fs.writeFileSync(file, live.replace(/http:\/\/(localhost|127\.0\.0\.1):\d+/g, `http://127.0.0.1:${port}`));
      env = { AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`, SLUICE_OUTPUTS_FILE: file, SLUICE_API_URL: '' };
    });

    it.each([
      ['the event store', ['store', 'it-someone']],
      ['a queue', ['tail', '--queue', 'NotificationsDlqUrl', '--no-follow']],
      ['a DLQ', ['redrive', 'notifications', '--dry-run']],
    ])('reading %s', async (_, args) => {
      const result = await sluice(args, { env });
      expectOneLineError(
        result,
        1,
        new RegExp(
          `^sluice: cannot connect to 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED: nothing listens there\\); start the local cloud \\(npm start\\) or set AWS_ENDPOINT_URL`,
        ),
      );
    });

    it('sending to the API', async () => {
      const result = await sluice(['send', '--json'], { input: JSON.stringify([swipe(0)]), env });
      expectOneLineError(
        result,
        1,
        new RegExp(
          `^sluice: cannot connect to the API at http://127\\.0\\.0\\.1:${port}/events \\(ECONNREFUSED\\); start the local cloud \\(npm start\\), or set SLUICE_API_URL`,
        ),
      );
    });
  });

  describe('send with more than 500 events', () => {
    const events = Array.from({ length: 501 }, (_, i) => swipe(i));

    it('sends them in requests of at most 500 and has every one accepted', async () => {
      const result = await sluice(['send', '--json'], { input: events.map((e) => JSON.stringify(e)).join('\n') });
      expect(result.code).toBe(0);
      const body = result.json();
      expect(body).toMatchObject({ accepted: 501, failed: 0, requests: 2, failures: [] });
      expect(new Set(body.ids).size).toBe(501);
      expect(body.events.map((e: { index: number }) => e.index)).toEqual(events.map((_, i) => i));
    });

    it('names a bad event of the second request by its index in the whole input, and what the first request did (exit 1)', async () => {
      const broken = events.map((e, i) => (i === 500 ? { ...e, data: { ...e.data, amount: -5 } } : e));
      const result = await sluice(['send'], { input: JSON.stringify(broken) });
      expectOneLineError(result, 1, /answered 400 validation_failed: .*events\.500\.data\.amount [^;]*\(500 event\(s\) of earlier batches were accepted\)$/m);
    });
  });

  it('refuses NDJSON with a bad line, naming the line (exit 2)', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-cli-')), 'swipes.ndjson');
    fs.writeFileSync(file, `${JSON.stringify(swipe(0))}\n\n{"type": oops}\n`);
    const result = await sluice(['send', '--file', file]);
    expectOneLineError(result, 2, new RegExp(`${file.replace(/\./g, '\\.')} line 3 is not JSON .*"\\{\\\\"type\\\\": oops\\}"; give a JSON array or NDJSON`));
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LOCAL_CLOUD_MARKER, outputsFileFor } from '../../../cli/outputs';
import { isExternalTarget } from '../support/settled';
import { target } from '../support/target';
import { closedPort } from './closed-port';
import { sluice } from './run-cli';

const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
const ROOT = path.resolve(__dirname, '..', '..', '..');
const missing = path.join(os.tmpdir(), `sluice-no-outputs-${run}`, 'outputs.json');
/** An account with no events: `store` answers "has no events in <table>" only after reading the table. */
const NOBODY = `it-nobody-${run}`;

function liveOutputsFile(): string {
  return process.env.SLUICE_OUTPUTS_FILE!;
}

function tempFile(name: string, text: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-cli-')), name);
  fs.writeFileSync(file, text);
  return file;
}

/** `--stage`, `--outputs`, `--endpoint-url` and `--profile`: which deployment a command talks to. */
describe('sluice target options', () => {
  describe('--stage reads .sluice/outputs.<stage>.json', () => {
    const stage = `it-${run}`;
    const stageFile = path.join(ROOT, outputsFileFor(stage));
    beforeAll(() => fs.copyFileSync(liveOutputsFile(), stageFile));
    afterAll(() => fs.rmSync(stageFile, { force: true }));

    it('and wins over $SLUICE_OUTPUTS_FILE (flags win over the environment)', async () => {
      const result = await sluice(['store', NOBODY, '--stage', stage], { env: { SLUICE_OUTPUTS_FILE: missing } });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`^sluice: account ${NOBODY} has no events in \\S+`));
    });

    it('as a program option before the command too', async () => {
      const result = await sluice(['--stage', stage, 'store', NOBODY], { env: { SLUICE_OUTPUTS_FILE: missing } });
      expect(result.stderr).toMatch(/has no events in/);
    });

    it('names the file it looked for when the stage has none (exit 2)', async () => {
      const result = await sluice(['store', NOBODY, '--stage', `none-${run}`]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`^sluice: no stack outputs at \\.sluice/outputs\\.none-${run}\\.json: `));
    });

    it('refuses --stage with --outputs (exit 2)', async () => {
      const result = await sluice(['store', NOBODY, '--stage', stage, '--outputs', liveOutputsFile()]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/give --outputs .* or --stage .*, not both/);
    });
  });

  it('reads a flat outputs file ({"<OutputName>": "<value>"}) as well as the cdk deploy shape', async () => {
    const flat = tempFile('flat.json', JSON.stringify(target().outputs));
    const result = await sluice(['store', NOBODY, '--outputs', flat]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/has no events in/);
  });

  (isExternalTarget() ? describe.skip : describe)('--endpoint-url', () => {
    let closed: string;
    beforeAll(async () => {
      closed = `http://127.0.0.1:${await closedPort()}`;
    });

    it('wins over AWS_ENDPOINT_URL', async () => {
      const result = await sluice(['store', NOBODY, '--endpoint-url', process.env.AWS_ENDPOINT_URL!], { env: { AWS_ENDPOINT_URL: closed } });
      expect(result.stderr).toMatch(/has no events in/);
      const wrong = await sluice(['store', NOBODY, '--endpoint-url', closed]);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(new RegExp(`^sluice: cannot connect to ${closed.replace('http://', '').replace(/\./g, '\\.')} \\(ECONNREFUSED`));
    });

    it('refuses a value that is not an http(s) URL (exit 2)', async () => {
      const result = await sluice(['store', NOBODY, '--endpoint-url', 'localhost:4566']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/--endpoint-url <url>' argument 'localhost:4566' is invalid\. must be an http\(s\) URL/);
    });
  });

  it('--profile reaches the SDK and wins over static credentials in the environment', async () => {
    const config = tempFile('config', '[default]\nregion = us-east-1\n');
    const result = await sluice(['store', NOBODY, '--profile', `sluice-no-such-${run}`], {
      env: { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: config, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `^sluice: no credentials for profile sluice-no-such-${run} \\(--profile\\): .*; check that ${config.replace(/\./g, '\\.')} has \\[profile sluice-no-such-${run}\\]`,
      ),
    );
  });

  (isExternalTarget() ? describe.skip : describe)('the API key of send', () => {
    const swipe = () => ({
      type: 'sluice.card.swiped.v1',
      subject: `card-key-${run}`,
      data: { cardId: `card-key-${run}`, accountId: `acct-${run}`, amount: 1, merchant: 'Café', country: 'FR', at: new Date().toISOString() },
    });
    /** The local cloud's outputs without its marker: what a deployed stage's outputs file looks like. */
    let deployedLike: string;
    beforeAll(() => {
      const byStack = JSON.parse(fs.readFileSync(liveOutputsFile(), 'utf8')) as Record<string, unknown>;
      expect(byStack[LOCAL_CLOUD_MARKER.stack]).toEqual({ [LOCAL_CLOUD_MARKER.output]: 'true' });
      delete byStack[LOCAL_CLOUD_MARKER.stack];
      deployedLike = tempFile('outputs.json', JSON.stringify(byStack));
    });

    it('is the local key on the local cloud', async () => {
      const result = await sluice(['send', '--json'], { input: JSON.stringify([swipe()]), env: { SLUICE_API_KEY: '' } });
      expect(result.code).toBe(0);
      expect(result.json()).toMatchObject({ accepted: 1 });
    });

    it("is read through API Gateway from a deployed stage's ApiKeyId output, naming the key and the way out when it cannot be", async () => {
      const { ApiKeyId } = target().outputs;
      const result = await sluice(['send', '--json', '--outputs', deployedLike], { input: JSON.stringify([swipe()]), env: { SLUICE_API_KEY: '' } });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        new RegExp(
          `^sluice: cannot read the API key ${ApiKeyId} \\(output ApiKeyId in ${deployedLike.replace(/\./g, '\\.')}\\) through API Gateway \\(.*\\); .*set SLUICE_API_KEY`,
        ),
      );
    });

    it('is SLUICE_API_KEY when set', async () => {
      const result = await sluice(['send', '--json', '--outputs', deployedLike], { input: JSON.stringify([swipe()]), env: { SLUICE_API_KEY: 'local-dev-key' } });
      expect(result.code).toBe(0);
    });
  });
});

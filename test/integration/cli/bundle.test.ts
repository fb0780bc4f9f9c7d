import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI_BUNDLE } from '../../../cli/build';

/**
 * The built CLI (dist/, which the global setup builds) runs on its own: copied to a folder with no
 * node_modules above it, it needs no dependency at all, dev or not.
 */
describe('the built sluice CLI', () => {
  let alone: string;
  beforeAll(() => {
    alone = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-bundle-'));
    for (const file of fs.readdirSync(path.dirname(CLI_BUNDLE)).filter((f) => f.endsWith('.cjs'))) {
      fs.copyFileSync(path.join(path.dirname(CLI_BUNDLE), file), path.join(alone, file));
    }
    fs.writeFileSync(path.join(alone, 'outputs.json'), JSON.stringify({ s: { EventStoreTableName: 'events', SnapshotTableName: 'snapshots' } }));
  });
  afterAll(() => fs.rmSync(alone, { recursive: true, force: true }));

  function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const env = { PATH: process.env.PATH ?? '', HOME: alone, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' };
    return new Promise((resolve) => {
      execFile('node', [path.join(alone, 'cli.cjs'), ...args], { cwd: alone, env }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      );
    });
  }

  it('prints its help and the environment help without node_modules', async () => {
    const above: string[] = [];
    for (let dir = alone; dir !== path.dirname(dir); dir = path.dirname(dir)) above.push(path.join(dir, 'node_modules'));
    expect(above.filter((dir) => fs.existsSync(dir))).toEqual([]);
    const help = await run(['--help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: sluice \[options\] \[command\]/);
    const environment = await run(['help', 'environment']);
    expect(environment.stdout).toMatch(/^ {2}SLUICE_OUTPUTS_FILE /m);
  });

  it('loads the AWS SDK from its own build when a command needs it', async () => {
    const result = await run(['store', 'nobody', '--outputs', 'outputs.json', '--endpoint-url', 'http://127.0.0.1:9']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^sluice: cannot connect to 127\.0\.0\.1:9 \(ECONNREFUSED: nothing listens there\)/);
  });
});

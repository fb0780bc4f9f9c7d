import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as nodeModule from 'node:module';
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

  function run(args: string[], nodeArgs: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
    const env = { PATH: process.env.PATH ?? '', HOME: alone, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' };
    return new Promise((resolve) => {
      execFile('node', [...nodeArgs, path.join(alone, 'cli.cjs'), ...args], { cwd: alone, env }, (error, stdout, stderr) =>
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

  it('starts --help without loading the built-ins only commands use (cli/build.js LAZY_BUILTINS)', async () => {
    // Node lists every built-in it has loaded in process.moduleLoadList ("NativeModule crypto", …).
    const probe = path.join(alone, 'loaded-builtins.cjs');
    fs.writeFileSync(
      probe,
      "process.on('exit', () => process.stderr.write(JSON.stringify(process.moduleLoadList.filter((m) => /^NativeModule (crypto|http|https|readline|zlib)$/.test(m)))));",
    );
    const help = await run(['--help'], ['--require', probe]);
    expect(help.code).toBe(0);
    expect(JSON.parse(help.stderr)).toEqual([]);
    // The probe does see a built-in once something loads it (here --eval, which runs instead of the CLI).
    const loaded = await run([], ['--require', probe, '--eval', "require('node:crypto')"]);
    expect(JSON.parse(loaded.stderr)).toEqual(['NativeModule crypto']);
  });

  it('prints --help and --version without loading the AWS SDK build (aws-sdk.cjs)', async () => {
    const probe = path.join(alone, 'loaded-files.cjs');
    fs.writeFileSync(
      probe,
      "process.on('exit', () => process.stderr.write(JSON.stringify(Object.keys(require.cache).map((file) => path.basename(file)))));\nconst path = require('node:path');",
    );
    for (const args of [['--help'], ['--version'], ['replay', 'read-model', '--help']]) {
      const result = await run(args, ['--require', probe]);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stderr)).toEqual(['loaded-files.cjs', 'cli.cjs']);
    }
  });

  it('loads the AWS SDK from its own build when a command needs it', async () => {
    const result = await run(['store', 'nobody', '--outputs', 'outputs.json', '--endpoint-url', 'http://127.0.0.1:9']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^sluice: cannot connect to 127\.0\.0\.1:9 \(ECONNREFUSED: nothing listens there\)/);
  });
});

/**
 * `bin/sluice-cli.js` on Node 20 (no `module.enableCompileCache`): V8's code cache of the bundle
 * beside it, written by the first call, ignored and written again when it does not fit.
 */
const describeOnNode20 = 'enableCompileCache' in nodeModule ? describe.skip : describe;
describeOnNode20('the sluice bin on Node 20', () => {
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-bin-'));
    fs.mkdirSync(path.join(root, 'bin'));
    fs.mkdirSync(path.join(root, 'dist'));
    fs.copyFileSync(path.join(__dirname, '..', '..', '..', 'bin', 'sluice-cli.js'), path.join(root, 'bin', 'sluice-cli.js'));
    for (const file of fs.readdirSync(path.dirname(CLI_BUNDLE)).filter((f) => f.endsWith('.cjs'))) {
      fs.copyFileSync(path.join(path.dirname(CLI_BUNDLE), file), path.join(root, 'dist', file));
    }
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  const version = (): Promise<{ code: number; stdout: string }> =>
    new Promise((resolve) => {
      execFile('node', [path.join(root, 'bin', 'sluice-cli.js'), '--version'], { cwd: root }, (error, stdout) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout }),
      );
    });
  const caches = () => fs.readdirSync(path.join(root, 'dist')).filter((file) => file.endsWith('.v8cache'));

  it('writes a code cache on the first call, and replaces one that does not fit the bundle', async () => {
    expect(await version()).toEqual({ code: 0, stdout: `${require('../../../package.json').version}\n` });
    expect(caches()).toEqual([expect.stringMatching(/^cli\.cjs\.v\d+\.\d+\.\d+-\w+-\d+-\d+\.v8cache$/)]);
    const cache = path.join(root, 'dist', caches()[0]);
    const written = fs.readFileSync(cache);
    expect(written.length).toBeGreaterThan(1000);

    fs.writeFileSync(cache, Buffer.alloc(written.length, 7)); // what V8 must refuse: not a cache of this source

    expect(await version()).toMatchObject({ code: 0 });
    expect(fs.readFileSync(cache).equals(Buffer.alloc(written.length, 7))).toBe(false);
    expect(caches()).toHaveLength(1);
  });

  it('keeps a code cache of the SDK bundle too, once a command has loaded it, and runs with it', async () => {
    fs.writeFileSync(path.join(root, 'outputs.json'), JSON.stringify({ EventStoreTableName: 'e', AccountsTableName: 'a', SnapshotTableName: 's' }));
    const store = (): Promise<{ code: number; stderr: string }> =>
      new Promise((resolve) => {
        const args = [path.join(root, 'bin', 'sluice-cli.js'), 'store', 'nobody', '--outputs', 'outputs.json', '--endpoint-url', 'http://127.0.0.1:9'];
        execFile('node', args, { cwd: root, env: { ...process.env, AWS_MAX_ATTEMPTS: '1' } }, (error, _stdout, stderr) =>
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr }),
        );
      });
    const refused = /^sluice: cannot connect to 127\.0\.0\.1:9 \(ECONNREFUSED: nothing listens there\)/;
    expect(await store()).toMatchObject({ code: 1, stderr: expect.stringMatching(refused) });
    const sdkCaches = () => caches().filter((file) => file.startsWith('aws-sdk.cjs.'));
    expect(sdkCaches()).toEqual([expect.stringMatching(/^aws-sdk\.cjs\.v\d+\.\d+\.\d+-\w+-\d+-\d+\.v8cache$/)]);
    const written = fs.readFileSync(path.join(root, 'dist', sdkCaches()[0]));
    expect(written.length).toBeGreaterThan(10_000);
    // The second call compiles from the cache (V8 accepts it: the file is not written again) and still works.
    expect(await store()).toMatchObject({ code: 1, stderr: expect.stringMatching(refused) });
    expect(fs.readFileSync(path.join(root, 'dist', sdkCaches()[0])).equals(written)).toBe(true);
  });
});

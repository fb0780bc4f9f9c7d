import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * `npm ci --omit=dev` runs `prepare` (cli/build.js) without esbuild, a devDependency: the install
 * must not fail there, and must say how to get the CLI. Any other run without esbuild fails.
 */
describe('cli/build.js without esbuild installed', () => {
  let alone: string;
  beforeAll(() => {
    alone = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-build-'));
    fs.mkdirSync(path.join(alone, 'cli'));
    fs.copyFileSync(path.join(__dirname, '..', '..', '..', 'cli', 'build.js'), path.join(alone, 'cli', 'build.js'));
  });
  afterAll(() => fs.rmSync(alone, { recursive: true, force: true }));

  function build(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
    return new Promise((resolve) => {
      execFile('node', [path.join(alone, 'cli', 'build.js'), '--quiet'], { cwd: alone, env: { PATH: process.env.PATH ?? '', ...env } }, (error, _stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr }),
      );
    });
  }

  it('skips the build with what to do when npm runs it as prepare', async () => {
    const above: string[] = [];
    for (let dir = alone; dir !== path.dirname(dir); dir = path.dirname(dir)) above.push(path.join(dir, 'node_modules'));
    expect(above.filter((dir) => fs.existsSync(path.join(dir, 'esbuild')))).toEqual([]);
    const result = await build({ npm_lifecycle_event: 'prepare' });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^sluice: the CLI is not built: esbuild, a devDependency, is not installed \(npm ci --omit=dev\)\. Build it where/);
  });

  it('fails any other build without esbuild', async () => {
    const result = await build({});
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^cannot build the sluice CLI: Cannot find module 'esbuild'/);
  });
});

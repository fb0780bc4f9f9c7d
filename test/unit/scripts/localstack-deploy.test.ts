import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Runs scripts/localstack-deploy.sh with a stub `npx` first on PATH (no Docker, no LocalStack)
 * and checks what cdklocal would be started with; then feeds that environment to cdklocal's own
 * `configureEnvironment` (aws-cdk-local/src), which is what throws or drops variables for CDK CLI >= 2.177.
 */
const root = path.resolve(__dirname, '../../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { configureEnvironment } = require('aws-cdk-local/src') as { configureEnvironment(env: Record<string, string>, allowList: string): void };

interface Call {
  readonly args: string[];
  readonly env: Record<string, string>;
}

let stubDir: string;
beforeAll(() => {
  stubDir = mkdtempSync(path.join(os.tmpdir(), 'sluice-npx-stub-'));
  writeFileSync(
    path.join(stubDir, 'npx'),
    `#!${process.execPath}\nrequire('fs').appendFileSync(process.env.NPX_STUB_LOG, JSON.stringify({ args: process.argv.slice(2), env: process.env }) + '\\n');\n`,
  );
  chmodSync(path.join(stubDir, 'npx'), 0o755);
});
afterAll(() => rmSync(stubDir, { recursive: true, force: true }));

/** Runs the script with only the given variables (plus PATH and HOME) and returns the stubbed npx calls. */
function deploy(env: Record<string, string> = {}): Call[] {
  const log = path.join(stubDir, `calls-${Date.now()}-${Math.random()}.jsonl`);
  const result = spawnSync('bash', [path.join(root, 'scripts', 'localstack-deploy.sh')], {
    env: { PATH: `${stubDir}:${process.env.PATH}`, HOME: os.tmpdir(), NPX_STUB_LOG: log, ...env },
    encoding: 'utf8',
  });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Call);
}

describe('scripts/localstack-deploy.sh', () => {
  it('bootstraps, then deploys both stacks with the LocalStack context and writes the outputs file', () => {
    const [bootstrap, deployAll, ...rest] = deploy();
    expect(rest).toEqual([]);
    const context = ['-c', 'stage=dev', '-c', 'dashboard=false', '-c', 'waf=false', '-c', 'lambdaArchitecture=arm64'];
    expect(bootstrap.args).toEqual(['cdklocal', 'bootstrap', 'aws://000000000000/us-east-1', ...context]);
    expect(deployAll.args).toEqual(['cdklocal', 'deploy', '--all', '--require-approval', 'never', ...context, '--outputs-file', '.sluice/localstack-outputs.json']);
  });

  it('gives cdklocal AWS_ENDPOINT_URL with an S3 endpoint that has a .s3. host, so cdklocal does not throw', () => {
    const [{ env }] = deploy();
    expect(env.AWS_ENDPOINT_URL).toBe('http://localhost:4566');
    expect(env.AWS_ENDPOINT_URL_S3).toBe('http://s3.localhost.localstack.cloud:4566');
    const seen = { ...env };
    expect(() => configureEnvironment(seen, env.AWS_ENVAR_ALLOWLIST ?? '')).not.toThrow();
    expect(seen.AWS_ENDPOINT_URL).toBe('http://localhost:4566');
  });

  it("keeps the caller's region through cdklocal's allowlist (it drops unlisted AWS_* variables)", () => {
    const [{ env }, second] = deploy({ AWS_REGION: 'eu-central-1', AWS_ENVAR_ALLOWLIST: 'AWS_PROFILE' });
    expect(env.AWS_ENVAR_ALLOWLIST).toBe('AWS_PROFILE,AWS_REGION,AWS_DEFAULT_REGION');
    expect(second.args).toContain('--outputs-file');
    const seen = { ...env, AWS_SESSION_TOKEN: 'dropped' };
    configureEnvironment(seen, env.AWS_ENVAR_ALLOWLIST);
    expect(seen).toMatchObject({ AWS_REGION: 'eu-central-1', AWS_DEFAULT_REGION: 'eu-central-1', CDK_DEFAULT_REGION: 'eu-central-1' });
    expect(seen.AWS_SESSION_TOKEN).toBeUndefined();
    expect(env.CDK_DEFAULT_ACCOUNT).toBe('000000000000');
  });

  it('moves with LOCALSTACK_PORT and takes the architecture and stage from the environment', () => {
    const [bootstrap] = deploy({ LOCALSTACK_PORT: '4777', SLUICE_LAMBDA_ARCHITECTURE: 'x86_64', SLUICE_STAGE: 'prod' });
    expect(bootstrap.env.AWS_ENDPOINT_URL).toBe('http://localhost:4777');
    expect(bootstrap.env.AWS_ENDPOINT_URL_S3).toBe('http://s3.localhost.localstack.cloud:4777');
    expect(bootstrap.args).toEqual(expect.arrayContaining(['stage=prod', 'lambdaArchitecture=x86_64']));
  });

  it("would fail the way the issue reports without the S3 endpoint (cdklocal's own check)", () => {
    expect(() => configureEnvironment({ AWS_ENDPOINT_URL: 'http://localhost:4566' }, '')).toThrow(/AWS_ENDPOINT_URL_S3/);
  });
});

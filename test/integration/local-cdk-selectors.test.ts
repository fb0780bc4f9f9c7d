/**
 * Every `cdk` stack selector shown in the README and docs/ selects a stack. The CDK CLI matches
 * selectors against construct paths (`Stateless`), not stack names (`sluice-dev-stateless`), so a
 * selector that looks right can select nothing: `cdk ls` then prints nothing and `cdk deploy`
 * stops with "No stacks match". Checked with the real CLI against the local cloud's own assembly
 * (synthesized here when it is missing), without running the app again.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isAssemblyCurrent, ownedAssemblyDir, synthAssembly, synthInputsHash } from '../../local/synth';
import { cdkSelectors, freshShellEnv, type CdkSelector } from '../helpers/readme-blocks';

const root = path.resolve(__dirname, '..', '..');
const documents = [
  'README.md',
  ...readdirSync(path.join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => path.join('docs', f)),
];
const found: Array<CdkSelector & { file: string }> = documents.flatMap((file) =>
  cdkSelectors(readFileSync(path.join(root, file), 'utf8')).map((s) => ({ ...s, file })),
);
const distinct = [...new Map(found.map((s) => [`${s.app ?? ''} ${s.selector}`, s])).values()];

let assembly: string;
beforeAll(async () => {
  const hash = synthInputsHash(root);
  assembly = ownedAssemblyDir(root, hash);
  if (!isAssemblyCurrent(assembly, hash)) await synthAssembly(root, assembly, hash);
}, 600_000);

/**
 * What `cdk ls <selector>` prints for the assembly (or, for a command with its own `--app`, for that
 * app, synthesized into a scratch folder so ./cdk.out is left alone): one line per selected stack.
 */
function list(selector: string, app?: string): string {
  const source = app ? ['--app', app, '--output', mkdtempSync(path.join(tmpdir(), 'sluice-cdk-ls-'))] : ['--app', assembly];
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'aws-cdk', 'bin', 'cdk'), 'ls', selector, ...source, '--no-notices', '--ci'], {
    // Without the suite's AWS_ENDPOINT_URL: the CLI would ask that endpoint for the account.
    cwd: root,
    encoding: 'utf8',
    env: freshShellEnv(),
    timeout: 120_000,
  });
  expect({ status: result.status, signal: result.signal, stderr: result.stderr }).toEqual({ status: 0, signal: null, stderr: expect.any(String) });
  return result.stdout.trim();
}

describe('cdk selectors in the README and docs', () => {
  it('are found (the README shows how to deploy one stack)', () => {
    expect(found.some((s) => s.file === 'README.md')).toBe(true);
  });

  it.each(distinct.map((s) => [s.selector, s] as const))(
    '%s selects a stack',
    (selector, s) => {
      const listed = list(selector, s.app);
      expect({ selector, from: `${s.file}: ${s.command}`, listed }).toEqual({ selector, from: expect.any(String), listed: expect.stringMatching(/\S/) });
    },
    180_000,
  );

  it("would catch a stack name used as a selector (the README's old `cdk deploy sluice-dev-stateless`)", () => {
    expect(list('sluice-dev-stateless')).toBe('');
  }, 180_000);
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENVIRONMENT, environmentHelp } from '../../../cli/environment';
import { buildProgram } from '../../../cli/main';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Every source file of the CLI: cli/**\/*.ts and its entry in bin/. */
function cliSources(dir = path.join(ROOT, 'cli')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return cliSources(file);
    return entry.name.endsWith('.ts') ? [file] : [];
  });
}

/** `process.env.X`, `env.X` (a `NodeJS.ProcessEnv` parameter) and `process.env['X']` in a source. */
function variablesRead(source: string): string[] {
  return [...source.matchAll(/\benv(?:\.([A-Z][A-Z0-9_]*)|\[['"]([A-Z][A-Z0-9_]*)['"]\])/g)].map((m) => m[1] ?? m[2]);
}

describe('sluice help environment', () => {
  const files = [...cliSources(), path.join(ROOT, 'bin', 'sluice-cli.js')];

  it('lists every environment variable the CLI reads', () => {
    const listed = new Set(ENVIRONMENT.map((v) => v.name));
    const read = files.flatMap((file) => variablesRead(fs.readFileSync(file, 'utf8')).map((name) => ({ name, file: path.relative(ROOT, file) })));
    expect(read.length).toBeGreaterThan(5);
    expect(read.filter((r) => !listed.has(r.name))).toEqual([]);
  });

  it('reads no variable by a computed name (which the list could not check)', () => {
    const computed = files.filter((file) => /process\.env\[(?!['"])/.test(fs.readFileSync(file, 'utf8'))).map((file) => path.relative(ROOT, file));
    expect(computed).toEqual([]);
  });

  it("lists the SDK's own variables and the flags that win over them", () => {
    const help = environmentHelp();
    for (const [name, flag] of [
      ['AWS_PROFILE', '--profile'],
      ['AWS_REGION', '--region'],
      ['AWS_ENDPOINT_URL', '--endpoint-url'],
    ]) {
      expect(help).toMatch(new RegExp(`^  ${name} +.*${flag} wins`, 'm'));
    }
    for (const variable of ENVIRONMENT) expect(help).toContain(`${variable.name} `);
    expect(help).toMatch(/^ {2}NO_COLOR +.*\(default: unset\)$/m);
  });

  it('is printed by `sluice help environment`; `sluice help <command>` still shows the command', async () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
    try {
      await buildProgram().parseAsync(['node', 'sluice', 'help', 'environment']);
      expect(written.join('')).toBe(environmentHelp());
      written.length = 0;
      await buildProgram().parseAsync(['node', 'sluice', 'help', 'replay', 'read-model']);
      expect(written.join('')).toMatch(/^Usage: sluice replay read-model \[options\]/);
      expect(written.join('')).toMatch(/-y, --yes/);
      expect(written.join('')).toMatch(/Global Options:[\s\S]*--stage <stage>[\s\S]*--endpoint-url <url>/);
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses an unknown topic, listing the commands and topics', async () => {
    await expect(buildProgram().parseAsync(['node', 'sluice', 'help', 'nope'])).rejects.toThrow(
      /^no help for nope; commands and topics: send, tail, store, replay, redrive, settle, trace, environment$/,
    );
  });
});

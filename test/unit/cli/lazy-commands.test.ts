import * as path from 'node:path';
import { CommanderError } from 'commander';
import { buildProgram } from '../../../cli/main';

const CLI = path.resolve(__dirname, '..', '..', '..', 'cli');

/** The CLI's own modules loaded so far in this test file, relative to cli/ (Jest's module registry). */
function loadedCliModules(): string[] {
  return Object.keys(require.cache)
    .filter((file) => file.startsWith(`${CLI}${path.sep}`))
    .map((file) => path.relative(CLI, file));
}

/** Runs the program as `sluice <args>` with stdout and stderr captured; resolves with what the program threw. */
async function runCaptured(args: readonly string[]): Promise<unknown> {
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await buildProgram().parseAsync(['node', 'sluice', ...args]);
    return undefined;
  } catch (error) {
    return error;
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('sluice program', () => {
  // In this order: the first test needs a registry without any command module.
  it('answers --help and usage errors without loading any command module, the SDK clients or the progress bar', async () => {
    expect(await runCaptured(['--help'])).toBeInstanceOf(CommanderError);
    expect(await runCaptured(['replay', 'read-model', '--help'])).toBeInstanceOf(CommanderError);
    expect(await runCaptured(['tail', '--limit', '0'])).toMatchObject({ code: 'commander.invalidArgument' });

    const loaded = loadedCliModules();
    expect(loaded).toContain(path.join('program', 'replay.ts'));
    expect(loaded.filter((file) => file.startsWith(`commands${path.sep}`) || ['context.ts', 'print.ts'].includes(file))).toEqual([]);
  });

  it("loads a command's module when the command runs", async () => {
    const env = process.env.AWS_ENDPOINT_URL;
    delete process.env.AWS_ENDPOINT_URL;
    try {
      expect(await runCaptured(['settle'])).toMatchObject({ name: 'CliError', message: expect.stringMatching(/^settle needs the sluice local cloud/) });
    } finally {
      if (env !== undefined) process.env.AWS_ENDPOINT_URL = env;
    }
    expect(loadedCliModules()).toContain(path.join('commands', 'settle.ts'));
  });
});

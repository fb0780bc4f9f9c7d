import { confirm, type Asker } from '../../../cli/confirm';
import { CliError, UsageError } from '../../../cli/errors';

function asker(interactive: boolean, answer = ''): Asker & { questions: string[] } {
  const questions: string[] = [];
  return { interactive, questions, ask: async (question) => (questions.push(question), answer) };
}

describe('confirming a destructive command', () => {
  it('goes on with --yes, asking nobody', async () => {
    const terminal = asker(true);
    await expect(confirm('redrive deletes x', true, terminal)).resolves.toBeUndefined();
    await expect(confirm('redrive deletes x', true, asker(false))).resolves.toBeUndefined();
    expect(terminal.questions).toEqual([]);
  });

  it('refuses without --yes when there is no terminal (exit 2), saying to pass --yes', async () => {
    const call = confirm('redrive deletes x', undefined, asker(false));
    await expect(call).rejects.toThrow(new UsageError('redrive deletes x; pass --yes to do it (there is no terminal to ask on)'));
  });

  it.each(['y', 'Y', 'yes', ' YES '])('asks at a terminal and goes on for %j', async (answer) => {
    const terminal = asker(true, answer);
    await expect(confirm('redrive deletes x', false, terminal)).resolves.toBeUndefined();
    expect(terminal.questions).toEqual(['redrive deletes x. Go on? [y/N] ']);
  });

  it.each(['', 'n', 'no', 'yep', 'sure'])('stops for %j (exit 1), nothing changed', async (answer) => {
    const call = confirm('redrive deletes x', false, asker(true, answer));
    await expect(call).rejects.toThrow(new CliError('not confirmed; nothing was changed'));
    await expect(confirm('redrive deletes x', false, asker(true, answer))).rejects.not.toBeInstanceOf(UsageError);
  });
});

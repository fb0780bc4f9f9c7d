import * as readline from 'node:readline/promises';
import { CliError, UsageError } from './errors';

/** How to ask: whether a person can answer, and the question itself (tests give their own). */
export interface Asker {
  readonly interactive: boolean;
  ask(question: string): Promise<string>;
}

/** A person at a terminal: stdin and stderr are both TTYs (stdout may be piped). */
export const terminalAsker: Asker = {
  get interactive() {
    return process.stdin.isTTY === true && process.stderr.isTTY === true;
  },
  async ask(question) {
    const prompt = readline.createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await prompt.question(question);
    } finally {
      prompt.close();
    }
  },
};

/**
 * Goes on only when the user agreed to `what` (a phrase like "redrive moves and deletes the
 * messages of <dlq>"): `--yes`, or "y"/"yes" at the prompt.
 *
 * @throws {UsageError} (exit 2) without `--yes` and without a terminal to ask on.
 * @throws {CliError} (exit 1) when the person answers anything but yes; nothing has been changed.
 */
export async function confirm(what: string, yes: boolean | undefined, asker: Asker = terminalAsker): Promise<void> {
  if (yes) return;
  if (!asker.interactive) throw new UsageError(`${what}; pass --yes to do it (there is no terminal to ask on)`);
  const answer = await asker.ask(`${what}. Go on? [y/N] `);
  if (!/^y(es)?$/i.test(answer.trim())) throw new CliError('not confirmed; nothing was changed');
}

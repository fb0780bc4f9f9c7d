import { Command, CommanderError } from 'commander';
import { registerRedrive } from './commands/redrive';
import { registerReplay } from './commands/replay';
import { registerSend } from './commands/send';
import { registerSettle } from './commands/settle';
import { registerStore } from './commands/store';
import { registerTail } from './commands/tail';
import { describeError, isCliError } from './errors';

/** The `sluice` program with every command registered (exported for tests and `--help`). */
export function buildProgram(): Command {
  const program = new Command('sluice')
    .description(
      'Operate a sluice pipeline: send events, tail the stream or a queue, inspect the event store, replay and redrive, wait for the local cloud to settle. ' +
          'Resources come from the stack outputs file (--outputs, $SLUICE_OUTPUTS_FILE, .sluice/outputs.json); the AWS ' +
          'endpoint, region and credentials from the SDK (AWS_ENDPOINT_URL, AWS_REGION, AWS_PROFILE). Local cloud: ' +
          'AWS_ENDPOINT_URL=http://localhost:4566 AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local.',
    )
    .version(require('../package.json').version)
    .showSuggestionAfterError()
    .exitOverride();
  registerSend(program);
  registerTail(program);
  registerStore(program);
  registerReplay(program);
  registerRedrive(program);
  registerSettle(program);
  // Subcommands are created with program.command(), so they inherit exitOverride.
  return program;
}

/**
 * Runs the CLI and sets the exit code: 0 ok, 1 the work failed, 2 usage error.
 *
 * Errors are one line on stderr (`SLUICE_DEBUG=1` adds the stack).
 */
export async function run(argv: readonly string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its message (or the help); 0 for --help/--version.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    process.stderr.write(`sluice: ${describeError(error)}\n`);
    if (process.env.SLUICE_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exitCode = isCliError(error) ? error.exitCode : 1;
  }
}

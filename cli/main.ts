import { Command, CommanderError } from 'commander';
import { err } from './colour';
import { registerRedrive } from './program/redrive';
import { registerReplay } from './program/replay';
import { registerSend } from './program/send';
import { registerSettle } from './program/settle';
import { registerStore } from './program/store';
import { registerTail } from './program/tail';
import { registerTrace } from './program/trace';
import { environmentHelp } from './environment';
import { describeError, isCliError, UsageError } from './errors';
import { withTargetOptions } from './target';

/** Help topics besides the commands: `sluice help <topic>`. */
const HELP_TOPICS: Readonly<Record<string, () => string>> = { environment: environmentHelp };

/**
 * The `sluice` program with every command registered (exported for tests and `--help`).
 *
 * Only the commands' definitions (`cli/program/`) load here: a command's own code loads when it runs.
 */
export function buildProgram(): Command {
  const program = withTargetOptions(
    new Command('sluice')
      .description(
        'Operate a sluice pipeline: send events, tail the stream or a queue, inspect the event store, replay and redrive, wait for the local cloud to settle, trace an event across every hop. ' +
          "Resources come from the stack outputs file: the local cloud's .sluice/outputs.local.json, a deployed stage's " +
          '.sluice/outputs.<stage>.json (--stage), or --outputs <file>; the AWS endpoint, region and credentials from the flags ' +
          'or, like any SDK program, AWS_ENDPOINT_URL, AWS_REGION, AWS_PROFILE. Local cloud: ' +
          'AWS_ENDPOINT_URL=http://localhost:4566 AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local. ' +
          'sluice help environment lists every variable sluice reads.',
      )
      .version(require('../package.json').version)
      .showSuggestionAfterError()
      .configureHelp({ showGlobalOptions: true })
      .exitOverride()
      .helpCommand(false),
  );
  registerSend(program);
  registerTail(program);
  registerStore(program);
  registerReplay(program);
  registerRedrive(program);
  registerSettle(program);
  registerTrace(program);
  registerHelp(program);
  // Subcommands are created with program.command(), so they inherit exitOverride and the help settings.
  return program;
}

/** `sluice help [command|topic]`: a command's help, or a topic such as `environment`. */
function registerHelp(program: Command): void {
  program
    .command('help')
    .summary('show help for a command, or a topic: environment')
    .argument('[name...]', `a command (e.g. replay read-model) or a topic: ${Object.keys(HELP_TOPICS).join(', ')}`)
    .action((names: string[]) => {
      const topic = names.length === 1 ? HELP_TOPICS[names[0]] : undefined;
      if (topic) {
        process.stdout.write(topic());
        return;
      }
      let command = program;
      for (const name of names) {
        const next = command.commands.find((c) => c.name() === name || c.aliases().includes(name));
        if (!next) {
          const known = [...program.commands.map((c) => c.name()).filter((c) => c !== 'help'), ...Object.keys(HELP_TOPICS)];
          throw new UsageError(`no help for ${names.join(' ')}; commands and topics: ${known.join(', ')}`);
        }
        command = next;
      }
      command.outputHelp();
    });
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
    process.stderr.write(`${err('red', 'sluice:')} ${describeError(error)}\n`);
    if (process.env.SLUICE_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exitCode = isCliError(error) ? error.exitCode : 1;
  }
}

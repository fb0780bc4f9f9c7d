/**
 * A command's action that loads the command's module only when the command runs.
 *
 * The definitions in `cli/program/` hold everything `--help` and argument parsing need (names,
 * options, parsers, help text); what a command does lives in `cli/commands/`, with the SDK calls,
 * the domain code and the libraries it needs. Loading those for `sluice --help` or a usage error
 * would cost most of a call's start, so each action imports its module on demand. In the built CLI
 * the module stays in `dist/cli.cjs`, wrapped by esbuild so that it is evaluated on the first
 * import (one instance of every module, so `instanceof` on the CLI's errors still holds).
 *
 * @example
 * command.action(lazyAction(() => import('../commands/send'), (loaded) => loaded.run));
 */
export function lazyAction<M>(load: () => Promise<M>, pick: (loaded: M) => (...args: any[]) => Promise<void>): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => pick(await load())(...args);
}

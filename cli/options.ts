/**
 * What the commands' definitions (`cli/program/`) share: options and their parsers. Nothing here
 * loads the AWS SDK or a command's code, since `sluice --help` loads this module.
 */
import { type Command, InvalidArgumentError } from 'commander';
import type { TargetOptions } from './target';

/** Options every command takes: its own `--json` and the program's target options. */
export interface CommonOptions extends TargetOptions {
  readonly json?: boolean;
  /** `--yes` on commands that delete or overwrite. */
  readonly yes?: boolean;
}

/** Adds `--json` to a command (the target options are the program's: see `withTargetOptions`). */
export function withCommonOptions(command: Command): Command {
  return command.option('--json', 'machine output: one JSON document on stdout (NDJSON for tail)');
}

/** Adds `--yes` to a command that deletes or overwrites. */
export function withYesOption(command: Command): Command {
  return command.option('-y, --yes', 'do it without asking (needed when there is no terminal to ask on: scripts, CI)');
}

/** Commander argument parser for a positive integer option. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`must be a positive integer (got "${value}")`);
  return n;
}

/** Commander argument parser for an ISO 8601 time option. */
export function isoTime(value: string): Date {
  const time = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(time.getTime())) {
    throw new InvalidArgumentError(`must be an ISO 8601 time such as 2025-01-31T12:00:00Z (got "${value}")`);
  }
  return time;
}

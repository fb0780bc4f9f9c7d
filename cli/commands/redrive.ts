import type { Command } from 'commander';

export function registerRedrive(program: Command): void {
  program.command('redrive').description('(coming)');
}

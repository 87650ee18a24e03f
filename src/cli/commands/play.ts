// `playforge play ...`: validate, inspect and resolve Play files.
import type { Command } from 'commander';

export function registerPlayCommands(program: Command): void {
  program.command('play').description('validate, inspect and resolve Play YAML files');
}

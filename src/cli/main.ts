// The `playforge` CLI: each command is a thin shell over one stage, registered from its own module.
import { Command, CommanderError } from 'commander';
import { isPlayforgeError } from '../common/errors.ts';
import { registerPlayCommands } from './commands/play.ts';
import { registerDataCommands } from './commands/data.ts';
import { registerFeaturesCommands } from './commands/features.ts';
import { registerStartCommand } from './commands/start.ts';
import { registerBacktestCommands } from './commands/backtest.ts';
import { registerEvolveCommands } from './commands/evolve.ts';
import { registerKnowledgeCommands } from './commands/knowledge.ts';
import { registerWorkerCommand } from './commands/worker.ts';
import { registerTranslateCommands } from './commands/translate.ts';
import { registerValidateCommands } from './commands/validate.ts';
import { registerLibraryCommands } from './commands/library.ts';

export function buildProgram(): Command {
  const program = new Command('playforge')
    .description('Turn trading knowledge into vetted crypto strategies (Play DSL, data, evolution, validation).')
    .option('--data-dir <dir>', 'where every store lives (env PLAYFORGE_DATA_DIR, default ./data)')
    .exitOverride();
  registerStartCommand(program);
  registerPlayCommands(program);
  registerBacktestCommands(program);
  registerEvolveCommands(program);
  registerDataCommands(program);
  registerFeaturesCommands(program);
  registerKnowledgeCommands(program);
  registerWorkerCommand(program);
  registerTranslateCommands(program);
  registerValidateCommands(program);
  registerLibraryCommands(program);
  return program;
}

/** Runs the CLI and returns the exit code, so tests can call it in-process. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (isPlayforgeError(e)) {
      process.stderr.write(`error: ${e.format()}\n`);
      return 1;
    }
    process.stderr.write(`error: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}

// `playforge start` (what `npm start` runs): the main job on the embedded defaults, growing with the stages.
import type { Command } from 'commander';

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('run the pipeline stages that exist on the bundled plays and data, with a summary')
    .action(async () => {
      process.stdout.write('playforge: nothing to run yet\n');
    });
}

// `playforge features PLAY --data exchange:SYMBOL:interval --out FILE.csv`: the data window of a play — every
// feature, structure field, setup, action condition and signal per exec bar. A thin shell over src/engine.
import type { Command } from 'commander';
import { resolveDataDir } from '../../common/config.ts';
import { PlayforgeError } from '../../common/errors.ts';
import { ensureDefaultData, parseDateArg, withStore } from '../../data/index.ts';
import { defaultGenome, loadPlayFile, parseParamAssignments, resolvePlay } from '../../dsl/index.ts';
import { compilePlay, loadPlayData, writeDataWindowCsv, SIGNAL_NAMES } from '../../engine/index.ts';

const out = (s: string) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
const err = (s: string) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`);

interface FeaturesOptions {
  data: string;
  out: string;
  params?: string;
  from?: string;
  to?: string;
  json?: boolean;
}

const count = (a: Uint8Array) => a.reduce((s, x) => s + x, 0);

export function registerFeaturesCommands(program: Command): void {
  program
    .command('features')
    .description('write the data window of a play: one CSV row per exec bar with every feature, structure field, condition and signal')
    .argument('<play>', 'play YAML file')
    .requiredOption('--data <dataset>', 'dataset exchange:SYMBOL:interval, e.g. bybit:BTCUSDT:1h (its interval is the exec timeframe)')
    .requiredOption('--out <file>', 'CSV file to write')
    .option('--params <k=v,...>', 'values for the play\'s ranged parameters (the rest take the default genome)')
    .option('--from <date>', 'first bar open time (ISO-8601 or epoch ms), inclusive')
    .option('--to <date>', 'last bar open time bound (ISO-8601 or epoch ms), exclusive')
    .option('--json', 'print one JSON summary document')
    .action(async (file: string, opts: FeaturesOptions, cmd: Command) => {
      const { play, errors } = await loadPlayFile(file);
      if (!play) {
        if (opts.json) out(JSON.stringify({ file, valid: false, errors: errors.map((e) => ({ code: e.code, message: e.message, ...e.location })) }));
        else for (const e of errors) err(`error: ${e.format()}`);
        process.exitCode = 1;
        return;
      }
      const genome = opts.params ? parseParamAssignments(opts.params, play) : {};
      const concrete = resolvePlay(play, genome);
      const range = { from: opts.from ? parseDateArg(opts.from, '--from') : undefined, to: opts.to ? parseDateArg(opts.to, '--to') : undefined };
      if (range.from !== undefined && range.to !== undefined && range.from >= range.to) {
        throw new PlayforgeError('CLI_BAD_RANGE', `--from must be before --to`);
      }
      const dataDir = resolveDataDir((cmd.optsWithGlobals() as { dataDir?: string }).dataDir);
      const loaded = await withStore(dataDir, async (store) => {
        await ensureDefaultData(store);
        return loadPlayData(store, concrete, opts.data, range);
      });
      for (const note of loaded.notes) err(`note: ${note}`);
      const compiled = compilePlay(loaded.play, loaded.data);
      const { header, rows } = await writeDataWindowCsv(compiled, opts.out);
      const signals = Object.fromEntries(SIGNAL_NAMES.map((a) => [a, count(compiled.signals[a])]));
      const conditions = Object.fromEntries(Object.entries(compiled.conditionColumns()).map(([k, v]) => [k, count(v)]));
      const first = compiled.exec.ts[0], last = compiled.exec.ts[compiled.n - 1];
      const summary = {
        play: play.name, file, dataset: opts.data, execInterval: compiled.execInterval, out: opts.out, rows, columns: header.length,
        header, genome: { ...defaultGenome(play), ...genome }, first: new Date(first).toISOString(), last: new Date(last).toISOString(),
        warmupBars: compiled.warmupBars, signals, conditions, timings: compiled.timings, notes: loaded.notes,
      };
      if (opts.json) {
        out(JSON.stringify(summary));
        return;
      }
      out(`${play.name} on ${opts.data}: ${rows} bars (${summary.first} .. ${summary.last}), ${header.length} columns -> ${opts.out}`);
      out(`  warm-up: ${compiled.warmupBars} bars`);
      const width = Math.max(...[...Object.keys(signals), ...Object.keys(conditions)].map((k) => k.length));
      out('  true on bars:');
      for (const [k, v] of Object.entries(conditions)) out(`    ${k.padEnd(width)}  ${v}`);
      for (const [k, v] of Object.entries(signals)) if (v > 0) out(`    ${`signal.${k}`.padEnd(width)}  ${v}`);
      const t = compiled.timings;
      out(`  time: indicators ${t.indicatorsMs.toFixed(1)} ms, structures ${t.structuresMs.toFixed(1)} ms, conditions ${t.conditionsMs.toFixed(1)} ms`);
    });
}


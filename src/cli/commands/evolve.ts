// `playforge evolve PLAY... --data exchange:SYMBOL:interval`: genetic evolution of ranged plays on the training
// window of a dataset (the holdout is never evaluated), recorded per generation in the warm store, with a
// progress bar on stderr; `--resume ID` continues an interrupted run. A thin shell over src/evolve.
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { PlayforgeError } from '../../common/errors.ts';
import { ensureDefaultData, isoUtc, withStore } from '../../data/index.ts';
import type { Play } from '../../dsl/index.ts';
import {
  clusterEvaluatorFactory, defaultWorkerCount, describeStoredRun, EvolutionEvents, EvolutionStore, fitnessConfig, loadEvolutionData, MULTI_OBJECTIVE_NAMES,
  OBJECTIVE_NAMES, resumeEvolution, runEvolution, type EvaluatorFactory, type EvolutionData, type MultiObjectiveName, type ObjectiveName,
  type RunData, type RunResult,
} from '../../evolve/index.ts';
import { openWarmStore } from '../../store/index.ts';
import { dataDirOf, err, loadPlayOrReport, out, parseRange } from '../io.ts';

interface EvolveOptions {
  data?: string;
  seed: string;
  population: string;
  generations: string;
  workers?: string;
  objective: string;
  objectives: string;
  nsga2?: boolean;
  minTrades: string;
  holdout: string;
  patience: string;
  epsilon: string;
  top: string;
  from?: string;
  to?: string;
  subBars: boolean;
  redis?: string;
  prefix?: string;
  resume?: string;
  progress: boolean;
  json?: boolean;
}

function intOption(v: string, flag: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new PlayforgeError('CLI_BAD_OPTION', `${flag} must be an integer >= ${min}, got "${v}"`, { path: flag });
  return n;
}

function numOption(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new PlayforgeError('CLI_BAD_OPTION', `${flag} must be a number, got "${v}"`, { path: flag });
  return n;
}

/**
 * Progress on stderr: on a terminal one bar per evolved play (generation, best and median fitness, evaluations
 * per second); otherwise (logs, CI, tests) one line per stored generation.
 */
export function attachProgress(events: EvolutionEvents, tty: boolean): void {
  let bar: SingleBar | undefined;
  const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : String(x));
  events.onEvent((e) => {
    if (e.type === 'start') {
      const what = `${e.play}${e.evolutionId ? ` (evolution ${e.evolutionId})` : ''}`;
      if (!tty) {
        err(`${e.resumed ? 'resuming' : 'evolving'} ${what} from generation ${e.generation}: population ${e.population}, at most ${e.maxGenerations} generations, ${e.spaceSize.toLocaleString('en-US')} genomes in the space`);
        return;
      }
      err(`${e.resumed ? 'resuming' : 'evolving'} ${what}`);
      bar = new SingleBar({
        format: `${e.play} |{bar}| gen {value}/{total} | best {best} | median {median} | {eps} evals/s`,
        stream: process.stderr, hideCursor: true, barsize: 24,
      });
      bar.start(e.maxGenerations, e.generation, { best: '-', median: '-', eps: '-' });
    } else if (e.type === 'generation') {
      if (bar) bar.update(e.generation + 1, { best: fmt(e.bestSoFar), median: fmt(e.median), eps: e.evalsPerSecond.toFixed(0) });
      else err(`${e.play}: generation ${e.generation} ${e.evolutionId ? 'stored' : 'done'}: best ${fmt(e.best)}, median ${fmt(e.median)}, ${e.evaluated} backtests, ${e.evalsPerSecond.toFixed(1)} evals/s`);
    } else if (e.type === 'done') {
      bar?.update(e.generations);
      bar?.stop();
      bar = undefined;
      err(`${e.play}: stopped after ${e.generations} generation(s) (${e.stopReason.replace('_', ' ')}), best fitness ${fmt(e.best)}`);
    }
  });
}

function windowJson(w: { from: number; to: number; bars: number } | null) {
  return w ? { from: isoUtc(w.from), to: isoUtc(w.to), bars: w.bars } : null;
}

function resultJson(r: RunResult, notes: string[]) {
  const evolutions = r.evolutions.map((e) => ({
    id: e.id, play: e.play, stopReason: e.stopReason, generations: e.generations, evaluations: e.evaluations, spaceSize: e.spaceSize,
    bestFitness: e.best, initialMedianFitness: e.initialMedian, winners: e.winners,
    history: e.history.map((g) => ({ generation: g.generation, best: g.best, median: g.median, mean: g.mean, bestSoFar: g.bestSoFar, evaluated: g.evaluated, size: g.members.length })),
  }));
  return {
    id: evolutions[0]?.id ?? null, runId: r.runId, dataset: r.dataset, seed: r.seed,
    train: windowJson(r.train), holdout: windowJson(r.holdout), winners: evolutions[0]?.winners ?? [], evolutions,
    evalsPerSecond: r.evalsPerSecond, elapsedMs: r.elapsedMs, notes,
  };
}

function printSummary(r: RunResult): void {
  out(`run ${r.runId} on ${r.dataset} (seed ${r.seed}): ${r.evalsPerSecond.toFixed(1)} evaluations/s, ${(r.elapsedMs / 1000).toFixed(1)} s`);
  out(`  training ${isoUtc(r.train.from)} .. ${isoUtc(r.train.to)} (${r.train.bars} bars)${r.holdout ? `; holdout ${isoUtc(r.holdout.from)} .. ${isoUtc(r.holdout.to)} (${r.holdout.bars} bars, not evaluated)` : ''}`);
  for (const e of r.evolutions) {
    out(`${e.play}${e.id ? ` (evolution ${e.id})` : ''}: ${e.generations} generation(s), ${e.stopReason.replace('_', ' ')}, ${e.evaluations} of ${e.spaceSize.toLocaleString('en-US')} genomes evaluated`);
    out(`  best fitness ${e.best.toFixed(3)} vs median of the first generation ${e.initialMedian.toFixed(3)}`);
    for (const [i, w] of e.winners.slice(0, 5).entries()) {
      const m = w.metrics;
      const params = Object.entries(w.params).map(([k, v]) => `${k}=${v}`).join(' ');
      out(`  ${String(i + 1).padStart(2)}. fitness ${w.fitness.toFixed(3)}  ${m ? `sharpe ${m.sharpe.toFixed(2)} return ${m.totalReturnPct.toFixed(1)}% maxDD ${m.maxDrawdownPct.toFixed(1)}% trades ${m.trades}` : ''}  ${params}`);
    }
  }
}

async function evaluatorFor(opts: EvolveOptions): Promise<{ workers?: number; evaluator?: EvaluatorFactory }> {
  if (opts.redis) return { evaluator: await clusterEvaluatorFactory(opts.redis, { prefix: opts.prefix }) };
  return { workers: opts.workers === undefined ? defaultWorkerCount() : intOption(opts.workers, '--workers', 0) };
}

/** The bundled example data is imported into a store that lacks the dataset (a fresh --data-dir). */
export async function ensureDataset(dataDir: string, datasetId: string): Promise<void> {
  const present = await withStore(dataDir, (store) => store.hasDataset(datasetId));
  if (!present) await ensureDefaultData(dataDir);
}

function runData(datasetId: string, d: EvolutionData): RunData {
  return { datasetId, train: d.train, trainWindow: d.trainWindow, holdoutWindow: d.holdoutWindow, holdoutBars: d.holdoutBars };
}

export function registerEvolveCommands(program: Command): void {
  program
    .command('evolve')
    .description('evolve ranged plays on the training window of a dataset (holdout kept out), recorded in the warm store')
    .argument('[plays...]', 'play YAML files (each evolves with its own population)')
    .option('--data <dataset>', 'dataset exchange:SYMBOL:interval (default bybit:<play symbol>:<play exec interval>)')
    .option('--seed <n>', 'seed of every random choice: the same seed gives the same run', '1')
    .option('--population <n>', 'genomes per generation', '100')
    .option('--generations <n>', 'maximum generations', '30')
    .option('--workers <n>', 'worker threads (0 = evaluate in this thread; default: one per core)')
    .option('--objective <name>', `fitness: ${OBJECTIVE_NAMES.join(', ')}`, 'sharpe')
    .option('--nsga2', 'multi-objective mode (NSGA-II); the winners are the Pareto front')
    .option('--objectives <list>', `NSGA-II objectives, comma-separated: ${MULTI_OBJECTIVE_NAMES.join(', ')}`, 'sharpe,max_drawdown,trades')
    .option('--min-trades <n>', 'fewer trades than this scores the too-few-trades penalty', '10')
    .option('--holdout <fraction>', 'share of the most recent bars kept out of evolution for validation', '0.25')
    .option('--patience <n>', 'stop after this many generations without improvement', '5')
    .option('--epsilon <x>', 'smallest improvement of the best fitness that counts', '0.0001')
    .option('--top <n>', 'winners to report (NSGA-II reports its whole front)', '10')
    .option('--from <date>', 'first bar open time (ISO-8601 or epoch ms), inclusive')
    .option('--to <date>', 'bar open time bound (ISO-8601 or epoch ms), exclusive')
    .option('--no-sub-bars', 'do not resolve stops and limit fills on finer stored candles')
    .option('--redis <url>', 'evaluate on a BullMQ cluster (start workers with `playforge worker --redis URL`)')
    .option('--prefix <name>', 'namespace of the cluster keys (with --redis); must match the workers\' --prefix')
    .option('--resume <id>', 'continue the interrupted run of this evolution id from its last complete generation')
    .option('--no-progress', 'no progress bar on stderr')
    .option('--json', 'print one JSON document')
    .action(async (files: string[], opts: EvolveOptions, cmd: Command) => {
      if (opts.resume && files.length) throw new PlayforgeError('CLI_BAD_OPTION', '--resume continues a stored run: give no play files with it', { path: '--resume' });
      if (!opts.resume && !files.length) throw new PlayforgeError('CLI_MISSING_ARGUMENT', 'give at least one play file, or --resume ID', { path: 'plays' });
      // Every option is checked before any store is opened.
      const range = parseRange(opts);
      const holdoutFraction = numOption(opts.holdout, '--holdout');
      const seed = intOption(opts.seed, '--seed', 0);
      const ga = {
        population: intOption(opts.population, '--population', 2), maxGenerations: intOption(opts.generations, '--generations', 1), nsga2: Boolean(opts.nsga2),
        patience: intOption(opts.patience, '--patience', 1), epsilon: numOption(opts.epsilon, '--epsilon'), winners: intOption(opts.top, '--top', 1),
      };
      const fitness = fitnessConfig({
        objective: opts.objective as ObjectiveName, minTrades: intOption(opts.minTrades, '--min-trades', 0),
        objectives: opts.objectives.split(',').map((s) => s.trim()).filter(Boolean) as MultiObjectiveName[],
      });
      const dataDir = dataDirOf(cmd);
      const events = new EvolutionEvents();
      if (opts.progress) attachProgress(events, Boolean(process.stderr.isTTY));
      const evaluation = await evaluatorFor(opts);
      const plays: Play[] = [];
      for (const f of files) {
        const p = await loadPlayOrReport(f, Boolean(opts.json));
        if (!p) return;
        plays.push(p);
      }
      const warm = await openWarmStore({ dataDir });
      try {
        const store = new EvolutionStore(warm.sql);
        let result: RunResult, notes: string[];
        if (opts.resume) {
          const info = await describeStoredRun(store, opts.resume);
          await ensureDataset(dataDir, info.dataset);
          const data = await loadEvolutionData(dataDir, info.plays, info.dataset, {
            from: info.train.from, to: info.holdout?.to ?? info.train.to, subBars: info.load.subBars !== false, trainWindow: info.train,
          });
          notes = data.notes;
          result = await resumeEvolution(store, opts.resume, { data: runData(info.dataset, data), events, ...evaluation });
        } else {
          const datasetId = opts.data ?? `bybit:${plays[0].symbol}:${plays[0].timeframes[plays[0].timeframes.exec]}`;
          await ensureDataset(dataDir, datasetId);
          const data = await loadEvolutionData(dataDir, plays, datasetId, { ...range, holdoutFraction, subBars: opts.subBars });
          notes = data.notes;
          if (!opts.json) for (const n of notes) err(`note: ${n}`);
          result = await runEvolution({
            plays: data.plays, data: runData(datasetId, data), seed, fitness, store, events, ...evaluation, ga,
            loadOptions: { ...range, holdoutFraction, subBars: opts.subBars },
          });
        }
        if (opts.json) out(JSON.stringify(resultJson(result, notes)));
        else printSummary(result);
      } finally {
        await warm.close();
      }
    });
}

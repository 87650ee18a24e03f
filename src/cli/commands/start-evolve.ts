// The evolution section of `playforge start`: the seed example (and the plays the translation section wrote)
// evolved on the bundled BTCUSDT 1h bars with a small budget (population 40, at most 8 generations, 2 worker
// threads), progress on stderr, one summary line per play.
// Not recorded in the warm store (that is `playforge evolve`), so `npm start` stays quick on a fresh checkout.
import { fileURLToPath } from 'node:url';
import { loadPlayFile, type Play } from '../../dsl/index.ts';
import { EvolutionEvents, loadEvolutionData, median, runEvolution, type RunResult } from '../../evolve/index.ts';
import { attachProgress, ensureDataset } from './evolve.ts';

export const SEED_EXAMPLE = fileURLToPath(new URL('../../../examples/plays/regime_markov_candidate_001.yml', import.meta.url));
const DATASET = 'bybit:BTCUSDT:1h';

export interface StartEvolution {
  play: string;
  dataset: string;
  population: number;
  maxGenerations: number;
  workers: number;
  generations: number;
  stopReason: string;
  evaluations: number;
  spaceSize: number;
  trainBars: number;
  holdoutBars: number;
  best: { params: Record<string, number | string | boolean>; fitness: number; sharpe: number | null; trades: number | null };
  /** Median training Sharpe of the first generation (the starting population). */
  initialMedianSharpe: number;
  evalsPerSecond: number;
  elapsedMs: number;
}

/** The evolution section's summaries, and the run itself with its ranged plays (what the validation section judges). */
export interface SeedEvolutionRun {
  summaries: StartEvolution[];
  run: RunResult;
  plays: Play[];
}

export async function evolveSeedExample(
  dataDir: string,
  opts: { progress: boolean; workers?: number; population?: number; generations?: number; extraPlays?: readonly Play[] },
): Promise<StartEvolution[]> {
  return (await runSeedEvolution(dataDir, opts)).summaries;
}

export async function runSeedEvolution(
  dataDir: string,
  opts: { progress: boolean; workers?: number; population?: number; generations?: number; extraPlays?: readonly Play[] },
): Promise<SeedEvolutionRun> {
  const t0 = performance.now();
  const { play, errors } = await loadPlayFile(SEED_EXAMPLE);
  if (!play) throw errors[0];
  await ensureDataset(dataDir, DATASET);
  const data = await loadEvolutionData(dataDir, [play, ...(opts.extraPlays ?? [])], DATASET);
  const events = new EvolutionEvents();
  if (opts.progress) attachProgress(events, Boolean(process.stderr.isTTY));
  const population = opts.population ?? 40, maxGenerations = opts.generations ?? 8, workers = opts.workers ?? 2;
  const r = await runEvolution({ plays: data.plays, data: { datasetId: DATASET, ...data }, seed: 1, ga: { population, maxGenerations }, workers, events });
  const elapsedMs = performance.now() - t0;
  const summaries = r.evolutions.map((e) => {
    const w = e.winners[0];
    const sharpes = e.history[0].members.map((m) => m.result.metrics?.sharpe).filter((x): x is number => x !== undefined);
    return {
      play: e.play, dataset: DATASET, population, maxGenerations, workers, generations: e.generations, stopReason: e.stopReason,
      evaluations: e.evaluations, spaceSize: e.spaceSize, trainBars: data.trainBars, holdoutBars: data.holdoutBars,
      best: { params: w?.params ?? {}, fitness: w?.fitness ?? NaN, sharpe: w?.metrics?.sharpe ?? null, trades: w?.metrics?.trades ?? null },
      initialMedianSharpe: median(sharpes), evalsPerSecond: r.evalsPerSecond, elapsedMs,
    };
  });
  return { summaries, run: r, plays: data.plays };
}

export function formatStartEvolution(all: readonly StartEvolution[]): string {
  if (all.length === 0) return '';
  const first = all[0];
  const lines = [
    '',
    `Evolution on ${first.dataset} (training ${first.trainBars} bars; the last ${first.holdoutBars} held out), population ${first.population}, ${first.workers} worker threads, ${(first.elapsedMs / 1000).toFixed(1)} s, ${first.evalsPerSecond.toFixed(0)} evals/s`,
  ];
  for (const s of all) {
    const params = Object.entries(s.best.params).map(([k, v]) => `${k.split('.').slice(-2).join('.')}=${v}`).join(' ');
    lines.push(`  ${s.play}: ${s.generations} generation(s), ${s.stopReason.replace('_', ' ')}, ${s.evaluations} of ${s.spaceSize.toLocaleString('en-US')} genomes`);
    lines.push(`    best training Sharpe ${s.best.sharpe?.toFixed(2) ?? '-'} (${s.best.trades ?? 0} trades; ${params}) vs median ${s.initialMedianSharpe.toFixed(2)} of the starting population`);
  }
  return `${lines.join('\n')}\n`;
}

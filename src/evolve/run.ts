// One evolution run: one or more plays on one dataset, each with its own population and RNG stream, evaluated
// by one evaluator (inline, worker pool or cluster), recorded generation by generation in the warm store and
// published as events. `resumeEvolution` continues a run from its last complete generations.
import { randomUUID } from 'node:crypto';
import { PlayforgeError } from '../common/index.ts';
import type { Interval } from '../data/index.ts';
import { genomeOf, loadPlay, serializePlay, type Gene, type Genome, type Play } from '../dsl/index.ts';
import type { MarketData, Metrics } from '../engine/index.ts';
import { datasetHash, type TimeWindow } from './dataset.ts';
import type { EvalResult, Evaluator } from './evaluator.ts';
import { evolveCore, gaConfig, moPoint, type GaConfig, type GenerationRecord, type Member } from './evolution.ts';
import { EvolutionEvents, type StopReason } from './events.ts';
import { fitnessConfig, type FitnessConfig } from './fitness.ts';
import { spaceSizeOf } from './ga/genes.ts';
import { nonDominatedSort } from './nsga2.ts';
import { EvolutionStore } from './persistence.ts';
import { InlineEvaluator } from './pool/inline-evaluator.ts';
import { WorkerPoolEvaluator } from './pool/worker-pool.ts';

export interface Winner {
  genome: Genome;
  /** The evolved parameters by short name (`ema_fast.length`, `regime.ema_length`). */
  params: Record<string, number | string | boolean>;
  fitness: number;
  objectives: number[];
  /** Training-window metrics. */
  metrics: Metrics | null;
  individualId: number | null;
}

export interface EvolutionSummary {
  id: string | null;
  play: string;
  stream: number;
  spaceSize: number;
  stopReason: StopReason;
  generations: number;
  /** Distinct genomes backtested over the whole evolution. */
  evaluations: number;
  best: number;
  /** Median fitness of generation 0 (the random, or enumerated, starting population). */
  initialMedian: number;
  /** Best first; NSGA-II: the Pareto front over every evaluated genome. */
  winners: Winner[];
  history: GenerationRecord[];
}

export interface RunResult {
  runId: string;
  dataset: string;
  seed: number;
  train: TimeWindow & { bars: number };
  holdout: (TimeWindow & { bars: number }) | null;
  evolutions: EvolutionSummary[];
  /** Backtests per wall second over the run (evaluations / evolution time). */
  evalsPerSecond: number;
  elapsedMs: number;
}

/** What the run evaluates on: the training data (already cut), its identity and windows. */
export interface RunData {
  datasetId: string;
  train: MarketData;
  trainWindow: TimeWindow;
  holdoutWindow: TimeWindow | null;
  holdoutBars: number;
}

export type EvaluatorFactory = (hash: string, train: MarketData) => Promise<Evaluator>;

export interface RunOptions {
  /** Ranged plays as they run on the dataset (loadEvolutionData moves them onto its interval). */
  plays: Play[];
  data: RunData;
  seed: number;
  ga?: Partial<GaConfig>;
  fitness?: FitnessConfig;
  /** 0 = evaluate in this thread (the determinism reference); default: one per core. */
  workers?: number;
  /** Overrides `workers` (e.g. the cluster evaluator). */
  evaluator?: EvaluatorFactory;
  /** Where generations are recorded; none = not persisted (ids are null). */
  store?: EvolutionStore;
  events?: EvolutionEvents;
  /** Recorded with the run so --resume can rebuild the same data. */
  loadOptions?: Record<string, unknown>;
}

export function localEvaluatorFactory(workers: number | undefined): EvaluatorFactory {
  return async (hash, train) => (workers === 0 ? new InlineEvaluator(hash, train) : new WorkerPoolEvaluator(hash, train, { workers }));
}

/** `features.ema_fast.params.length` -> `ema_fast.length`; `structures.regime.params.x` -> `regime.x`. */
export function shortParamName(path: string): string {
  return path.replace(/^(features|structures)\./, '').replace('.params.', '.');
}

/** The genome's values in gene order (stored genomes come back from jsonb with their keys sorted). */
function inGeneOrder(genes: readonly Gene[], g: Genome): Genome {
  const out: Genome = {};
  for (const gene of genes) if (gene.path in g) out[gene.path] = g[gene.path];
  return out;
}

function winnersOf(genes: readonly Gene[], history: readonly GenerationRecord[], cfg: GaConfig, fitness: FitnessConfig): Winner[] {
  const firstSeen = new Map<string, Member>();
  for (const rec of history) for (const m of [...rec.members, ...rec.discarded]) if (!firstSeen.has(m.key)) firstSeen.set(m.key, m);
  const all = [...firstSeen.values()].filter((m) => !m.result.error);
  const byFitness = (a: Member, b: Member) => b.result.fitness - a.result.fitness || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  let chosen: Member[];
  if (cfg.nsga2) {
    const front = nonDominatedSort(all.map((m) => moPoint(m.result, fitness)))[0] ?? [];
    chosen = front.map((i) => all[i]).sort(byFitness);
  } else chosen = all.sort(byFitness).slice(0, cfg.winners);
  return chosen.map((m) => {
    const genome = inGeneOrder(genes, m.genome);
    const params: Winner['params'] = {};
    for (const [k, v] of Object.entries(genome)) params[shortParamName(k)] = v;
    return { genome, params, fitness: m.result.fitness, objectives: m.result.objectives, metrics: m.result.metrics, individualId: m.id ?? null };
  });
}

interface Prepared {
  play: Play;
  yaml: string;
  genes: Gene[];
  evolutionId: string | null;
  history: GenerationRecord[];
}

async function evolveAll(runId: string, prepared: Prepared[], opts: { seed: number; ga: GaConfig; fitness: FitnessConfig; data: RunData; hash: string; evaluator: Evaluator; store?: EvolutionStore; events: EvolutionEvents }): Promise<{ summaries: EvolutionSummary[]; evaluations: number; evalMs: number }> {
  const summaries: EvolutionSummary[] = [];
  let evaluations = 0, evalMs = 0, jobs = 0;
  for (const [stream, p] of prepared.entries()) {
    const space = spaceSizeOf(p.genes);
    opts.events.publish({
      type: 'start', evolutionId: p.evolutionId, play: p.play.name, generation: p.history.length, population: opts.ga.population,
      maxGenerations: opts.ga.maxGenerations, spaceSize: space, resumed: p.history.length > 0,
    });
    try {
      // The generation before the one being recorded: parents are stored as its row ids.
      let previous: GenerationRecord | undefined = p.history[p.history.length - 1];
      const evaluate = async (genomes: Genome[]): Promise<EvalResult[]> => {
        const t0 = performance.now();
        const results = await opts.evaluator.evaluate({
          jobId: `${p.evolutionId ?? runId}:${jobs++}`, playYaml: p.yaml, fitness: opts.fitness, genomes,
          dataset: { hash: opts.hash, datasetId: opts.data.datasetId, execInterval: opts.data.train.execInterval as Interval, window: opts.data.trainWindow },
        });
        evalMs += performance.now() - t0;
        evaluations += genomes.length;
        return results;
      };
      const out = await evolveCore({
        genes: p.genes, seed: opts.seed, stream, config: opts.ga, fitness: opts.fitness, evaluate, history: p.history,
        onGeneration: async (rec, elapsedMs) => {
          if (opts.store && p.evolutionId) await opts.store.saveGeneration(p.evolutionId, rec, previous, { elapsedMs });
          previous = rec;
          opts.events.publish({
            type: 'generation', evolutionId: p.evolutionId, play: p.play.name, generation: rec.generation, best: rec.best, median: rec.median,
            mean: rec.mean, bestSoFar: rec.bestSoFar, bestGenome: rec.members.reduce((a, b) => (b.result.fitness > a.result.fitness ? b : a)).genome,
            size: rec.members.length, evaluated: rec.evaluated, evalsPerSecond: elapsedMs > 0 ? (rec.evaluated * 1000) / elapsedMs : 0, elapsedMs,
            ...(rec.frontSize === undefined ? {} : { frontSize: rec.frontSize }),
          });
        },
      });
      const winners = winnersOf(p.genes, out.history, opts.ga, opts.fitness);
      const last = out.history[out.history.length - 1];
      if (opts.store && p.evolutionId) await opts.store.finish(p.evolutionId, 'completed', winners[0]?.individualId ?? null);
      opts.events.publish({ type: 'done', evolutionId: p.evolutionId, play: p.play.name, stopReason: out.stopReason, generations: out.history.length, best: last.bestSoFar });
      summaries.push({
        id: p.evolutionId, play: p.play.name, stream, spaceSize: space, stopReason: out.stopReason, generations: out.history.length,
        evaluations: out.evaluatedByKey.size, best: last.bestSoFar, initialMedian: out.history[0].median, winners, history: out.history,
      });
    } catch (e) {
      if (opts.store && p.evolutionId) await opts.store.finish(p.evolutionId, 'failed', null, e instanceof Error ? e.message : String(e)).catch(() => undefined);
      throw e;
    }
  }
  return { summaries, evaluations, evalMs };
}

function checkSeed(seed: number): number {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new PlayforgeError('EVOLVE_BAD_CONFIG', `seed must be an integer in [0, 4294967295], got ${seed}`, { path: 'seed' });
  return seed;
}

async function execute(runId: string, prepared: Prepared[], o: { seed: number; ga: GaConfig; fitness: FitnessConfig; data: RunData; store?: EvolutionStore; events?: EvolutionEvents; factory: EvaluatorFactory; expectedHash?: string }): Promise<RunResult> {
  const hash = datasetHash(o.data.train);
  if (o.expectedHash && o.expectedHash !== hash) {
    throw new PlayforgeError('EVOLVE_DATA_CHANGED', `the training data of run ${runId} changed since it started (dataset hash ${hash.slice(0, 12)}, recorded ${o.expectedHash.slice(0, 12)}): it cannot be resumed exactly; start a new evolution`, { path: o.data.datasetId });
  }
  const events = o.events ?? new EvolutionEvents();
  const t0 = performance.now();
  const evaluator = await o.factory(hash, o.data.train);
  try {
    const { summaries, evaluations, evalMs } = await evolveAll(runId, prepared, { ...o, hash, evaluator, events });
    const elapsedMs = performance.now() - t0;
    const train = o.data.train.exec;
    return {
      runId, dataset: o.data.datasetId, seed: o.seed,
      train: { ...o.data.trainWindow, bars: train.length },
      holdout: o.data.holdoutWindow ? { ...o.data.holdoutWindow, bars: o.data.holdoutBars } : null,
      evolutions: summaries, evalsPerSecond: evalMs > 0 ? (evaluations * 1000) / evalMs : 0, elapsedMs,
    };
  } finally {
    await evaluator.close();
    events.publish({ type: 'run_done' });
  }
}

/** Evolves every play of `opts.plays` on the training data, one after the other, each with its own stream. */
export async function runEvolution(opts: RunOptions): Promise<RunResult> {
  const seed = checkSeed(opts.seed);
  const ga = gaConfig(opts.ga);
  const fitness = opts.fitness ?? fitnessConfig();
  if (opts.plays.length === 0) throw new PlayforgeError('EVOLVE_NO_PLAYS', 'nothing to evolve: give at least one play');
  const runId = randomUUID();
  const hash = datasetHash(opts.data.train);
  const prepared: Prepared[] = [];
  for (const [stream, play] of opts.plays.entries()) {
    const yaml = serializePlay(play);
    const genes = genomeOf(play);
    let evolutionId: string | null = null;
    if (opts.store) {
      const playId = await opts.store.ensurePlay(play.name, play.description, yaml);
      evolutionId = await opts.store.createEvolution({
        playId, dataset: opts.data.datasetId, seed, train: opts.data.trainWindow, holdout: opts.data.holdoutWindow,
        config: { runId, stream, plays: opts.plays.length, ga, fitness, datasetHash: hash, load: opts.loadOptions ?? {} },
      });
    }
    prepared.push({ play, yaml, genes, evolutionId, history: [] });
  }
  return execute(runId, prepared, { seed, ga, fitness, data: opts.data, store: opts.store, events: opts.events, factory: opts.evaluator ?? localEvaluatorFactory(opts.workers) });
}

export interface ResumeInfo {
  runId: string;
  seed: number;
  dataset: string;
  train: TimeWindow;
  holdout: TimeWindow | null;
  load: Record<string, unknown>;
  plays: Play[];
}

/** What a stored run needs to be resumed: its plays, seed, dataset, windows and load options. */
export async function describeStoredRun(store: EvolutionStore, id: string): Promise<ResumeInfo> {
  const row = await store.loadEvolution(id);
  const runId = String(row.config.runId);
  const rows = await store.loadRun(runId);
  return {
    runId, seed: row.seed, dataset: row.dataset, train: row.train, holdout: row.holdout,
    load: (row.config.load as Record<string, unknown>) ?? {},
    plays: rows.map((r) => {
      const { play, errors } = loadPlay(r.playYaml, `evolution ${r.id}`);
      if (!play) throw new PlayforgeError('EVOLVE_BAD_STORED_PLAY', `the play stored with evolution ${r.id} no longer validates: ${errors.map((e) => e.format()).join('; ')}`);
      return play;
    }),
  };
}

/** Continues the run that evolution `id` belongs to from the last complete generation of each of its plays. */
export async function resumeEvolution(store: EvolutionStore, id: string, opts: { data: RunData; workers?: number; evaluator?: EvaluatorFactory; events?: EvolutionEvents }): Promise<RunResult> {
  const row = await store.loadEvolution(id);
  const runId = String(row.config.runId);
  const rows = await store.loadRun(runId);
  const first = rows[0];
  const ga = gaConfig(first.config.ga as Partial<GaConfig>);
  const fitness = fitnessConfig(first.config.fitness as FitnessConfig);
  const prepared: Prepared[] = [];
  for (const r of rows) {
    const { play } = loadPlay(r.playYaml, `evolution ${r.id}`);
    if (!play) throw new PlayforgeError('EVOLVE_BAD_STORED_PLAY', `the play stored with evolution ${r.id} no longer validates`);
    const history = await store.loadHistory(r.id);
    if (r.status !== 'running') await store.markRunning(r.id);
    prepared.push({ play, yaml: r.playYaml, genes: genomeOf(play), evolutionId: r.id, history });
  }
  return execute(runId, prepared, {
    seed: checkSeed(first.seed), ga, fitness, data: opts.data, store, events: opts.events,
    factory: opts.evaluator ?? localEvaluatorFactory(opts.workers), expectedHash: String(first.config.datasetHash),
  });
}

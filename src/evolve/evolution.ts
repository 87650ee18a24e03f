// The evolution driver over a gene list and an evaluator: generation 0, then breed -> evaluate -> record until
// convergence, max generations or an exhausted space. Every generation's randomness comes from an RNG derived
// from (seed, stream, generation), and the fitness cache and convergence state are functions of the recorded
// generations, so a run resumed from its last recorded generation ends exactly like an uninterrupted one.
import { createRng, PlayforgeError, type Rng } from '../common/index.ts';
import type { Gene, Genome } from '../dsl/index.ts';
import type { EvalResult } from './evaluator.ts';
import { constraintViolation, type FitnessConfig } from './fitness.ts';
import type { StopReason } from './events.ts';
import { spaceSizeOf } from './ga/genes.ts';
import { breed, initialPopulation, type BreedOptions, type Candidate } from './ga/population.ts';
import { rankByFitness } from './ga/selection.ts';
import { crowdedBetter, rankPoints, selectSurvivors, type MoPoint } from './nsga2.ts';

export interface GaConfig {
  population: number;
  maxGenerations: number;
  /** Share of a generation carried over unchanged (scalar mode). */
  eliteFraction: number;
  tournamentSize: number;
  crossoverRate: number;
  mutationRate: number;
  /** BLX-alpha of range crossover. */
  blendAlpha: number;
  /** Gaussian mutation step as a share of a range's width. */
  mutationSigma: number;
  /** Convergence: the best fitness must improve by more than epsilon within `patience` generations. */
  epsilon: number;
  patience: number;
  /** Multi-objective mode over FitnessConfig.objectives (output: the Pareto front). */
  nsga2: boolean;
  /** How many winners a run reports (scalar mode; NSGA-II reports its whole front). */
  winners: number;
}

export const DEFAULT_GA: GaConfig = {
  population: 100, maxGenerations: 30, eliteFraction: 0.2, tournamentSize: 3, crossoverRate: 0.9, mutationRate: 0.5,
  blendAlpha: 0.5, mutationSigma: 0.15, epsilon: 1e-4, patience: 5, nsga2: false, winners: 10,
};

export function gaConfig(over: Partial<GaConfig> = {}): GaConfig {
  const c = { ...DEFAULT_GA, ...over };
  const bad = (path: string, msg: string) => new PlayforgeError('EVOLVE_BAD_CONFIG', `${path} ${msg}`, { path });
  if (!Number.isInteger(c.population) || c.population < 2) throw bad('population', `must be an integer >= 2, got ${c.population}`);
  if (!Number.isInteger(c.maxGenerations) || c.maxGenerations < 1) throw bad('generations', `must be an integer >= 1, got ${c.maxGenerations}`);
  if (!(c.eliteFraction >= 0 && c.eliteFraction < 1)) throw bad('eliteFraction', `must be in [0, 1), got ${c.eliteFraction}`);
  if (!Number.isInteger(c.tournamentSize) || c.tournamentSize < 1) throw bad('tournamentSize', `must be an integer >= 1, got ${c.tournamentSize}`);
  if (!Number.isInteger(c.patience) || c.patience < 1) throw bad('patience', `must be an integer >= 1, got ${c.patience}`);
  if (!(c.epsilon >= 0)) throw bad('epsilon', `must be >= 0, got ${c.epsilon}`);
  return c;
}

export interface Member extends Candidate {
  result: EvalResult;
  /** Row id once persisted. */
  id?: number;
}

export interface GenerationRecord {
  generation: number;
  /** The population, in breeding order. */
  members: Member[];
  /** NSGA-II: offspring evaluated in this step that did not survive (kept so the record is complete). */
  discarded: Member[];
  best: number;
  median: number;
  mean: number;
  /** Best fitness of this and every earlier generation. */
  bestSoFar: number;
  /** Distinct genomes backtested for this generation (not found in the fitness cache). */
  evaluated: number;
  /** NSGA-II: size of the population's first front. */
  frontSize?: number;
}

export interface CoreInput {
  genes: readonly Gene[];
  /** uint32 seed of the whole run. */
  seed: number;
  /** Which of the run's evolutions this is (each play has its own stream). */
  stream: number;
  config: GaConfig;
  fitness: FitnessConfig;
  /** Evaluates genomes (same order); called once per generation with the genomes the cache does not hold. */
  evaluate(genomes: Genome[]): Promise<EvalResult[]>;
  /** Generations already recorded (resume); the run continues after the last. */
  history?: readonly GenerationRecord[];
  /** Called with each new generation before the next is bred (persistence, events). */
  onGeneration?(rec: GenerationRecord, elapsedMs: number): Promise<void> | void;
}

export interface CoreOutput {
  history: GenerationRecord[];
  stopReason: StopReason;
  /** Every distinct genome evaluated, by genome key. */
  evaluatedByKey: Map<string, Member>;
}

/** The RNG of one generation: a pure function of (seed, stream, generation), so nothing depends on a stream's past. */
export function generationRng(seed: number, stream: number, generation: number): Rng {
  let h = seed >>> 0;
  for (const x of [stream, generation]) {
    h = Math.imul(h ^ (x >>> 0), 0x9e3779b1) >>> 0;
    h = (h ^ (h >>> 15)) >>> 0;
    h = Math.imul(h, 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
  }
  return createRng(h);
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function moPoint(r: EvalResult, fitness: FitnessConfig): MoPoint {
  return { objectives: r.objectives, violation: r.error ? Number.MAX_VALUE : r.metrics ? constraintViolation(r.metrics, fitness) : 0 };
}

function summarize(generation: number, members: Member[], discarded: Member[], evaluated: number, prevBest: number, nsga2: boolean, fitness: FitnessConfig): GenerationRecord {
  const f = members.map((m) => m.result.fitness);
  const best = Math.max(...f);
  const rec: GenerationRecord = {
    generation, members, discarded, best, median: median(f), mean: f.reduce((a, b) => a + b, 0) / f.length,
    bestSoFar: Math.max(best, prevBest), evaluated,
  };
  if (nsga2) rec.frontSize = rankPoints(members.map((m) => moPoint(m.result, fitness))).fronts[0]?.length ?? 0;
  return rec;
}

/** Keys of the population's first front (NSGA-II convergence: the front stopped changing). */
function frontKeys(rec: GenerationRecord, fitness: FitnessConfig): string {
  const r = rankPoints(rec.members.map((m) => moPoint(m.result, fitness)));
  return (r.fronts[0] ?? []).map((i) => rec.members[i].key).sort().join('|');
}

/** True when the last `patience` generations brought no improvement above epsilon (or no front change). */
export function hasConverged(history: readonly GenerationRecord[], cfg: GaConfig, fitness: FitnessConfig): boolean {
  const n = history.length;
  if (n <= cfg.patience) return false;
  if (cfg.nsga2) {
    const last = frontKeys(history[n - 1], fitness);
    for (let k = 2; k <= cfg.patience + 1; k++) if (frontKeys(history[n - k], fitness) !== last) return false;
    return true;
  }
  return history[n - 1].bestSoFar - history[n - 1 - cfg.patience].bestSoFar <= cfg.epsilon;
}

function breedOptions(cfg: GaConfig): BreedOptions {
  return {
    tournamentSize: cfg.tournamentSize, crossoverRate: cfg.crossoverRate, mutationRate: cfg.mutationRate,
    crossover: { blendAlpha: cfg.blendAlpha }, mutation: { sigma: cfg.mutationSigma },
  };
}

/** The next population's candidates (not yet evaluated) from an evaluated generation. */
function nextCandidates(input: CoreInput, prev: GenerationRecord, rng: Rng, seen: ReadonlySet<string>): Candidate[] {
  const { genes, config: cfg } = input;
  const members = prev.members;
  const genomes = members.map((m) => m.genome);
  if (cfg.nsga2) {
    const better = crowdedBetter(rankPoints(members.map((m) => moPoint(m.result, input.fitness))));
    return breed(genes, genomes, better, cfg.population, new Set(members.map((m) => m.key)), rng, breedOptions(cfg), seen);
  }
  const fit = members.map((m) => m.result.fitness);
  const ranked = rankByFitness(fit);
  const nElite = Math.min(members.length, Math.max(1, Math.round(cfg.population * cfg.eliteFraction)));
  const elites: Candidate[] = ranked.slice(0, nElite).map((i) => ({ genome: members[i].genome, key: members[i].key, origin: 'elite', parents: [i] }));
  const taken = new Set(elites.map((e) => e.key));
  const better = (i: number, j: number) => fit[i] > fit[j] || (fit[i] === fit[j] && i < j);
  return [...elites, ...breed(genes, genomes, better, cfg.population - nElite, taken, rng, breedOptions(cfg), seen)];
}

export async function evolveCore(input: CoreInput): Promise<CoreOutput> {
  const { genes, config: cfg, fitness } = input;
  const space = spaceSizeOf(genes);
  const history: GenerationRecord[] = [...(input.history ?? [])];
  const cache = new Map<string, Member>();
  for (const rec of history) for (const m of [...rec.members, ...rec.discarded]) if (!cache.has(m.key)) cache.set(m.key, m);

  const evaluateAll = async (cands: Candidate[]): Promise<{ members: Member[]; evaluated: number }> => {
    const missing = cands.filter((c) => !cache.has(c.key));
    const results = missing.length ? await input.evaluate(missing.map((c) => c.genome)) : [];
    if (results.length !== missing.length) throw new PlayforgeError('EVOLVE_EVALUATOR', `the evaluator returned ${results.length} results for ${missing.length} genomes`);
    missing.forEach((c, i) => {
      if (results[i].genomeKey !== c.key) throw new PlayforgeError('EVOLVE_EVALUATOR', `the evaluator returned results out of order (${results[i].genomeKey} for ${c.key})`);
      cache.set(c.key, { ...c, result: results[i] });
    });
    return { members: cands.map((c) => ({ ...c, result: cache.get(c.key)!.result })), evaluated: missing.length };
  };

  const record = async (rec: GenerationRecord, t0: number) => {
    history.push(rec);
    await input.onGeneration?.(rec, performance.now() - t0);
  };

  const stopAfter = (rec: GenerationRecord): StopReason | undefined => {
    if (rec.generation === 0 && rec.members.length >= space) return 'exhausted';
    if (cache.size >= space) return 'exhausted';
    if (hasConverged(history, cfg, fitness)) return 'converged';
    if (rec.generation + 1 >= cfg.maxGenerations) return 'max_generations';
    return undefined;
  };

  if (history.length === 0) {
    const t0 = performance.now();
    const { members: cands } = initialPopulation(genes, cfg.population, generationRng(input.seed, input.stream, 0));
    const { members, evaluated } = await evaluateAll(cands);
    await record(summarize(0, members, [], evaluated, -Infinity, cfg.nsga2, fitness), t0);
  }
  let stop = stopAfter(history[history.length - 1]);
  while (!stop) {
    const t0 = performance.now();
    const prev = history[history.length - 1];
    const g = prev.generation + 1;
    // The cache's keys are every genome evaluated so far: rebuilt from the records on resume.
    const cands = nextCandidates(input, prev, generationRng(input.seed, input.stream, g), new Set(cache.keys()));
    const { members: bred, evaluated } = await evaluateAll(cands);
    let members = bred, discarded: Member[] = [];
    if (cfg.nsga2) {
      // (mu + lambda): parents and offspring compete; survivors keep their place, parents listed first.
      const pool: Member[] = [...prev.members.map((m, i) => ({ ...m, origin: 'survivor', parents: [i], id: undefined })), ...bred];
      const keep = new Set(selectSurvivors(pool.map((m) => moPoint(m.result, fitness)), cfg.population));
      members = pool.filter((_, i) => keep.has(i));
      discarded = pool.filter((m, i) => !keep.has(i) && m.origin !== 'survivor');
    }
    await record(summarize(g, members, discarded, evaluated, prev.bestSoFar, cfg.nsga2, fitness), t0);
    stop = stopAfter(history[history.length - 1]);
  }
  return { history, stopReason: stop, evaluatedByKey: cache };
}

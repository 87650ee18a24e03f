// What validation needs from an evolution, as plain data: the ranged play, the dataset and its windows, and
// every trial (individual) with its genome, fitness and training metrics. The evolve stage persists evolutions
// in the warm store (evolutions, individuals); evolution-store.ts reads this record from there, and tests
// build it in memory.
import type { Genome, Play } from '../dsl/index.ts';
import type { Metrics } from '../engine/index.ts';
import type { TimeWindow } from './walkforward.ts';

export interface TrialRecord {
  /** The individuals row id (or any unique id in memory). */
  id: number;
  generation: number;
  genome: Genome;
  /** Identity of the genome: equal genomes are one trial however often the GA met them. */
  genomeKey: string;
  /** Null until evaluated. */
  fitness: number | null;
  /** Training-window metrics as the evolution recorded them; null when the backtest failed. */
  metrics: Partial<Metrics> | null;
  /** Why the backtest failed. */
  error?: string;
}

export interface EvolutionRecord {
  id: string;
  playId?: string;
  /** The ranged play the evolution searched (its genes are the trials' genome keys). */
  play: Play;
  playYaml: string;
  /** exchange:SYMBOL:interval */
  dataset: string;
  seed: number;
  status: string;
  config: Record<string, unknown>;
  train: TimeWindow;
  /** After train.to; null when the evolution kept no holdout. */
  holdout: TimeWindow | null;
  /** Every individual evaluated (all generations; duplicates of a genome may appear). */
  individuals: TrialRecord[];
  /** The evolution's own choice of best individual, when it recorded one. */
  bestIndividualId: number | null;
}

/** One trial per distinct genome that was evaluated successfully (the first record of each). */
export function distinctTrials(record: EvolutionRecord): TrialRecord[] {
  const seen = new Map<string, TrialRecord>();
  for (const t of record.individuals) {
    if (t.fitness === null || t.metrics === null || t.error) continue;
    if (!seen.has(t.genomeKey)) seen.set(t.genomeKey, t);
  }
  return [...seen.values()];
}

/**
 * The winners, best first: the evolution's recorded best individual, then the other distinct genomes by
 * training fitness. Validation judges the first (the evolution's own pick: choosing among winners by their
 * holdout would leak the holdout into the selection); the others are reported for context.
 */
export function winnersOf(record: EvolutionRecord, count: number): TrialRecord[] {
  const trials = distinctTrials(record).sort((a, b) => (b.fitness ?? -Infinity) - (a.fitness ?? -Infinity) || a.id - b.id);
  const best = record.bestIndividualId === null ? undefined : record.individuals.find((t) => t.id === record.bestIndividualId);
  const ordered = best && !best.error && best.metrics ? [best, ...trials.filter((t) => t.genomeKey !== best.genomeKey)] : trials;
  return ordered.slice(0, Math.max(1, count));
}

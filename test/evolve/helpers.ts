// Shared pieces of the evolve tests: hand-made genes and a synthetic evaluator (no backtests), so the GA and
// NSGA-II can be checked on problems whose answer is known.
import type { Gene, Genome } from '../../src/dsl/index.ts';
import { genomeKey, type EvalResult } from '../../src/evolve/index.ts';

export const choiceGene = (path: string, choices: (number | string)[]): Gene =>
  ({ path, kind: 'choice', choices, ordered: choices.every((c) => typeof c === 'number'), size: choices.length });

export const intGene = (path: string, min: number, max: number, step = 1): Gene =>
  ({ path, kind: 'int_range', min, max, step, ordered: true, size: Math.floor((max - min) / step + 1e-9) + 1 });

export const floatGene = (path: string, min: number, max: number, step?: number): Gene =>
  ({ path, kind: 'float_range', min, max, ...(step ? { step } : {}), ordered: true, size: step ? Math.floor((max - min) / step + 1e-9) + 1 : Infinity });

/** An evaluator computing (fitness, objectives) from the genome alone; counts its calls and genomes. */
export function syntheticEvaluator(fn: (g: Genome) => { fitness: number; objectives?: number[] }) {
  const stats = { calls: 0, genomes: 0 };
  const evaluate = async (genomes: Genome[]): Promise<EvalResult[]> => {
    stats.calls++;
    stats.genomes += genomes.length;
    return genomes.map((g) => {
      const r = fn(g);
      return { genomeKey: genomeKey(g), fitness: r.fitness, objectives: r.objectives ?? [r.fitness], metrics: null };
    });
  };
  return { evaluate, stats };
}

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

/** A candle store in a temp folder holding only the shipped BTCUSDT 1h bars and funding (fast to import). */
export async function btcStoreDir(): Promise<string> {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const { CandleStore, EXAMPLES_DATA_DIR, importFile } = await import('../../src/data/index.ts');
  const dir = mkdtempSync(path.join(tmpdir(), 'pf-evolve-'));
  const store = await CandleStore.open(dir);
  try {
    await importFile(store, path.join(EXAMPLES_DATA_DIR, 'BYBIT_BTCUSDT_1h.csv'));
    await importFile(store, path.join(EXAMPLES_DATA_DIR, 'BYBIT_BTCUSDT_funding.csv'), { kind: 'funding' });
  } finally {
    store.close();
  }
  return dir;
}

export const SEED_PLAY = new URL('../../examples/plays/regime_markov_candidate_001.yml', import.meta.url).pathname;
export const WIDE_PLAY = new URL('../fixtures/evolve/regime_markov_wide.yml', import.meta.url).pathname;

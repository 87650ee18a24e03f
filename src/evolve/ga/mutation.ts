// Mutation: each gene changes with probability `rate` (at least one gene always changes): an ordered choice
// moves to a neighbouring choice, an unordered one to any other, a range takes a Gaussian step (sigma a
// share of its width), snapped and clamped, and moves at least one step when it has more than one value.
import type { Rng } from '../../common/index.ts';
import type { Gene, Genome } from '../../dsl/index.ts';
import { gridAt, gridIndex, isRangeGene, orderedChoices, snapToGene } from './genes.ts';

export interface MutationOptions {
  /** Probability that a gene mutates (default: 1 / number of mutable genes). */
  rate?: number;
  /** Gaussian step of a range gene as a share of its width (default 0.15). */
  sigma: number;
}

export const DEFAULT_MUTATION: MutationOptions = { sigma: 0.15 };

function mutateGene(g: Gene, v: number | string | boolean, rng: Rng, sigma: number): number | string | boolean {
  if (isRangeGene(g)) {
    const x = typeof v === 'number' ? v : g.min!;
    const width = g.max! - g.min!;
    const y = snapToGene(g, x + rng.normal() * sigma * width);
    if (y !== x || g.size === Infinity) return y;
    // The step rounded back to the same value: move one step, towards the side the draw would have gone.
    const k = gridIndex(g, x);
    const dir = k === 0 ? 1 : k === g.size - 1 ? -1 : rng.next() < 0.5 ? -1 : 1;
    return gridAt(g, k + dir);
  }
  const choices = orderedChoices(g);
  const i = choices.indexOf(v);
  if (g.ordered && i >= 0) {
    const j = i === 0 ? 1 : i === choices.length - 1 ? i - 1 : rng.next() < 0.5 ? i - 1 : i + 1;
    return choices[j];
  }
  const others = choices.filter((c) => c !== v);
  return others[rng.int(others.length)];
}

export function mutate(genes: readonly Gene[], genome: Genome, rng: Rng, opts: MutationOptions = DEFAULT_MUTATION): Genome {
  const mutable = genes.filter((g) => g.size > 1);
  const out: Genome = { ...genome };
  if (mutable.length === 0) return out;
  const rate = opts.rate ?? 1 / mutable.length;
  let changed = false;
  for (const g of mutable) {
    if (rng.next() < rate) {
      out[g.path] = mutateGene(g, out[g.path], rng, opts.sigma);
      changed = true;
    }
  }
  if (!changed) {
    const g = mutable[rng.int(mutable.length)];
    out[g.path] = mutateGene(g, out[g.path], rng, opts.sigma);
  }
  return out;
}

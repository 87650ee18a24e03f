// Crossover per parameter kind: uniform for choices (each gene from either parent), BLX-alpha blend for ranges
// (a uniform draw on the parents' interval widened by alpha on each side), snapped to the step and clamped.
import type { Rng } from '../../common/index.ts';
import type { Gene, Genome } from '../../dsl/index.ts';
import { isRangeGene, snapToGene } from './genes.ts';

export interface CrossoverOptions {
  /** BLX-alpha widening of the parents' interval (default 0.5). */
  blendAlpha: number;
}

export const DEFAULT_CROSSOVER: CrossoverOptions = { blendAlpha: 0.5 };

export function crossover(genes: readonly Gene[], a: Genome, b: Genome, rng: Rng, opts: CrossoverOptions = DEFAULT_CROSSOVER): Genome {
  const child: Genome = {};
  for (const g of genes) {
    const x = a[g.path], y = b[g.path];
    if (isRangeGene(g) && typeof x === 'number' && typeof y === 'number') {
      const lo = Math.min(x, y), hi = Math.max(x, y), d = hi - lo;
      child[g.path] = snapToGene(g, lo - opts.blendAlpha * d + rng.next() * (d * (1 + 2 * opts.blendAlpha)));
    } else {
      child[g.path] = rng.next() < 0.5 ? x : y;
    }
  }
  return child;
}

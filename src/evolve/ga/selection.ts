// Tournament selection: draw `size` contestants (with replacement) and keep the best by a comparator, so the
// same code serves the scalar GA (fitness) and NSGA-II (rank, then crowding distance).
import type { Rng } from '../../common/index.ts';

/** Index of the tournament winner among `n` candidates; `better(i, j)` is true when i beats j. */
export function tournament(n: number, size: number, better: (i: number, j: number) => boolean, rng: Rng): number {
  let best = rng.int(n);
  for (let k = 1; k < size; k++) {
    const c = rng.int(n);
    if (better(c, best)) best = c;
  }
  return best;
}

/** Indices sorted best first by fitness; ties keep the earlier index (a stable, reproducible order). */
export function rankByFitness(fitness: readonly number[]): number[] {
  return fitness.map((_, i) => i).sort((i, j) => fitness[j] - fitness[i] || i - j);
}

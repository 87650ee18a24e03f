// Gene arithmetic the operators share: grid positions of range values, snapping, ordered-choice neighbours.
import type { Gene } from '../../dsl/index.ts';

type Value = number | string | boolean;

/** The k-th value of a stepped range, rounded like the DSL's grid so equal values compare equal. */
export function gridAt(g: Gene, k: number): number {
  return Number((g.min! + k * g.step!).toPrecision(12));
}

/** A number snapped to the gene's grid (nearest step) and clamped to [min, max]; continuous genes are only clamped. */
export function snapToGene(g: Gene, x: number): number {
  if (g.size === Infinity) return Math.min(g.max!, Math.max(g.min!, x));
  const k = Math.min(g.size - 1, Math.max(0, Math.round((x - g.min!) / g.step!)));
  return gridAt(g, k);
}

/** Position of a range value on its grid (its nearest step). */
export function gridIndex(g: Gene, x: number): number {
  return Math.min(g.size - 1, Math.max(0, Math.round((x - g.min!) / g.step!)));
}

/** Choices in their natural order when the list is ordered (numbers sorted), else as listed. */
export function orderedChoices(g: Gene): Value[] {
  const c = [...g.choices!];
  return g.ordered ? (c as number[]).sort((a, b) => a - b) : c;
}

export function isRangeGene(g: Gene): boolean {
  return g.kind !== 'choice';
}

/** A uniformly random value of the gene (a grid point for stepped ranges). */
export function sampleGene(g: Gene, rng: { next(): number; int(n: number): number }): Value {
  if (g.kind === 'choice') return g.choices![rng.int(g.choices!.length)];
  if (g.size === Infinity) return g.min! + rng.next() * (g.max! - g.min!);
  return gridAt(g, rng.int(g.size));
}

export function spaceSizeOf(genes: readonly Gene[]): number {
  return genes.reduce((n, g) => n * g.size, 1);
}

/** Every genome in odometer order (last gene fastest); the space must be finite. */
export function* enumerateSpace(genes: readonly Gene[]): Generator<Record<string, Value>> {
  const idx = genes.map(() => 0);
  while (true) {
    const out: Record<string, Value> = {};
    genes.forEach((g, i) => (out[g.path] = g.kind === 'choice' ? g.choices![idx[i]] : gridAt(g, idx[i])));
    yield out;
    let k = genes.length - 1;
    while (k >= 0 && ++idx[k] >= genes[k].size) idx[k--] = 0;
    if (k < 0) return;
  }
}

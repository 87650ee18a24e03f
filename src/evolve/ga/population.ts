// Populations: the first generation (sampled, or the whole space when it fits) and the next one bred from an
// evaluated generation, with no duplicate genome inside a generation. Generic over genes: a Play is not needed.
import type { Rng } from '../../common/index.ts';
import type { Gene, Genome } from '../../dsl/index.ts';
import { genomeKey } from '../evaluator.ts';
import { crossover, type CrossoverOptions } from './crossover.ts';
import { enumerateSpace, sampleGene, spaceSizeOf } from './genes.ts';
import { mutate, type MutationOptions } from './mutation.ts';
import { tournament } from './selection.ts';

export interface Candidate {
  genome: Genome;
  key: string;
  /** How it was made: random, enumerated, elite, crossover, clone, +mutation. */
  origin: string;
  /** Indices of its parents in the previous generation. */
  parents: number[];
}

export interface BreedOptions {
  tournamentSize: number;
  /** Probability that a child is a crossover of two parents (otherwise a clone of one). */
  crossoverRate: number;
  /** Probability that a child is mutated (a child that duplicates one already bred always is). */
  mutationRate: number;
  crossover: CrossoverOptions;
  mutation: MutationOptions;
}

export function sampleGenes(genes: readonly Gene[], rng: Rng): Genome {
  const out: Genome = {};
  for (const g of genes) out[g.path] = sampleGene(g, rng);
  return out;
}

function candidate(genome: Genome, origin: string, parents: number[] = []): Candidate {
  return { genome, key: genomeKey(genome), origin, parents };
}

/**
 * Generation 0: the whole space when it has at most `size` genomes (small spaces are enumerated, not sampled),
 * otherwise `size` distinct random genomes.
 */
export function initialPopulation(genes: readonly Gene[], size: number, rng: Rng): { members: Candidate[]; enumerated: boolean } {
  if (spaceSizeOf(genes) <= size) return { members: [...enumerateSpace(genes)].map((g) => candidate(g, 'enumerated')), enumerated: true };
  const members: Candidate[] = [];
  const seen = new Set<string>();
  fillRandom(genes, members, seen, size, rng);
  return { members, enumerated: false };
}

/** Tops `members` up to `size` with random genomes not in `seen`; a finite space falls back to enumeration. */
function fillRandom(genes: readonly Gene[], members: Candidate[], seen: Set<string>, size: number, rng: Rng): void {
  for (let attempts = 0; members.length < size && attempts < size * 100; attempts++) {
    const c = candidate(sampleGenes(genes, rng), 'random');
    if (!seen.has(c.key)) {
      seen.add(c.key);
      members.push(c);
    }
  }
  if (members.length < size && spaceSizeOf(genes) < Infinity) {
    for (const g of enumerateSpace(genes)) {
      if (members.length >= size) break;
      const c = candidate(g, 'enumerated');
      if (!seen.has(c.key)) {
        seen.add(c.key);
        members.push(c);
      }
    }
  }
}

/**
 * Children bred from `parents` (indices of the previous generation) until `count` new distinct genomes (not in
 * `taken`) exist: tournament selection with `better`, crossover, mutation, and more mutation while the child
 * duplicates one of this generation or one already evaluated (`seen`): a known genome costs nothing (the fitness
 * cache) but teaches nothing, so a few mutations look for a new one before it is accepted.
 */
export function breed(
  genes: readonly Gene[], parents: readonly Genome[], better: (i: number, j: number) => boolean, count: number,
  taken: Set<string>, rng: Rng, opts: BreedOptions, seen: ReadonlySet<string> = new Set(),
): Candidate[] {
  const out: Candidate[] = [];
  for (let attempts = 0; out.length < count && attempts < count * 50; attempts++) {
    const i = tournament(parents.length, opts.tournamentSize, better, rng);
    const j = tournament(parents.length, opts.tournamentSize, better, rng);
    const crossed = i !== j && rng.next() < opts.crossoverRate;
    let genome = crossed ? crossover(genes, parents[i], parents[j], rng, opts.crossover) : { ...parents[i] };
    let origin = crossed ? 'crossover' : 'clone';
    let key = genomeKey(genome);
    if (rng.next() < opts.mutationRate || taken.has(key) || seen.has(key)) {
      for (let k = 0; k < 8 && (k === 0 || taken.has(key) || seen.has(key)); k++) {
        genome = mutate(genes, genome, rng, opts.mutation);
        key = genomeKey(genome);
      }
      origin += '+mutation';
    }
    if (taken.has(key)) continue;
    taken.add(key);
    out.push({ genome, key, origin, parents: crossed ? [i, j] : [i] });
  }
  // A crowded corner of a small space: random newcomers keep the generation full.
  if (out.length < count) fillRandom(genes, out, taken, count, rng);
  return out;
}

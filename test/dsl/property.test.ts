// Property tests of the parameter space over every example play (fast-check, fixed seeds):
// any sampled genome resolves to a concrete play that validates and whose values lie in their genes' domains;
// enumeration visits exactly spaceSize distinct genomes; a mutation changes exactly one gene, within its domain.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '../../src/common/rng.ts';
import {
  defaultGenome, enumerateGenomes, genomeOf, loadPlay, mutateGenome, resolvePlay, sampleGenome, serializePlay, spaceSize,
  type Gene, type Genome, type Play,
} from '../../src/dsl/index.ts';

const PLAYS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples/plays');
const FILES = readdirSync(PLAYS_DIR).filter((f) => f.endsWith('.yml')).sort();
const FC_SEED = 20_240_611;
const RUNS = 25;
/** Spaces up to this size are enumerated completely (every example is below it). */
const ENUMERATE_LIMIT = 20_000;

function loadExample(file: string): Play {
  const { play, errors } = loadPlay(readFileSync(path.join(PLAYS_DIR, file), 'utf8'), file);
  if (!play) throw new Error(errors.map((e) => e.format()).join('\n'));
  return play;
}

/** Is `v` one of the values gene `g` can take? Grids are checked on their step, with float tolerance. */
function inDomain(g: Gene, v: unknown): boolean {
  if (g.kind === 'choice') return (g.choices ?? []).some((c) => c === v);
  if (typeof v !== 'number' || !Number.isFinite(v)) return false;
  const min = g.min as number;
  const max = g.max as number;
  const eps = 1e-9 * Math.max(1, Math.abs(min), Math.abs(max));
  if (v < min - eps || v > max + eps) return false;
  if (g.kind === 'int_range' && !Number.isInteger(v)) return false;
  if (g.step === undefined) return true;
  const k = (v - min) / g.step;
  return Math.abs(k - Math.round(k)) < 1e-6;
}

function isChoiceSet(v: unknown): v is { choices: unknown[] } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Array.isArray((v as { choices?: unknown }).choices);
}

function isNumRange(v: unknown): v is { min: number; max: number; step?: number } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) &&
    typeof (v as { min?: unknown }).min === 'number' && typeof (v as { max?: unknown }).max === 'number';
}

/**
 * Walks the ranged play and the resolved one side by side. Every ranged value of the original (choices or
 * {min,max,step}) must be a plain value inside that range at the same place in the resolved play; every other
 * value must be unchanged. Returns the resolved values found at ranged places.
 */
function compareResolved(orig: unknown, resolved: unknown, where: string, found: unknown[]): void {
  if (isChoiceSet(orig)) {
    expect(orig.choices, `${where}: resolved value ${String(resolved)}`).toContain(resolved);
    found.push(resolved);
    return;
  }
  if (isNumRange(orig)) {
    const g: Gene = { path: where, kind: 'float_range', min: orig.min, max: orig.max, step: orig.step, ordered: true, size: 0 };
    expect(inDomain(g, resolved), `${where}: ${String(resolved)} outside ${JSON.stringify(orig)}`).toBe(true);
    found.push(resolved);
    return;
  }
  if (Array.isArray(orig)) {
    expect(Array.isArray(resolved), where).toBe(true);
    const r = resolved as unknown[];
    expect(r.length, where).toBe(orig.length);
    orig.forEach((o, i) => compareResolved(o, r[i], `${where}[${i}]`, found));
    return;
  }
  if (typeof orig === 'object' && orig !== null) {
    expect(typeof resolved === 'object' && resolved !== null, where).toBe(true);
    const r = resolved as Record<string, unknown>;
    expect(Object.keys(r).sort(), where).toEqual(Object.keys(orig).sort());
    for (const [k, v] of Object.entries(orig)) compareResolved(v, r[k], `${where}.${k}`, found);
    return;
  }
  expect(resolved, where).toEqual(orig);
}

/** Direct look-up of a gene's value in a Play for the block kinds whose paths map one-to-one. */
function valueAtGenePath(play: Play, genePath: string): unknown {
  const [block, key, ...rest] = genePath.split('.');
  let node: unknown;
  if (block === 'features') node = play.features.find((f) => f.key === key);
  else if (block === 'structures') node = play.structures.find((s) => s.key === key);
  else if (block === 'risk_model' || block === 'risk') node = (play[block] as Record<string, unknown> | undefined)?.[key];
  else return undefined;
  for (const seg of rest) node = (node as Record<string, unknown> | undefined)?.[seg];
  return node;
}

function sortedValues(values: unknown[]): string[] {
  return values.map((v) => JSON.stringify(v)).sort();
}

const plays = FILES.map((file) => ({ file, play: loadExample(file) }));

describe.each(plays)('$file', ({ play }) => {
  const genes = genomeOf(play);
  const byPath = new Map(genes.map((g) => [g.path, g]));

  function expectGenomeInDomain(genome: Genome): void {
    expect(Object.keys(genome).sort()).toEqual([...byPath.keys()].sort());
    for (const [p, v] of Object.entries(genome)) {
      expect(inDomain(byPath.get(p) as Gene, v), `${p} = ${String(v)}`).toBe(true);
    }
  }

  function expectResolvesValid(genome: Genome): void {
    const resolved = resolvePlay(play, genome);
    expect(genomeOf(resolved)).toEqual([]);
    const found: unknown[] = [];
    compareResolved(play, resolved, 'play', found);
    // The ranged places of the play hold exactly the genome's values.
    expect(sortedValues(found)).toEqual(sortedValues(Object.values(genome)));
    for (const g of genes) {
      const direct = valueAtGenePath(resolved, g.path);
      if (direct !== undefined) expect(direct, g.path).toEqual(genome[g.path]);
    }
    const text = serializePlay(resolved);
    const again = loadPlay(text, 'resolved.yml');
    expect(again.errors.map((e) => e.format())).toEqual([]);
    expect(again.play).toEqual(resolved);
  }

  it('sampled genomes lie in their domains and resolve to valid concrete plays', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7fffffff }), (seed) => {
        const genome = sampleGenome(play, createRng(seed));
        expectGenomeInDomain(genome);
        expectResolvesValid(genome);
      }),
      { seed: FC_SEED, numRuns: RUNS },
    );
  });

  it('the default genome lies in its domain and resolves to a valid play', () => {
    const genome = defaultGenome(play);
    expectGenomeInDomain(genome);
    expectResolvesValid(genome);
  });

  it('mutateGenome changes exactly one gene and stays in the domain', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7fffffff }), (seed) => {
        const rng = createRng(seed);
        const genome = sampleGenome(play, rng);
        const before = { ...genome };
        const mutated = mutateGenome(play, genome, rng);
        expectGenomeInDomain(mutated);
        const changed = Object.keys(genome).filter((k) => mutated[k] !== genome[k]);
        expect(changed).toHaveLength(1);
        expect(genome).toEqual(before); // the input genome is not modified
      }),
      { seed: FC_SEED + 1, numRuns: RUNS * 4 },
    );
  });

  it('enumerateGenomes visits exactly spaceSize distinct genomes, all in the domain', () => {
    const size = spaceSize(play);
    expect(size).toBeLessThanOrEqual(ENUMERATE_LIMIT);
    const seen = new Set<string>();
    for (const genome of enumerateGenomes(play)) {
      expectGenomeInDomainFast(genome);
      seen.add(JSON.stringify(Object.entries(genome).sort(([a], [b]) => a.localeCompare(b))));
    }
    expect(seen.size).toBe(size);
    // A limit stops the enumeration early.
    expect([...enumerateGenomes(play, 5)]).toHaveLength(Math.min(5, size));
  });

  /** Same check as expectGenomeInDomain without per-value expect() calls (enumeration visits thousands). */
  function expectGenomeInDomainFast(genome: Genome): void {
    const keys = Object.keys(genome);
    const bad = keys.length !== byPath.size || keys.some((k) => !byPath.has(k) || !inDomain(byPath.get(k) as Gene, genome[k]));
    if (bad) expect.fail(`genome outside the domain: ${JSON.stringify(genome)}`);
  }
});

describe('domain check used by these tests', () => {
  it('accepts grid points and rejects off-grid, out-of-range and non-integer values', () => {
    const grid: Gene = { path: 'x', kind: 'float_range', min: 1.5, max: 3, step: 0.5, ordered: true, size: 4 };
    expect([1.5, 2, 2.5, 3].every((v) => inDomain(grid, v))).toBe(true);
    expect([1.25, 3.5, 1, Number.NaN].some((v) => inDomain(grid, v))).toBe(false);
    const ints: Gene = { path: 'y', kind: 'int_range', min: 21, max: 55, step: 2, ordered: true, size: 18 };
    expect(inDomain(ints, 23)).toBe(true);
    expect(inDomain(ints, 22)).toBe(false);
    expect(inDomain(ints, 23.5)).toBe(false);
    const choice: Gene = { path: 'z', kind: 'choice', choices: [8, 12, 20], ordered: true, size: 3 };
    expect(inDomain(choice, 12)).toBe(true);
    expect(inDomain(choice, '12')).toBe(false);
  });
});

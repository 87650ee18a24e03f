import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/index.ts';
import {
  breed, crossover, enumerateSpace, genomeKey, initialPopulation, mutate, rankByFitness, snapToGene, spaceSizeOf, tournament,
} from '../../src/evolve/index.ts';
import { choiceGene, floatGene, intGene } from './helpers.ts';

const genes = [choiceGene('a', [8, 12, 20, 50]), choiceGene('mode', ['x', 'y', 'z']), intGene('n', 10, 80, 5), floatGene('f', 0.5, 2.5, 0.25)];
const onGrid = (v: number, min: number, step: number) => Math.abs(Math.round((v - min) / step) * step + min - v) < 1e-9;

describe('genes', () => {
  it('snaps range values to the step and clamps them', () => {
    expect(snapToGene(genes[2], 23)).toBe(25);
    expect(snapToGene(genes[2], -100)).toBe(10);
    expect(snapToGene(genes[2], 1e9)).toBe(80);
    expect(snapToGene(genes[3], 1.13)).toBe(1.25);
    expect(snapToGene(floatGene('c', 0, 1), 1.7)).toBe(1);
  });

  it('enumerates the whole space once, in odometer order', () => {
    const all = [...enumerateSpace(genes)];
    expect(all.length).toBe(spaceSizeOf(genes));
    expect(new Set(all.map(genomeKey)).size).toBe(all.length);
    expect(all[0]).toEqual({ a: 8, mode: 'x', n: 10, f: 0.5 });
    expect(all[1]).toEqual({ a: 8, mode: 'x', n: 10, f: 0.75 });
  });
});

describe('crossover', () => {
  it('takes each choice from one parent and blends ranges onto the grid inside the widened interval', () => {
    const rng = createRng(3);
    const a = { a: 8, mode: 'x', n: 20, f: 1 }, b = { a: 50, mode: 'z', n: 40, f: 2 };
    const seen = { a: new Set<unknown>(), n: new Set<number>() };
    for (let i = 0; i < 500; i++) {
      const c = crossover(genes, a, b, rng, { blendAlpha: 0.5 });
      expect([8, 50]).toContain(c.a);
      expect(['x', 'z']).toContain(c.mode);
      const n = c.n as number, f = c.f as number;
      expect(n).toBeGreaterThanOrEqual(10);
      expect(n).toBeLessThanOrEqual(50);
      expect(onGrid(n, 10, 5)).toBe(true);
      expect(f).toBeGreaterThanOrEqual(0.5);
      expect(f).toBeLessThanOrEqual(2.5);
      expect(onGrid(f, 0.5, 0.25)).toBe(true);
      seen.a.add(c.a);
      seen.n.add(n);
    }
    expect(seen.a.size).toBe(2);
    // Blending explores beyond the parents (BLX-0.5 widens [20, 40] to [10, 50]).
    expect(Math.min(...seen.n)).toBeLessThan(20);
    expect(Math.max(...seen.n)).toBeGreaterThan(40);
  });
});

describe('mutation', () => {
  it('moves an ordered choice to a neighbour and a range by a Gaussian step on the grid', () => {
    const rng = createRng(11);
    const only = [choiceGene('a', [20, 8, 50, 12])];
    for (let i = 0; i < 100; i++) {
      const m = mutate(only, { a: 12 }, rng);
      expect([8, 20]).toContain(m.a);
      expect(mutate(only, { a: 8 }, rng).a).toBe(12);
      expect(mutate(only, { a: 50 }, rng).a).toBe(20);
    }
    const r = [intGene('n', 10, 80, 5)];
    const steps: number[] = [];
    for (let i = 0; i < 300; i++) {
      const v = mutate(r, { n: 45 }, rng).n as number;
      expect(v).not.toBe(45);
      expect(onGrid(v, 10, 5)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(10);
      expect(v).toBeLessThanOrEqual(80);
      steps.push(Math.abs(v - 45));
    }
    // Mostly small steps (sigma = 15% of the width), occasionally large ones.
    const small = steps.filter((s) => s <= 15).length / steps.length;
    expect(small).toBeGreaterThan(0.6);
    expect(Math.max(...steps)).toBeGreaterThan(15);
  });

  it('always changes at least one gene and moves an unordered choice to another value', () => {
    const rng = createRng(5);
    for (let i = 0; i < 200; i++) {
      const g = { a: 12, mode: 'y', n: 30, f: 1.5 };
      const m = mutate(genes, g, rng);
      expect(genomeKey(m)).not.toBe(genomeKey(g));
      expect(['x', 'y', 'z']).toContain(m.mode);
    }
  });
});

describe('selection and populations', () => {
  it('tournament prefers better candidates and rankByFitness breaks ties by index', () => {
    const rng = createRng(9);
    const fit = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    let sum = 0;
    for (let i = 0; i < 2000; i++) sum += fit[tournament(fit.length, 3, (x, y) => fit[x] > fit[y], rng)];
    expect(sum / 2000).toBeGreaterThan(6);
    expect(rankByFitness([1, 3, 3, 2])).toEqual([1, 2, 3, 0]);
  });

  it('enumerates a space that fits in the population, samples distinct genomes otherwise', () => {
    const small = [choiceGene('a', [1, 2, 3]), choiceGene('b', [1, 2])];
    const e = initialPopulation(small, 10, createRng(1));
    expect(e.enumerated).toBe(true);
    expect(e.members.length).toBe(6);
    const s = initialPopulation(genes, 40, createRng(1));
    expect(s.enumerated).toBe(false);
    expect(new Set(s.members.map((m) => m.key)).size).toBe(40);
  });

  it('breeds the requested number of new genomes, none already taken, even in a crowded small space', () => {
    const small = [choiceGene('a', [1, 2, 3]), choiceGene('b', [1, 2, 3]), choiceGene('c', [1, 2])];
    const parents = [...enumerateSpace(small)].slice(0, 6);
    const taken = new Set(parents.map(genomeKey));
    const opts = { tournamentSize: 2, crossoverRate: 0.9, mutationRate: 0.5, crossover: { blendAlpha: 0.5 }, mutation: { sigma: 0.15 } };
    const kids = breed(small, parents, (i, j) => i < j, 12, taken, createRng(2), opts);
    expect(kids.length).toBe(12);
    const keys = kids.map((k) => k.key);
    expect(new Set(keys).size).toBe(12);
    for (const p of parents) expect(keys).not.toContain(genomeKey(p));
    for (const k of kids) for (const i of k.parents) expect(i).toBeLessThan(parents.length);
  });
});

import { describe, expect, it } from 'vitest';
import {
  crowdingDistance, dominates, evolveCore, fitnessConfig, gaConfig, nonDominatedSort, selectSurvivors, type Member,
} from '../../src/evolve/index.ts';
import { floatGene, syntheticEvaluator } from './helpers.ts';

const P = (...objectives: number[]) => ({ objectives });

describe('NSGA-II core (maximising)', () => {
  it('dominance, with feasible points beating infeasible ones whatever their objectives', () => {
    expect(dominates(P(2, 2), P(1, 2))).toBe(true);
    expect(dominates(P(1, 2), P(1, 2))).toBe(false);
    expect(dominates(P(3, 0), P(0, 3))).toBe(false);
    expect(dominates(P(0, 0), { objectives: [9, 9], violation: 1 })).toBe(true);
    expect(dominates({ objectives: [0, 0], violation: 1 }, { objectives: [9, 9], violation: 2 })).toBe(true);
  });

  it('sorts a hand-made set into its fronts', () => {
    const pts = [P(1, 5), P(2, 4), P(1, 1), P(4, 1), P(2, 2), P(3, 3), P(0, 0)];
    expect(nonDominatedSort(pts)).toEqual([[0, 1, 3, 5], [4], [2], [6]]);
  });

  it('crowding: boundaries infinite, interior points by normalised neighbour gaps', () => {
    const pts = [P(0, 4), P(1, 3), P(3, 1), P(4, 0)];
    const d = crowdingDistance(pts, [0, 1, 2, 3]);
    expect(d[0]).toBe(Infinity);
    expect(d[3]).toBe(Infinity);
    expect(d[1]).toBeCloseTo(3 / 4 + 3 / 4);
    expect(d[2]).toBeCloseTo(3 / 4 + 3 / 4);
  });

  it('survival keeps whole fronts, then the most isolated points of the last one', () => {
    // Front 0 = {0, 1, 2}; front 1 = {3, 4, 5, 6} with extremes 3 and 6 (infinite crowding), then 5 (1.58)
    // more isolated than 4 (1.08); 7 is last.
    const pts = [P(0, 10), P(5, 5), P(10, 0), P(0, 6), P(1, 4.5), P(3.5, 3), P(6, 0), P(0, 0)];
    expect(nonDominatedSort(pts)).toEqual([[0, 1, 2], [3, 4, 5, 6], [7]]);
    expect(selectSurvivors(pts, 3)).toEqual([0, 1, 2]);
    expect(selectSurvivors(pts, 5)).toEqual([0, 1, 2, 3, 6]);
    expect(selectSurvivors(pts, 6)).toEqual([0, 1, 2, 3, 5, 6]);
    expect(selectSurvivors(pts, 8)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});

/** Objectives of a minimisation problem turned into maximised ones. */
const neg = (xs: number[]) => xs.map((x) => -x);

function finalFront(history: { members: Member[] }[]): Member[] {
  const last = history[history.length - 1].members;
  const front = nonDominatedSort(last.map((m) => ({ objectives: m.result.objectives })))[0];
  return front.map((i) => last[i]);
}

describe('NSGA-II evolution on problems with a known Pareto front', () => {
  it('Schaffer N.1: the front is x in [0, 2], spread from one end to the other', async () => {
    const genes = [floatGene('x', -10, 10)];
    const { evaluate } = syntheticEvaluator((g) => {
      const x = g.x as number;
      return { fitness: -(x * x), objectives: neg([x * x, (x - 2) ** 2]) };
    });
    const out = await evolveCore({
      genes, seed: 4, stream: 0, evaluate, fitness: fitnessConfig({ minTrades: 0 }),
      config: gaConfig({ population: 40, maxGenerations: 25, nsga2: true, patience: 25 }),
    });
    const xs = finalFront(out.history).map((m) => m.genome.x as number);
    expect(xs.length).toBeGreaterThanOrEqual(30);
    for (const x of xs) {
      expect(x).toBeGreaterThan(-0.05);
      expect(x).toBeLessThan(2.05);
    }
    expect(Math.min(...xs)).toBeLessThan(0.2);
    expect(Math.max(...xs)).toBeGreaterThan(1.8);
  });

  it('ZDT1 (10 variables): the front approaches f2 = 1 - sqrt(f1) and covers f1', async () => {
    const genes = Array.from({ length: 10 }, (_, i) => floatGene(`x${i}`, 0, 1));
    const zdt1 = (g: Record<string, unknown>) => {
      const x = genes.map((gene) => g[gene.path] as number);
      const gg = 1 + (9 * x.slice(1).reduce((a, b) => a + b, 0)) / (x.length - 1);
      const f1 = x[0], f2 = gg * (1 - Math.sqrt(f1 / gg));
      return { f1, f2 };
    };
    const { evaluate } = syntheticEvaluator((g) => {
      const { f1, f2 } = zdt1(g);
      return { fitness: -f1 - f2, objectives: neg([f1, f2]) };
    });
    const out = await evolveCore({
      genes, seed: 1, stream: 0, evaluate, fitness: fitnessConfig({ minTrades: 0 }),
      config: gaConfig({ population: 60, maxGenerations: 120, nsga2: true, patience: 120, mutationRate: 1 }),
    });
    const pts = finalFront(out.history).map((m) => zdt1(m.genome));
    // Distance above the true front (g = 1): small on average, and the front spans most of f1 in [0, 1].
    const gap = pts.reduce((a, p) => a + (p.f2 - (1 - Math.sqrt(p.f1))), 0) / pts.length;
    expect(gap).toBeLessThan(0.15);
    const f1s = pts.map((p) => p.f1);
    expect(Math.min(...f1s)).toBeLessThan(0.1);
    expect(Math.max(...f1s)).toBeGreaterThan(0.8);
    // A random population sits far above the front (g ~ 5.5): the evolution made real progress.
    const g0 = out.history[0].members.map((m) => zdt1(m.genome));
    const gap0 = g0.reduce((a, p) => a + (p.f2 - (1 - Math.sqrt(p.f1))), 0) / g0.length;
    expect(gap0).toBeGreaterThan(1);
  });
});

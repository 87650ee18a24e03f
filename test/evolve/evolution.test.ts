import { describe, expect, it } from 'vitest';
import { evolveCore, fitnessConfig, gaConfig, generationRng, type CoreOutput, type GaConfig } from '../../src/evolve/index.ts';
import { choiceGene, floatGene, intGene, syntheticEvaluator } from './helpers.ts';

const genes = [intGene('a', 0, 100), intGene('b', 0, 100), choiceGene('c', [1, 2, 3, 4, 5]), floatGene('d', 0, 1, 0.05)];
/** A smooth bowl with its top at a = 70, b = 20, c = 4, d = 0.35 (fitness 0 there). */
const bowl = (g: Record<string, unknown>) => ({
  fitness: -(((g.a as number) - 70) ** 2 + ((g.b as number) - 20) ** 2) / 100 - Math.abs((g.c as number) - 4) - Math.abs((g.d as number) - 0.35),
});
const fitness = fitnessConfig({ minTrades: 0 });

async function run(seed: number, over: Partial<GaConfig> = {}, fn = bowl): Promise<CoreOutput & { calls: number; genomes: number }> {
  const { evaluate, stats } = syntheticEvaluator(fn);
  const out = await evolveCore({ genes, seed, stream: 0, evaluate, fitness, config: gaConfig({ population: 30, maxGenerations: 20, ...over }) });
  return { ...out, ...stats };
}

/** Everything a generation is made of, without object identity. */
const snapshot = (o: CoreOutput) => o.history.map((r) => ({ ...r, members: r.members.map(({ id: _id, ...m }) => m), discarded: r.discarded.map(({ id: _id, ...m }) => m) }));

describe('evolution driver', () => {
  it('is deterministic: the same seed gives identical generations, another seed a different run', async () => {
    const a = await run(12), b = await run(12), c = await run(13);
    expect(snapshot(a)).toEqual(snapshot(b));
    expect(snapshot(c)).not.toEqual(snapshot(a));
  });

  it('derives each generation RNG from (seed, stream, generation) alone', () => {
    const draw = (s: number, st: number, g: number) => generationRng(s, st, g).next();
    expect(draw(1, 0, 3)).toBe(draw(1, 0, 3));
    expect(new Set([draw(1, 0, 3), draw(1, 0, 4), draw(1, 1, 3), draw(2, 0, 3)]).size).toBe(4);
  });

  it('keeps the elite (best never drops), has no duplicate genome in a generation and climbs towards the optimum', async () => {
    const out = await run(3, { maxGenerations: 25, patience: 25 });
    let prevBest = -Infinity;
    for (const rec of out.history) {
      expect(rec.members.length).toBe(30);
      expect(new Set(rec.members.map((m) => m.key)).size).toBe(30);
      expect(rec.best).toBeGreaterThanOrEqual(prevBest);
      prevBest = rec.best;
      if (rec.generation > 0) expect(rec.members.filter((m) => m.origin === 'elite').length).toBe(6);
    }
    const last = out.history[out.history.length - 1];
    expect(out.history[0].median).toBeLessThan(-10);
    expect(last.best).toBeGreaterThan(out.history[0].best);
    expect(last.best).toBeGreaterThan(-0.05);
  });

  it('caches fitness by genome: a genome is evaluated once per run', async () => {
    const out = await run(5);
    const distinct = new Set(out.history.flatMap((r) => r.members.map((m) => m.key))).size;
    expect(out.genomes).toBe(distinct);
    expect(out.evaluatedByKey.size).toBe(distinct);
    expect(out.calls).toBe(out.history.length);
    expect(out.history.reduce((n, r) => n + r.evaluated, 0)).toBe(distinct);
  });

  it('converges after `patience` generations without improvement above epsilon', async () => {
    const flat = await run(7, { patience: 3, maxGenerations: 50 }, () => ({ fitness: 1 }));
    expect(flat.stopReason).toBe('converged');
    expect(flat.history.length).toBe(4);
    const capped = await run(7, { patience: 50, maxGenerations: 6 });
    expect(capped.stopReason).toBe('max_generations');
    expect(capped.history.length).toBe(6);
  });

  it('enumerates a small space in one generation and stops when a space is exhausted', async () => {
    const small = [choiceGene('x', [1, 2, 3]), choiceGene('y', [1, 2, 3, 4, 5, 6])];
    const { evaluate } = syntheticEvaluator((g) => ({ fitness: (g.x as number) * (g.y as number) }));
    const e = await evolveCore({ genes: small, seed: 1, stream: 0, evaluate, fitness, config: gaConfig({ population: 30 }) });
    expect(e.stopReason).toBe('exhausted');
    expect(e.history.length).toBe(1);
    expect(e.history[0].members.map((m) => m.origin)).toEqual(Array(18).fill('enumerated'));
    expect(e.history[0].best).toBe(18);
    // 24 genomes, population 10: the GA keeps breeding until every genome has been seen.
    const mid = [choiceGene('x', [1, 2, 3, 4]), intGene('y', 1, 6)];
    const m = await evolveCore({ genes: mid, seed: 2, stream: 0, evaluate, fitness, config: gaConfig({ population: 10, maxGenerations: 200, patience: 200 }) });
    expect(m.stopReason).toBe('exhausted');
    expect(m.evaluatedByKey.size).toBe(24);
  });

  it('resumed from any recorded generation, ends exactly like the uninterrupted run (scalar and NSGA-II)', async () => {
    for (const nsga2 of [false, true]) {
      const fn = (g: Record<string, unknown>) => ({ ...bowl(g), objectives: [bowl(g).fitness, -(g.a as number)] });
      const cfg = gaConfig({ population: 20, maxGenerations: 12, patience: 12, nsga2 });
      const { evaluate } = syntheticEvaluator(fn);
      const full = await evolveCore({ genes, seed: 9, stream: 2, evaluate, fitness, config: cfg });
      for (const cut of [1, 5, 11]) {
        const partial = syntheticEvaluator(fn);
        const resumed = await evolveCore({ genes, seed: 9, stream: 2, evaluate: partial.evaluate, fitness, config: cfg, history: full.history.slice(0, cut) });
        expect(snapshot(resumed)).toEqual(snapshot(full));
        expect(resumed.stopReason).toBe(full.stopReason);
        // Only the generations after the cut were evaluated.
        expect(partial.stats.genomes).toBe(full.history.slice(cut).reduce((n, r) => n + r.evaluated, 0));
      }
      if (nsga2) expect(full.history.some((r) => r.discarded.length > 0)).toBe(true);
    }
  });
});

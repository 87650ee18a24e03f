import { describe, expect, it } from 'vitest';
import { enumerateGenomes, resolvePlay } from '../../src/dsl/index.ts';
import { backtestPlay } from '../../src/engine/index.ts';
import { fitnessConfig, scoreMetrics } from '../../src/evolve/index.ts';
import { sliceMarket } from '../../src/validate/market.ts';
import { canonicalGenomeKey, gaSearch, randomSearch, sharpeScore } from '../../src/validate/optimise.ts';
import { crossPlay, HOUR, syntheticMarket, T0 } from './helpers.ts';

const play = crossPlay();
const train = sliceMarket(syntheticMarket(3, 24 * 90, { cycleBars: 96, cycleAmp: 0.04, vol: 0.003 }), { from: T0, to: T0 + 90 * 24 * HOUR });
const all = [...enumerateGenomes(play)].map((genome) => ({ genome, metrics: backtestPlay(resolvePlay(play, genome), train).metrics }));

describe('walk-forward re-optimisers', () => {
  it('random search with a budget covering the space finds the best Sharpe ratio', () => {
    expect(all).toHaveLength(12);
    const best = all.reduce((a, b) => (sharpeScore(b.metrics, 5) > sharpeScore(a.metrics, 5) ? b : a));
    const r = randomSearch(play, train, { budget: 50, minTrades: 5, seed: 1 });
    expect(r.evaluated).toBe(12);
    expect(canonicalGenomeKey(r.genome)).toBe(canonicalGenomeKey(best.genome));
    expect(r.score).toBe(sharpeScore(best.metrics, 5));
  });

  it('random search stays within its budget and is reproducible', () => {
    const a = randomSearch(play, train, { budget: 4, seed: 9 });
    expect(a.evaluated).toBe(4);
    expect(randomSearch(play, train, { budget: 4, seed: 9 })).toEqual(a);
  });

  it('the GA optimiser scores with the evolution fitness and finds the best of an exhausted space', async () => {
    const fitness = fitnessConfig({ minTrades: 5 });
    const best = all.reduce((a, b) => (scoreMetrics(b.metrics, fitness) > scoreMetrics(a.metrics, fitness) ? b : a));
    const r = await gaSearch(play, train, { population: 12, generations: 3, fitness: { minTrades: 5 }, seed: 2 });
    expect(r.evaluated).toBe(12);
    expect(canonicalGenomeKey(r.genome)).toBe(canonicalGenomeKey(best.genome));
    expect(r.score).toBeCloseTo(scoreMetrics(best.metrics, fitness), 12);
    const small = await gaSearch(play, train, { population: 4, generations: 2, seed: 3 });
    expect(small.evaluated).toBeLessThanOrEqual(8);
    expect(await gaSearch(play, train, { population: 4, generations: 2, seed: 3 })).toEqual(small);
  });
});

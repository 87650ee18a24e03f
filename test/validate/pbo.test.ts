import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../src/common/rng.ts';
import { averageRank, combinations, probabilityOfBacktestOverfitting } from '../../src/validate/pbo.ts';

/** Expand per-block values into a column with `rowsPerBlock` equal rows per block. */
const blockColumn = (values: number[], rowsPerBlock: number): Float64Array =>
  Float64Array.from(values.flatMap((v) => Array.from({ length: rowsPerBlock }, () => v)));

/** Rescale a column to exactly the given mean and standard deviation. */
function standardise(col: Float64Array, mean: number, sd: number): Float64Array {
  const n = col.length;
  const m = col.reduce((a, b) => a + b, 0) / n;
  const s = Math.sqrt(col.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1));
  return col.map((x) => ((x - m) / s) * sd + mean);
}

const normals = (rng: Rng, n: number, sd = 1): Float64Array => Float64Array.from({ length: n }, () => sd * rng.normal());

describe('CSCV mechanics', () => {
  it('enumerates all C(S, S/2) splits', () => {
    expect(combinations(4, 2)).toEqual([0b0011, 0b0101, 0b1001, 0b0110, 0b1010, 0b1100]);
    expect(combinations(16, 8)).toHaveLength(12870);
    expect(new Set(combinations(16, 8)).size).toBe(12870);
  });

  it('ranks with ties sharing the average rank', () => {
    expect(averageRank([2, 1, 1], 0)).toBe(3);
    expect(averageRank([2, 1, 1], 1)).toBe(1.5);
    expect(averageRank([5, 4, 3, 2], 3)).toBe(1);
  });

  it('reproduces a CSCV worked by hand', () => {
    // Four trials, S = 4 blocks of 2 equal rows, performance = mean. Block values:
    //   A [3, 0, 1, 0]   B [1, 1, 1.2, 1]   C [0, 2, 0, 2.5]   D [2.1, 1.3, 2, 1.9]
    // IS blocks | IS means (A B C D)      | IS best | OOS means (A B C D)   | OOS rank | ω = rank/5 | logit
    //   {0,1}   | 1.5  1    1    1.7      | D       | 0.5  1.1  1.25 1.95  | 4        | 0.8        | ln 4
    //   {0,2}   | 2    1.1  0    2.05     | D       | 0    1    2.25 1.6   | 3        | 0.6        | ln 1.5
    //   {0,3}   | 1.5  1    1.25 2        | D       | 0.5  1.1  1    1.65  | 4        | 0.8        | ln 4
    //   {1,2}   | 0.5  1.1  1    1.65     | D       | 1.5  1    1.25 2     | 4        | 0.8        | ln 4
    //   {1,3}   | 0    1    2.25 1.6      | C       | 2    1.1  0    2.05  | 1        | 0.2        | −ln 4
    //   {2,3}   | 0.5  1.1  1.25 1.95     | D       | 1.5  1    1    1.7   | 4        | 0.8        | ln 4
    // One logit of six is ≤ 0: PBO = 1/6.
    const cols = [[3, 0, 1, 0], [1, 1, 1.2, 1], [0, 2, 0, 2.5], [2.1, 1.3, 2, 1.9]].map((v) => blockColumn(v, 2));
    const r = probabilityOfBacktestOverfitting(cols, { partitions: 4, metric: 'mean' });
    expect(r.combinations).toBe(6);
    expect(r.pbo).toBeCloseTo(1 / 6, 14);
    const ln4 = Math.log(4);
    const expected = [ln4, Math.log(1.5), ln4, ln4, -ln4, ln4];
    Array.from(r.logits).forEach((l, i) => expect(l).toBeCloseTo(expected[i], 12));
    [1.95, 1.6, 1.65, 2, 0, 1.7].forEach((x, i) => expect(r.oosPerformance[i]).toBeCloseTo(x, 12));
    [1.7, 2.05, 2, 1.65, 2.25, 1.95].forEach((x, i) => expect(r.isPerformance[i]).toBeCloseTo(x, 12));
    expect(r.probOosLoss).toBe(0);
  });

  it('drops the oldest rows that do not fill a block and rejects bad input', () => {
    const rng = createRng(1);
    const cols = [normals(rng, 37), normals(rng, 37)];
    const r = probabilityOfBacktestOverfitting(cols, { partitions: 4 });
    expect(r.rows).toBe(36);
    expect(r.rowsDropped).toBe(1);
    expect(() => probabilityOfBacktestOverfitting([normals(rng, 40)])).toThrow(/at least 2/);
    expect(() => probabilityOfBacktestOverfitting(cols, { partitions: 5 })).toThrow(/even number/);
    expect(() => probabilityOfBacktestOverfitting([normals(rng, 20), normals(rng, 20)])).toThrow(/at least 32 periods/);
    expect(() => probabilityOfBacktestOverfitting([normals(rng, 40), normals(rng, 41)])).toThrow(/rectangular/);
  });
});

describe('CSCV on the test cases of Bailey, Borwein, López de Prado and Zhu', () => {
  // The paper's test cases (reproduced, e.g., by the R package pbo's tests.R): N = 100 trials of T = 1000
  // daily returns, each rescaled to exactly the same mean and volatility (annualised SR 0): whatever one
  // trial gains in-sample it must give back out-of-sample, so the in-sample winner is systematically
  // below the median out-of-sample — full overfitting, PBO near 1. Replacing one trial by one with a real
  // annualised SR of 1 ("high overfit") or 2 ("low overfit") lowers PBO. S = 16 here (12,870 splits).
  const paperCase = (seed: number, edgeSr: number | undefined): Float64Array[] => {
    const rng = createRng(seed);
    const sd = 1 / Math.sqrt(252);
    const cols = Array.from({ length: 100 }, () => standardise(normals(rng, 1000), 0, sd));
    if (edgeSr !== undefined) cols[99] = standardise(normals(rng, 1000), edgeSr / 252, sd);
    return cols;
  };

  it('full overfitting (all trials noise with identical full-sample Sharpe ratio): PBO near 1', () => {
    const r = probabilityOfBacktestOverfitting(paperCase(11, undefined));
    expect(r.combinations).toBe(12870);
    expect(r.pbo).toBeGreaterThan(0.95);
    // The performance degradation the paper plots: OOS falls as IS rises.
    expect(r.degradation.slope).toBeLessThan(0);
  });

  it('a real edge among the trials lowers PBO, more for a stronger edge', () => {
    const none = probabilityOfBacktestOverfitting(paperCase(12, undefined)).pbo;
    const high = probabilityOfBacktestOverfitting(paperCase(12, 1)).pbo;
    const low = probabilityOfBacktestOverfitting(paperCase(12, 2)).pbo;
    expect(high).toBeLessThan(none);
    expect(low).toBeLessThan(high);
    // Across seeds this construction gives about 0.65-0.7 with SR 1 and 0.05-0.13 with SR 2.
    expect(high).toBeGreaterThan(0.5);
    expect(low).toBeLessThan(0.25);
  });
});

describe('CSCV on strategies trading a random walk', () => {
  // A random-walk market and a population of strategies that hold long/flat/short positions for random
  // spells. Position at t is decided before return t (no look-ahead) — except for "edge" strategies, which
  // peek at the sign of the next return with a small probability: a real, planted edge.
  const T = 1600;
  function population(seed: number, n: number, edges: number, peek: number): Float64Array[] {
    const rng = createRng(seed);
    const market = normals(rng, T, 0.01);
    return Array.from({ length: n }, (_, j) => {
      const out = new Float64Array(T);
      let pos = 0;
      for (let t = 0; t < T; t++) {
        if (rng.next() < 0.1) pos = rng.int(3) - 1;
        const p = j < edges && rng.next() < peek ? Math.sign(market[t]) : pos;
        out[t] = p * market[t];
      }
      return out;
    });
  }

  it('optimising noise: equalised noise strategies on a random walk give PBO near 1', () => {
    // What an optimiser that found only noise leaves behind: strategies whose full-sample performance is the
    // same, differing only by where their lucky and unlucky periods fall (the paper's full-overfit case).
    const cols = population(21, 60, 0, 0).map((c) => standardise(c, 0, 0.01));
    expect(probabilityOfBacktestOverfitting(cols).pbo).toBeGreaterThan(0.9);
  });

  it('raw noise strategies on a random walk: the IS winner is a coin flip OOS (PBO around 1/2)', () => {
    // Independent skill-less strategies are not anti-persistent, only unpredictable: their PBO centres on 0.5
    // (it varies a lot from one sample to the next, so average a few).
    const pbos = [31, 32, 33, 34, 35].map((s) => probabilityOfBacktestOverfitting(population(s, 60, 0, 0)).pbo);
    const mean = pbos.reduce((a, b) => a + b, 0) / pbos.length;
    expect(mean).toBeGreaterThan(0.3);
    expect(mean).toBeLessThan(0.7);
  });

  it('a planted edge: PBO is low', () => {
    // 5 of 60 strategies take the right side on 10% of bars beyond their random position.
    const r = probabilityOfBacktestOverfitting(population(41, 60, 5, 0.1));
    expect(r.pbo).toBeLessThan(0.05);
    expect(r.probOosLoss).toBeLessThan(0.05);
  });
});

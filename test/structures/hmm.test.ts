import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.ts';
import {
  baumWelch,
  filterStep,
  forwardBackward,
  forwardFilter,
  sampleHmm,
  type GaussianHmm,
} from '../../src/structures/hmm/gaussian_hmm.ts';
import { BEAR, BULL, HIGH_VOL, labelStates, SIDEWAYS } from '../../src/structures/hmm_regime.ts';
import { candles, col, run } from './helpers.ts';

function model(K: number, D: number, A: number[][], mean: number[][], variance: number[][], pi?: number[]): GaussianHmm {
  return {
    K,
    D,
    pi: Float64Array.from(pi ?? Array(K).fill(1 / K)),
    A: Float64Array.from(A.flat()),
    mean: Float64Array.from(mean.flat()),
    variance: Float64Array.from(variance.flat()),
  };
}

function gaussLogPdf(m: GaussianHmm, k: number, x: ArrayLike<number>): number {
  let s = 0;
  for (let d = 0; d < m.D; d++) {
    const v = m.variance[k * m.D + d];
    s += -0.5 * (Math.log(2 * Math.PI * v) + (x[d] - m.mean[k * m.D + d]) ** 2 / v);
  }
  return s;
}

/** Joint probability of every state path (brute force) for the first T observations. */
function enumeratePaths(m: GaussianHmm, obs: Float64Array, T: number): { path: number[]; p: number }[] {
  const out: { path: number[]; p: number }[] = [];
  const total = m.K ** T;
  for (let code = 0; code < total; code++) {
    const path: number[] = [];
    let c = code;
    for (let t = 0; t < T; t++) {
      path.push(c % m.K);
      c = Math.floor(c / m.K);
    }
    let logp = Math.log(m.pi[path[0]]) + gaussLogPdf(m, path[0], obs.subarray(0, m.D));
    for (let t = 1; t < T; t++) {
      logp += Math.log(m.A[path[t - 1] * m.K + path[t]]) + gaussLogPdf(m, path[t], obs.subarray(t * m.D, (t + 1) * m.D));
    }
    out.push({ path, p: Math.exp(logp) });
  }
  return out;
}

const TINY = model(
  3,
  2,
  [
    [0.7, 0.2, 0.1],
    [0.15, 0.8, 0.05],
    [0.3, 0.3, 0.4],
  ],
  [
    [0, 0],
    [1, -1],
    [-0.5, 2],
  ],
  [
    [1, 0.5],
    [0.4, 2],
    [1.5, 1],
  ],
  [0.5, 0.3, 0.2],
);

describe('forward filter', () => {
  const { obs } = sampleHmm(TINY, 6, createRng(5));

  it('equals brute-force enumeration of all state paths at every prefix', () => {
    const { filtered, logLikelihood } = forwardFilter(TINY, obs, 6);
    for (let t = 0; t < 6; t++) {
      const paths = enumeratePaths(TINY, obs, t + 1);
      const total = paths.reduce((s, q) => s + q.p, 0);
      for (let k = 0; k < 3; k++) {
        const pk = paths.filter((q) => q.path[t] === k).reduce((s, q) => s + q.p, 0) / total;
        expect(filtered[t * 3 + k]).toBeCloseTo(pk, 12);
      }
      if (t === 5) expect(logLikelihood).toBeCloseTo(Math.log(total), 10);
    }
  });

  it('the one-step update continues the batch filter exactly', () => {
    const { filtered } = forwardFilter(TINY, obs, 6);
    const post = new Float64Array(3);
    filterStep(TINY, filtered.subarray(4 * 3, 5 * 3), obs.subarray(5 * 2, 6 * 2), post);
    for (let k = 0; k < 3; k++) expect(post[k]).toBeCloseTo(filtered[5 * 3 + k], 14);
  });

  it('forward-backward posteriors equal brute-force smoothing (the E-step Baum-Welch uses)', () => {
    const T = 6;
    const { gamma, xiSum } = forwardBackward(TINY, obs, T);
    const paths = enumeratePaths(TINY, obs, T);
    const total = paths.reduce((s, q) => s + q.p, 0);
    for (let t = 0; t < T; t++) {
      for (let k = 0; k < 3; k++) {
        const pk = paths.filter((q) => q.path[t] === k).reduce((s, q) => s + q.p, 0) / total;
        expect(gamma[t * 3 + k]).toBeCloseTo(pk, 12);
      }
    }
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let expected = 0;
        for (const q of paths) for (let t = 0; t < T - 1; t++) if (q.path[t] === i && q.path[t + 1] === j) expected += q.p / total;
        expect(xiSum[i * 3 + j]).toBeCloseTo(expected, 10);
      }
    }
  });
});

describe('Baum-Welch', () => {
  const TRUE_A = [
    [0.95, 0.03, 0.02],
    [0.04, 0.92, 0.04],
    [0.05, 0.05, 0.9],
  ];
  const TRUTH = model(
    3,
    2,
    TRUE_A,
    [
      [-2, 0],
      [0, 2],
      [2.5, -1],
    ],
    [
      [0.4, 0.3],
      [0.3, 0.5],
      [0.5, 0.4],
    ],
  );
  const T = 3000;
  const { states, obs } = sampleHmm(TRUTH, T, createRng(2024));
  const fit = baumWelch(obs, T, 2, 3, { rng: createRng(7), restarts: 3 });

  // Fitted states come in any order: match each to the true state with the nearest mean.
  const match = [0, 1, 2].map((k) => {
    let best = 0, bestD = Infinity;
    for (let j = 0; j < 3; j++) {
      const d = (fit.model.mean[k * 2] - TRUTH.mean[j * 2]) ** 2 + (fit.model.mean[k * 2 + 1] - TRUTH.mean[j * 2 + 1]) ** 2;
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    }
    return best;
  });

  it('maps fitted states one-to-one onto the true ones', () => {
    expect([...match].sort()).toEqual([0, 1, 2]);
  });

  it('recovers the means and the transition matrix', () => {
    for (let k = 0; k < 3; k++) {
      for (let d = 0; d < 2; d++) expect(Math.abs(fit.model.mean[k * 2 + d] - TRUTH.mean[match[k] * 2 + d])).toBeLessThan(0.1);
      for (let j = 0; j < 3; j++) expect(Math.abs(fit.model.A[k * 3 + j] - TRUE_A[match[k]][match[j]])).toBeLessThan(0.03);
    }
    expect(fit.converged).toBe(true);
  });

  it('the filtered state path matches the true states on more than 95% of bars', () => {
    const { filtered } = forwardFilter(fit.model, obs, T);
    let hits = 0;
    for (let t = 0; t < T; t++) {
      let best = 0;
      for (let k = 1; k < 3; k++) if (filtered[t * 3 + k] > filtered[t * 3 + best]) best = k;
      if (match[best] === states[t]) hits++;
    }
    expect(hits / T).toBeGreaterThan(0.95);
  });

  it('is deterministic for a seed', () => {
    const again = baumWelch(obs, T, 2, 3, { rng: createRng(7), restarts: 3 });
    expect(Array.from(again.model.A)).toEqual(Array.from(fit.model.A));
    expect(again.logLikelihood).toBe(fit.logLikelihood);
  });

  it('floors variances so a state cannot collapse onto one point', () => {
    const dup = new Float64Array(400);
    for (let t = 0; t < 200; t++) {
      dup[t * 2] = t < 100 ? 0 : createRng(t).normal();
      dup[t * 2 + 1] = t < 100 ? 0 : createRng(t + 1000).normal();
    }
    const collapsed = baumWelch(dup, 200, 2, 2, { rng: createRng(1), varFloor: 1e-3 });
    for (const v of collapsed.model.variance) expect(v).toBeGreaterThan(0);
    expect(Number.isFinite(collapsed.logLikelihood)).toBe(true);
  });
});

describe('hmm_regime labels', () => {
  it('names the clearly most volatile state high_volatility and the rest by mean return', () => {
    expect(Array.from(labelStates([0.001, -0.002, 0.0, 0.0005], [1e-4, 1.2e-4, 9e-4, 1e-4]))).toEqual([BULL, BEAR, HIGH_VOL, SIDEWAYS]);
    // no variance is clearly the largest (1.2x < 1.5x): all by mean return
    expect(Array.from(labelStates([0.001, -0.002, 0.0], [1e-4, 1.2e-4, 1.0e-4]))).toEqual([BULL, BEAR, SIDEWAYS]);
    // two states: never high_volatility
    expect(Array.from(labelStates([-0.001, 0.002], [1e-4, 1e-2]))).toEqual([BEAR, BULL]);
  });

  it('takes a turbulent regime split into two similar states as one high-volatility group', () => {
    // variances 9e-4 and 6e-4 are within 2x of each other and far above 1e-4: both high_volatility,
    // the single calm state left cannot tell bull from bear
    expect(Array.from(labelStates([0.001, -0.002, 0.0005], [9e-4, 6e-4, 1e-4]))).toEqual([HIGH_VOL, HIGH_VOL, SIDEWAYS]);
    expect(Array.from(labelStates([0.001, -0.002, 0.0005, -0.001], [9e-4, 6e-4, 1e-4, 1.1e-4]))).toEqual([
      HIGH_VOL,
      HIGH_VOL,
      BULL,
      BEAR,
    ]);
    // a bear regime 2.8x (in variance) below the turbulent one stays bear
    expect(Array.from(labelStates([0.002, -0.003, 0.0], [2.5e-5, 1.44e-4, 4e-4]))).toEqual([BULL, BEAR, HIGH_VOL]);
  });
});

describe('hmm_regime', () => {
  // Simulated prices from a 3-regime chain (switch probability 1% a bar): a calm bull, a choppier bear and a
  // wild zero-drift regime. Regimes differ in volatility as well as drift, as real ones do; each 1000-bar
  // training window sees all three. (When one regime fills nearly a whole window the fit can spend two
  // states on it and merge the other two: labels are relative to the trailing window.)
  const REGIMES = [
    { mu: 0.003, sigma: 0.006, label: BULL },
    { mu: -0.004, sigma: 0.012, label: BEAR },
    { mu: 0, sigma: 0.03, label: HIGH_VOL },
  ];
  const n = 3000;
  const rng = createRng(5);
  const truth: number[] = [];
  let regime = 0;
  let price = 100;
  const rows: [number, number, number, number][] = [];
  for (let i = 0; i < n; i++) {
    if (i > 0 && rng.next() < 0.01) regime = (regime + 1 + rng.int(2)) % 3;
    truth.push(REGIMES[regime].label);
    const prev = price;
    price *= Math.exp(REGIMES[regime].mu + REGIMES[regime].sigma * rng.normal());
    rows.push([prev, Math.max(prev, price), Math.min(prev, price), price]);
  }
  const input = candles(rows);
  const out = run('hmm_regime', input, { n_states: 3, train_bars: 1000, refit_every: 250, transition_bars: 5 });
  const FIRST = 10 + 1000 - 1; // first observation at bar 10 (volatility window), first fit at its 1000th

  it('outputs nothing before the first fit', () => {
    const state = col(out, 'state');
    expect(state.slice(0, FIRST).every(Number.isNaN)).toBe(true);
    expect(state[FIRST]).not.toBeNaN();
    expect(col(out, 'probability')[FIRST - 1]).toBeNaN();
    expect(col(out, 'transition').slice(0, FIRST).every((v) => v === 1)).toBe(true); // none
  });

  it('recovers the simulated regimes, with labels that stay right after every refit', () => {
    const state = col(out, 'state');
    let hits = 0;
    for (let i = FIRST; i < n; i++) if (state[i] === truth[i]) hits++;
    expect(hits / (n - FIRST)).toBeGreaterThan(0.85);
    // each stretch between refits on its own: a label swap after a refit would sink one of them
    for (let start = FIRST; start < n; start += 250) {
      let segHits = 0, total = 0;
      for (let i = start; i < Math.min(start + 250, n); i++, total++) if (state[i] === truth[i]) segHits++;
      expect(segHits / total).toBeGreaterThan(0.75);
    }
  });

  it('gives a probability in (0, 1] and marks recent transitions after state changes', () => {
    const p = col(out, 'probability').slice(FIRST);
    expect(p.every((v) => v > 0 && v <= 1 + 1e-12)).toBe(true);
    const state = col(out, 'state');
    const transition = col(out, 'transition');
    for (let i = FIRST + 1; i < n; i++) {
      if (state[i] !== state[i - 1]) expect(transition[i]).toBe(0);
    }
    const changes = state.filter((v, i) => i > FIRST && v !== state[i - 1]).length;
    expect(changes).toBeGreaterThan(5);
  });
});

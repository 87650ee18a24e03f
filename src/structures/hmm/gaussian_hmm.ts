// Gaussian hidden Markov model with diagonal covariances: scaled forward filter, scaled forward-backward,
// Baum-Welch with seeded k-means++ restarts and variance floors, and a sampler for tests.
// Observations are row-major Float64Arrays of T x D. Everything is deterministic for a given Rng.
import type { Rng } from '../../common/rng.ts';

export interface GaussianHmm {
  K: number;
  D: number;
  /** Initial state distribution (K). */
  pi: Float64Array;
  /** Transitions, row-major K x K: A[i * K + j] = P(next = j | now = i). */
  A: Float64Array;
  /** Emission means, K x D. */
  mean: Float64Array;
  /** Emission variances (diagonal), K x D. */
  variance: Float64Array;
}

const LOG_2PI = Math.log(2 * Math.PI);

export function cloneHmm(m: GaussianHmm): GaussianHmm {
  return { K: m.K, D: m.D, pi: m.pi.slice(), A: m.A.slice(), mean: m.mean.slice(), variance: m.variance.slice() };
}

/** log N(x_t | state k) for every t, k into out (T x K). */
export function logEmissions(m: GaussianHmm, obs: Float64Array, T: number, out: Float64Array): void {
  const { K, D, mean, variance } = m;
  const norm = new Float64Array(K);
  const inv = new Float64Array(K * D);
  for (let k = 0; k < K; k++) {
    let s = 0;
    for (let d = 0; d < D; d++) {
      s += LOG_2PI + Math.log(variance[k * D + d]);
      inv[k * D + d] = 1 / variance[k * D + d];
    }
    norm[k] = -0.5 * s;
  }
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < K; k++) {
      let q = 0;
      for (let d = 0; d < D; d++) {
        const z = obs[t * D + d] - mean[k * D + d];
        q += z * z * inv[k * D + d];
      }
      out[t * K + k] = norm[k] - 0.5 * q;
    }
  }
}

/**
 * Emissions in shifted linear form: bt[t * K + k] = exp(logN(x_t | k) - shift[t]) with shift[t] the row
 * maximum, so every row lies in (0, 1] with a 1 in it. A missing (NaN) observation gets a row of ones and
 * shift 0: it says nothing about the state and adds nothing to the likelihood.
 */
function shiftedEmissions(m: GaussianHmm, obs: Float64Array, T: number, bt: Float64Array, shift: Float64Array): void {
  const { K } = m;
  logEmissions(m, obs, T, bt);
  for (let t = 0; t < T; t++) {
    const o = t * K;
    let mx = -Infinity;
    for (let k = 0; k < K; k++) if (bt[o + k] > mx) mx = bt[o + k];
    if (!Number.isFinite(mx)) {
      for (let k = 0; k < K; k++) bt[o + k] = 1;
      shift[t] = 0;
      continue;
    }
    for (let k = 0; k < K; k++) bt[o + k] = Math.exp(bt[o + k] - mx);
    shift[t] = mx;
  }
}

/** Scaled forward recursion: alpha rows normalized, c[t] their normalizers. Returns the log-likelihood. */
function forwardScaled(m: GaussianHmm, bt: Float64Array, shift: Float64Array, T: number, alpha: Float64Array, c: Float64Array): number {
  const { K, A, pi } = m;
  let ll = 0;
  for (let t = 0; t < T; t++) {
    const o = t * K, prev = o - K;
    let sum = 0;
    for (let j = 0; j < K; j++) {
      let pred: number;
      if (t === 0) pred = pi[j];
      else {
        pred = 0;
        for (let i = 0; i < K; i++) pred += alpha[prev + i] * A[i * K + j];
      }
      const v = pred * bt[o + j];
      alpha[o + j] = v;
      sum += v;
    }
    for (let j = 0; j < K; j++) alpha[o + j] /= sum;
    c[t] = sum;
    ll += Math.log(sum) + shift[t];
  }
  return ll;
}

/**
 * Forward filter: filtered[t * K + k] = P(state_t = k | x_0..x_t), and the log-likelihood of x_0..x_{T-1}.
 * Filtering only: row t never depends on observations after t.
 */
export function forwardFilter(m: GaussianHmm, obs: Float64Array, T: number): { filtered: Float64Array; logLikelihood: number } {
  const { K } = m;
  const bt = new Float64Array(T * K);
  const shift = new Float64Array(T);
  shiftedEmissions(m, obs, T, bt, shift);
  const filtered = new Float64Array(T * K);
  const logLikelihood = forwardScaled(m, bt, shift, T, filtered, new Float64Array(T));
  return { filtered, logLikelihood };
}

/** One step of the filter: posterior (K) after `prev` and the new observation x (D), in place into `post`. */
export function filterStep(m: GaussianHmm, prev: Float64Array, x: Float64Array, post: Float64Array): void {
  const { K, D, A, mean, variance } = m;
  let mx = -Infinity;
  const logb = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let s = 0;
    for (let d = 0; d < D; d++) {
      const v = variance[k * D + d];
      const z = x[d] - mean[k * D + d];
      s += LOG_2PI + Math.log(v) + (z * z) / v;
    }
    logb[k] = -0.5 * s;
    if (logb[k] > mx) mx = logb[k];
  }
  let c = 0;
  for (let j = 0; j < K; j++) {
    let pred = 0;
    for (let i = 0; i < K; i++) pred += prev[i] * A[i * K + j];
    const v = Number.isFinite(mx) ? pred * Math.exp(logb[j] - mx) : pred;
    post[j] = v;
    c += v;
  }
  for (let j = 0; j < K; j++) post[j] /= c;
}

interface EStepResult {
  logLikelihood: number;
  gamma: Float64Array; // T x K
  xiSum: Float64Array; // K x K, summed over t
}

/** Scaled forward-backward (Rabiner): posteriors gamma and summed pairwise posteriors xi. */
export function forwardBackward(m: GaussianHmm, obs: Float64Array, T: number): EStepResult {
  const { K, A } = m;
  const bt = new Float64Array(T * K);
  const shift = new Float64Array(T);
  shiftedEmissions(m, obs, T, bt, shift);
  const alpha = new Float64Array(T * K);
  const c = new Float64Array(T);
  const logLikelihood = forwardScaled(m, bt, shift, T, alpha, c);
  // beta~_t(i) = sum_j A_ij b~_{t+1}(j) beta~_{t+1}(j) / c_{t+1}, with the forward pass's normalizers.
  const beta = new Float64Array(T * K);
  for (let k = 0; k < K; k++) beta[(T - 1) * K + k] = 1;
  for (let t = T - 2; t >= 0; t--) {
    const o = t * K, next = o + K;
    for (let i = 0; i < K; i++) {
      let sum = 0;
      for (let j = 0; j < K; j++) sum += A[i * K + j] * bt[next + j] * beta[next + j];
      beta[o + i] = sum / c[t + 1];
    }
  }
  const gamma = new Float64Array(T * K);
  for (let t = 0; t < T; t++) {
    const o = t * K;
    let sum = 0;
    for (let k = 0; k < K; k++) sum += gamma[o + k] = alpha[o + k] * beta[o + k];
    for (let k = 0; k < K; k++) gamma[o + k] /= sum;
  }
  const xiSum = new Float64Array(K * K);
  const xi = new Float64Array(K * K);
  for (let t = 0; t < T - 1; t++) {
    const o = t * K, next = o + K;
    let sum = 0;
    for (let i = 0; i < K; i++) {
      const a = alpha[o + i];
      for (let j = 0; j < K; j++) sum += xi[i * K + j] = a * A[i * K + j] * bt[next + j] * beta[next + j];
    }
    for (let q = 0; q < K * K; q++) xiSum[q] += xi[q] / sum;
  }
  return { logLikelihood, gamma, xiSum };
}

export interface BaumWelchOptions {
  rng: Rng;
  /** Random (k-means++) starts; a warm start from `init` comes on top. */
  restarts?: number;
  maxIter?: number;
  /** Stop when the log-likelihood gain per observation falls below this. */
  tol?: number;
  /** Variance floor as a fraction of each dimension's variance over the data. */
  varFloor?: number;
  /** Warm start (e.g. the previous fit), tried in addition to the random starts. */
  init?: GaussianHmm;
}

export interface FitResult {
  model: GaussianHmm;
  logLikelihood: number;
  iterations: number;
  converged: boolean;
}

/** Baum-Welch over T x D observations; the best log-likelihood over all starts wins. */
export function baumWelch(obs: Float64Array, T: number, D: number, K: number, opts: BaumWelchOptions): FitResult {
  const restarts = opts.restarts ?? 3;
  const maxIter = opts.maxIter ?? 100;
  const tol = opts.tol ?? 1e-6;
  const floors = dataVariance(obs, T, D).map((v) => Math.max(v * (opts.varFloor ?? 1e-3), 1e-12));
  const starts: GaussianHmm[] = [];
  if (opts.init) starts.push(cloneHmm(opts.init));
  for (let r = 0; r < restarts; r++) starts.push(kmeansInit(obs, T, D, K, opts.rng, floors));
  let best: FitResult | undefined;
  for (const start of starts) {
    const fit = runEm(start, obs, T, maxIter, tol, floors);
    if (!best || fit.logLikelihood > best.logLikelihood) best = fit;
  }
  return best!;
}

function runEm(model: GaussianHmm, obs: Float64Array, T: number, maxIter: number, tol: number, floors: number[]): FitResult {
  let prev = -Infinity;
  let iterations = 0, converged = false;
  let ll = -Infinity;
  for (; iterations < maxIter; iterations++) {
    const e = forwardBackward(model, obs, T);
    ll = e.logLikelihood;
    if (Number.isFinite(prev) && Math.abs(ll - prev) / T < tol) {
      converged = true;
      break;
    }
    prev = ll;
    mStep(model, obs, T, e, floors);
  }
  // Report the likelihood of the returned parameters (the last M-step changed them).
  if (!converged) ll = forwardFilter(model, obs, T).logLikelihood;
  return { model, logLikelihood: ll, iterations, converged };
}

function mStep(m: GaussianHmm, obs: Float64Array, T: number, e: EStepResult, floors: number[]): void {
  const { K, D } = m;
  const { gamma, xiSum } = e;
  for (let k = 0; k < K; k++) m.pi[k] = Math.max(gamma[k], 1e-12);
  normalize(m.pi, 0, K);
  for (let i = 0; i < K; i++) {
    let row = 0;
    for (let j = 0; j < K; j++) row += xiSum[i * K + j];
    if (row > 0) for (let j = 0; j < K; j++) m.A[i * K + j] = Math.max(xiSum[i * K + j] / row, 1e-8);
    normalize(m.A, i * K, K);
  }
  for (let k = 0; k < K; k++) {
    let w = 0;
    const mu = new Float64Array(D);
    for (let t = 0; t < T; t++) {
      const g = gamma[t * K + k];
      w += g;
      for (let d = 0; d < D; d++) mu[d] += g * obs[t * D + d];
    }
    if (w < 1e-8) continue; // a state with no weight keeps its old emissions
    for (let d = 0; d < D; d++) mu[d] /= w;
    for (let d = 0; d < D; d++) {
      let s = 0;
      for (let t = 0; t < T; t++) {
        const z = obs[t * D + d] - mu[d];
        s += gamma[t * K + k] * z * z;
      }
      m.mean[k * D + d] = mu[d];
      m.variance[k * D + d] = Math.max(s / w, floors[d]);
    }
  }
}

function normalize(a: Float64Array, off: number, n: number): void {
  let s = 0;
  for (let q = 0; q < n; q++) s += a[off + q];
  for (let q = 0; q < n; q++) a[off + q] /= s;
}

function dataVariance(obs: Float64Array, T: number, D: number): number[] {
  const out: number[] = [];
  for (let d = 0; d < D; d++) {
    let s = 0, s2 = 0;
    for (let t = 0; t < T; t++) {
      s += obs[t * D + d];
      s2 += obs[t * D + d] * obs[t * D + d];
    }
    const mean = s / T;
    out.push(Math.max(s2 / T - mean * mean, 0));
  }
  return out;
}

/** k-means++ seeding plus a few Lloyd steps: means, per-cluster variances, sticky transitions. */
function kmeansInit(obs: Float64Array, T: number, D: number, K: number, rng: Rng, floors: number[]): GaussianHmm {
  const centers = new Float64Array(K * D);
  const first = rng.int(T);
  for (let d = 0; d < D; d++) centers[d] = obs[first * D + d];
  const dist = new Float64Array(T).fill(Infinity);
  for (let k = 1; k < K; k++) {
    let total = 0;
    for (let t = 0; t < T; t++) {
      let s = 0;
      for (let d = 0; d < D; d++) {
        const z = obs[t * D + d] - centers[(k - 1) * D + d];
        s += z * z;
      }
      if (s < dist[t]) dist[t] = s;
      total += dist[t];
    }
    let pick = T - 1;
    let u = rng.next() * total;
    for (let t = 0; t < T; t++) {
      u -= dist[t];
      if (u <= 0) {
        pick = t;
        break;
      }
    }
    for (let d = 0; d < D; d++) centers[k * D + d] = obs[pick * D + d];
  }
  const assign = new Int32Array(T);
  const sums = new Float64Array(K * D);
  const sq = new Float64Array(K * D);
  const counts = new Float64Array(K);
  for (let iter = 0; iter < 10; iter++) {
    for (let t = 0; t < T; t++) {
      let bestK = 0, bestD = Infinity;
      for (let k = 0; k < K; k++) {
        let s = 0;
        for (let d = 0; d < D; d++) {
          const z = obs[t * D + d] - centers[k * D + d];
          s += z * z;
        }
        if (s < bestD) {
          bestD = s;
          bestK = k;
        }
      }
      assign[t] = bestK;
    }
    sums.fill(0);
    sq.fill(0);
    counts.fill(0);
    for (let t = 0; t < T; t++) {
      const k = assign[t];
      counts[k]++;
      for (let d = 0; d < D; d++) {
        sums[k * D + d] += obs[t * D + d];
        sq[k * D + d] += obs[t * D + d] * obs[t * D + d];
      }
    }
    for (let k = 0; k < K; k++) if (counts[k] > 0) for (let d = 0; d < D; d++) centers[k * D + d] = sums[k * D + d] / counts[k];
  }
  const variance = new Float64Array(K * D);
  for (let k = 0; k < K; k++) {
    for (let d = 0; d < D; d++) {
      const v = counts[k] > 1 ? sq[k * D + d] / counts[k] - centers[k * D + d] ** 2 : floors[d] * 1e3;
      variance[k * D + d] = Math.max(v, floors[d]);
    }
  }
  const A = new Float64Array(K * K);
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) A[i * K + j] = i === j ? 0.9 : 0.1 / (K - 1);
  return { K, D, pi: new Float64Array(K).fill(1 / K), A, mean: centers, variance };
}

/** Draw a state path and observations from the model (tests and simulations). */
export function sampleHmm(m: GaussianHmm, T: number, rng: Rng): { states: Int32Array; obs: Float64Array } {
  const { K, D } = m;
  const states = new Int32Array(T);
  const obs = new Float64Array(T * D);
  const draw = (p: Float64Array, off: number): number => {
    let u = rng.next();
    for (let k = 0; k < K - 1; k++) {
      u -= p[off + k];
      if (u < 0) return k;
    }
    return K - 1;
  };
  for (let t = 0; t < T; t++) {
    const s = t === 0 ? draw(m.pi, 0) : draw(m.A, states[t - 1] * K);
    states[t] = s;
    for (let d = 0; d < D; d++) obs[t * D + d] = m.mean[s * D + d] + Math.sqrt(m.variance[s * D + d]) * rng.normal();
  }
  return { states, obs };
}

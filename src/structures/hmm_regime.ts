// hmm_regime (our seed extension): market regime from a Gaussian HMM, forward-filtered, never smoothed.
//
// Observation at bar t (2-D): the log return ln(close_t / close_{t-1}) and the log of the realized
// volatility sqrt(mean of the last VOL_WINDOW = 10 squared log returns) (the log makes the skewed volatility
// closer to Gaussian). The first observation exists at bar VOL_WINDOW. The window is short on purpose: a
// rolling volatility ramps for a whole window after every regime change, and with 20 bars the fits on
// simulated regime data spent states on those ramps (splitting the turbulent regime, merging the calm ones)
// noticeably more often than with 10.
// Params: n_states 2..4 (3), train_bars (500), refit_every (100), transition_bars (5).
// Fitting: once `train_bars` observations exist, and again every `refit_every` observations, Baum-Welch
// (diagonal covariances, variance floors at 1e-3 of the window's variance, stop when the log-likelihood
// gains < 1e-5 per observation) runs on the TRAILING `train_bars` observations, standardized by their own
// mean and deviation; the first fit keeps the best of 3 seeded k-means++ starts, each refit the best of a
// warm start from the previous fit and 1 fresh start. The
// filtered posterior at the fit bar comes from the forward filter over that window; each later bar updates
// it with one filter step. So the value at bar t only uses bars <= t; before the first fit every output is
// NaN (transition: none).
// Labels (from the fitted means/variances in raw units, recomputed at each refit):
// - with n_states >= 3, the state with the largest return variance is `high_volatility` when that variance
//   is at least HIGH_VOL_RATIO (1.5) times the next largest. A fit often splits one turbulent regime into two
//   similar states, so the group taken is the top state plus any within HIGH_VOL_GROUP (2x) of its variance
//   (never all states), and the whole group is `high_volatility` when it is 1.5x above every other state;
// - the other states by mean return: the highest `bull`, the lowest `bear`, any between `sideways`
//   (so n_states 2 gives bull/bear, 3 without a clear high-vol state bull/sideways/bear); a single state
//   left outside the high-volatility group is `sideways` (it cannot tell bull from bear).
// Labels are relative to the training window: "high volatility" means clearly more volatile than the rest
// of the trailing window.
// Labels are a function of what a state IS (its fitted mean and variance), never of its index inside the
// model, so a refit that permutes the states keeps the mapping stable; the warm start also keeps state
// identities across refits. `state` is the label with the largest filtered probability (states sharing a
// label add up) and `probability` that label's filtered posterior. `transition` is `recent` on the bar the
// state changes and the next transition_bars - 1 bars; the first state after the first fit is not a change.
// Deterministic: fit number f uses createRng(HMM_SEED + f).
import { createRng } from '../common/rng.ts';
import { intParam } from './params.ts';
import { defineStructure, E, F } from './series.ts';
import { TRANSITIONS, TransitionTracker } from './trend.ts';
import { baumWelch, filterStep, forwardFilter, type GaussianHmm } from './hmm/gaussian_hmm.ts';
import type { StructureContext, StructureOutput, StructureStepper } from './types.ts';

export const HMM_LABELS = ['bull', 'bear', 'sideways', 'high_volatility'] as const;
export const BULL = 0, BEAR = 1, SIDEWAYS = 2, HIGH_VOL = 3;
export const VOL_WINDOW = 10;
export const HIGH_VOL_RATIO = 1.5;
export const HIGH_VOL_GROUP = 2;
const HMM_SEED = 0x484d4d; // "HMM"
const D = 2;

const OUTPUTS = { state: E(HMM_LABELS), probability: F, transition: E(TRANSITIONS) };

interface Scaler {
  mean: number[];
  sd: number[];
}

/**
 * Label code per state from raw-unit return means and variances (see the header for the rule).
 * `returnMean[k]` and `returnVar[k]` are state k's emission mean and variance of the log return.
 */
export function labelStates(returnMean: ArrayLike<number>, returnVar: ArrayLike<number>): Int32Array {
  const K = returnMean.length;
  const labels = new Int32Array(K).fill(SIDEWAYS);
  let rest = Array.from({ length: K }, (_, k) => k);
  if (K >= 3) {
    // The high-volatility group: the most volatile state plus any within HIGH_VOL_GROUP (2x) of its
    // variance (a turbulent regime the fit split in two), if the group is clearly (1.5x) above every other
    // state. With one state in the group this is "the most volatile state is clearly the largest".
    const byVar = [...rest].sort((a, b) => returnVar[b] - returnVar[a]);
    let g = 1;
    while (g < K - 1 && returnVar[byVar[g]] * HIGH_VOL_GROUP >= returnVar[byVar[0]]) g++;
    if (returnVar[byVar[g - 1]] >= HIGH_VOL_RATIO * returnVar[byVar[g]]) {
      for (let q = 0; q < g; q++) labels[byVar[q]] = HIGH_VOL;
      rest = byVar.slice(g);
    }
  }
  if (rest.length >= 2) {
    rest.sort((a, b) => returnMean[b] - returnMean[a]);
    labels[rest[0]] = BULL;
    labels[rest[rest.length - 1]] = BEAR;
  }
  return labels;
}

class HmmRegimeStepper implements StructureStepper {
  private readonly K: number;
  private readonly trainBars: number;
  private readonly refitEvery: number;
  private readonly transition: TransitionTracker;
  // realized-volatility window of log returns
  private readonly rets = new Float64Array(VOL_WINDOW);
  private retCount = 0;
  private prevClose = NaN;
  // trailing observations (ring of trainBars rows of D)
  private readonly ring: Float64Array;
  private ringHead = 0; // index of the oldest row once full
  private obsCount = 0;
  private lastFitAt = -1;
  private fits = 0;
  private model: GaussianHmm | undefined;
  private scaler: Scaler | undefined;
  private labels: Int32Array | undefined;
  private posterior: Float64Array;
  private readonly nextPosterior: Float64Array;
  private readonly x = new Float64Array(D);

  constructor(
    private readonly ctx: StructureContext,
    private readonly out: StructureOutput,
  ) {
    const p = ctx.params;
    this.K = intParam('hmm_regime', p, 'n_states', 3, 2, 4);
    this.trainBars = intParam('hmm_regime', p, 'train_bars', 500, 50);
    this.refitEvery = intParam('hmm_regime', p, 'refit_every', 100, 1);
    this.transition = new TransitionTracker(intParam('hmm_regime', p, 'transition_bars', 5, 1));
    this.ring = new Float64Array(this.trainBars * D);
    this.posterior = new Float64Array(this.K);
    this.nextPosterior = new Float64Array(this.K);
  }

  step(i: number): void {
    const c = this.ctx.input.close[i];
    let haveObs = false;
    if (c > 0) {
      if (this.prevClose > 0) {
        const r = Math.log(c / this.prevClose);
        this.rets[this.retCount % VOL_WINDOW] = r;
        this.retCount++;
        if (this.retCount >= VOL_WINDOW) {
          let s = 0;
          for (let k = 0; k < VOL_WINDOW; k++) s += this.rets[k] * this.rets[k];
          this.x[0] = r;
          this.x[1] = Math.log(Math.max(Math.sqrt(s / VOL_WINDOW), 1e-12));
          haveObs = true;
        }
      }
      this.prevClose = c;
    }
    if (haveObs) {
      this.push(this.x);
      if (this.obsCount >= this.trainBars && (this.lastFitAt < 0 || this.obsCount - this.lastFitAt >= this.refitEvery)) {
        this.fit();
      } else if (this.model) {
        const z = this.standardized(this.x);
        filterStep(this.model, this.posterior, z, this.nextPosterior);
        this.posterior.set(this.nextPosterior);
      }
    }
    const o = this.out;
    if (!this.model || !this.labels) {
      o.state[i] = NaN;
      o.probability[i] = NaN;
      o.transition[i] = this.transition.update(i, NaN); // always none: no state yet
      return;
    }
    const byLabel = [0, 0, 0, 0];
    for (let k = 0; k < this.K; k++) byLabel[this.labels[k]] += this.posterior[k];
    let best = 0;
    for (let l = 1; l < 4; l++) if (byLabel[l] > byLabel[best]) best = l;
    o.state[i] = best;
    o.probability[i] = byLabel[best];
    o.transition[i] = this.transition.update(i, best);
  }

  private push(x: Float64Array): void {
    const row = this.obsCount < this.trainBars ? this.obsCount : this.ringHead;
    this.ring[row * D] = x[0];
    this.ring[row * D + 1] = x[1];
    if (this.obsCount >= this.trainBars) this.ringHead = (this.ringHead + 1) % this.trainBars;
    this.obsCount++;
  }

  private standardized(x: ArrayLike<number>): Float64Array {
    const s = this.scaler!;
    const z = new Float64Array(D);
    for (let d = 0; d < D; d++) z[d] = (x[d] - s.mean[d]) / s.sd[d];
    return z;
  }

  /** Fit on the trailing window (oldest first), then filter through it to get the posterior at this bar. */
  private fit(): void {
    const T = this.trainBars;
    const obs = new Float64Array(T * D);
    for (let t = 0; t < T; t++) {
      const row = (this.ringHead + t) % T; // ringHead is the oldest row when the ring is full
      obs[t * D] = this.ring[row * D];
      obs[t * D + 1] = this.ring[row * D + 1];
    }
    const scaler: Scaler = { mean: [], sd: [] };
    for (let d = 0; d < D; d++) {
      let s = 0, s2 = 0;
      for (let t = 0; t < T; t++) {
        s += obs[t * D + d];
        s2 += obs[t * D + d] ** 2;
      }
      const m = s / T;
      scaler.mean.push(m);
      scaler.sd.push(Math.sqrt(Math.max(s2 / T - m * m, 0)) || 1);
    }
    for (let t = 0; t < T; t++) for (let d = 0; d < D; d++) obs[t * D + d] = (obs[t * D + d] - scaler.mean[d]) / scaler.sd[d];

    const init = this.model && this.scaler ? rescale(this.model, this.scaler, scaler) : undefined;
    const rng = createRng(HMM_SEED + this.fits);
    const { model } = baumWelch(obs, T, D, this.K, { rng, restarts: init ? 1 : 3, maxIter: 100, tol: 1e-5, varFloor: 1e-3, init });
    const { filtered } = forwardFilter(model, obs, T);
    this.posterior = filtered.slice((T - 1) * this.K, T * this.K);
    const mean = new Float64Array(this.K), variance = new Float64Array(this.K);
    for (let k = 0; k < this.K; k++) {
      mean[k] = model.mean[k * D] * scaler.sd[0] + scaler.mean[0];
      variance[k] = model.variance[k * D] * scaler.sd[0] ** 2;
    }
    this.labels = labelStates(mean, variance);
    this.model = model;
    this.scaler = scaler;
    this.lastFitAt = this.obsCount;
    this.fits++;
  }
}

/** Re-express a model fitted in one standardization in another (for warm starts across refits). */
function rescale(m: GaussianHmm, from: Scaler, to: Scaler): GaussianHmm {
  const mean = new Float64Array(m.mean.length), variance = new Float64Array(m.variance.length);
  for (let k = 0; k < m.K; k++) {
    for (let d = 0; d < m.D; d++) {
      const raw = m.mean[k * m.D + d] * from.sd[d] + from.mean[d];
      mean[k * m.D + d] = (raw - to.mean[d]) / to.sd[d];
      variance[k * m.D + d] = (m.variance[k * m.D + d] * from.sd[d] ** 2) / to.sd[d] ** 2;
    }
  }
  return { K: m.K, D: m.D, pi: m.pi.slice(), A: m.A.slice(), mean, variance };
}

export const hmmRegime = defineStructure({
  type: 'hmm_regime',
  enums: { state: HMM_LABELS, transition: TRANSITIONS },
  dependencies: { required: [], optional: [] },
  outputs: () => OUTPUTS,
  warmup: (p) => (typeof p.train_bars === 'number' ? p.train_bars : 500) + VOL_WINDOW,
  createStepper: (ctx, out) => new HmmRegimeStepper(ctx, out),
});

// The promotion gate: every piece of validation evidence checked against a threshold, each check with a
// reason a trader can read. A play passes only when every enabled check passes; the verdict lists all of
// them, passed or not. Thresholds are configurable; the defaults and why they are what they are are in
// docs/validation.md. Set a threshold to null to switch its check off (it is then reported as skipped).
import { PlayforgeError } from '../common/errors.ts';
import type { Metrics } from '../engine/index.ts';
import { VALIDATE_INPUT } from './errors.ts';
import type { MonteCarloRanges } from './montecarlo.ts';

export interface GateThresholds {
  /** Deflated Sharpe ratio of the selected genome on the training window (probability its SR beats luck). */
  minDsr: number | null;
  /** Probability of backtest overfitting over the evolution's trials. */
  maxPbo: number | null;
  minHoldoutTrades: number | null;
  /** Annualised. */
  minHoldoutSharpe: number | null;
  minHoldoutReturnPct: number | null;
  maxHoldoutDrawdownPct: number | null;
  /** Holdout Sharpe ÷ training Sharpe: how much of the in-sample edge survives on unseen data. */
  minSharpeRetention: number | null;
  /** Annualised Sharpe of the stitched walk-forward out-of-sample curve. */
  minWalkForwardSharpe: number | null;
  minWalkForwardReturnPct: number | null;
  minWalkForwardProfitableShare: number | null;
  /** 95th percentile of the 30-day drawdown from the Monte Carlo block bootstrap, %. */
  maxMonteCarlo30dDrawdownPct: number | null;
  /** Share of simulated 30-day horizons ending in a loss. */
  maxMonteCarlo30dProbLoss: number | null;
}

export const DEFAULT_GATE_THRESHOLDS: Readonly<GateThresholds> = Object.freeze({
  minDsr: 0.95,
  maxPbo: 0.2,
  minHoldoutTrades: 10,
  minHoldoutSharpe: 0.5,
  minHoldoutReturnPct: 0,
  maxHoldoutDrawdownPct: 25,
  minSharpeRetention: 0.3,
  minWalkForwardSharpe: 0.5,
  minWalkForwardReturnPct: 0,
  minWalkForwardProfitableShare: 0.5,
  maxMonteCarlo30dDrawdownPct: 30,
  maxMonteCarlo30dProbLoss: 0.5,
});

export interface GateEvidence {
  training: Metrics;
  holdout?: Metrics;
  walkForward?: { metrics: Metrics; profitableSegmentsShare: number; segments: number };
  dsr?: { dsr: number; trials: number };
  pbo?: { pbo: number; trials: number; combinations: number };
  /** The block-bootstrap ranges (the ones stored for the demo gate). */
  monteCarlo?: MonteCarloRanges;
}

export type GateStatus = 'pass' | 'fail' | 'skipped';

export interface GateCheck {
  id: keyof GateThresholds;
  status: GateStatus;
  value: number | null;
  threshold: number | null;
  reason: string;
}

export interface GateVerdict {
  passed: boolean;
  checks: GateCheck[];
  /** The failed checks' reasons, then the passed ones'. */
  reasons: string[];
}

const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : String(x));
const f3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : String(x));

export function parseGateThresholds(text: string): Partial<GateThresholds> {
  const out: Partial<GateThresholds> = {};
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [key, raw] = part.split('=').map((s) => s.trim());
    if (!(key in DEFAULT_GATE_THRESHOLDS)) {
      throw new PlayforgeError(VALIDATE_INPUT, `unknown gate threshold '${key}': use one of ${Object.keys(DEFAULT_GATE_THRESHOLDS).join(', ')}`, { path: key });
    }
    const value = raw === 'off' || raw === 'null' ? null : Number(raw);
    if (value !== null && !Number.isFinite(value)) throw new PlayforgeError(VALIDATE_INPUT, `gate threshold ${key} needs a number or 'off', got '${raw}'`, { path: key });
    (out as Record<string, number | null>)[key] = value;
  }
  return out;
}

export function evaluateGate(e: GateEvidence, overrides: Partial<GateThresholds> = {}): GateVerdict {
  const t: GateThresholds = { ...DEFAULT_GATE_THRESHOLDS, ...overrides };
  const checks: GateCheck[] = [];
  // `value` undefined = the evidence is missing, which fails an enabled check: no evidence, no promotion.
  const check = (id: keyof GateThresholds, value: number | undefined, higherIsBetter: boolean, pass: string, fail: string, missing: string): void => {
    const threshold = t[id];
    if (threshold === null) {
      checks.push({ id, status: 'skipped', value: value ?? null, threshold: null, reason: `${id}: check switched off` });
      return;
    }
    if (value === undefined || Number.isNaN(value)) {
      checks.push({ id, status: 'fail', value: null, threshold, reason: missing });
      return;
    }
    const ok = higherIsBetter ? value >= threshold : value <= threshold;
    checks.push({ id, status: ok ? 'pass' : 'fail', value, threshold, reason: ok ? pass : fail });
  };
  const h = e.holdout;
  const wf = e.walkForward;
  const mc30 = e.monteCarlo?.horizons.find((x) => x.horizonDays === 30);

  const dsr = e.dsr?.dsr;
  check('minDsr', dsr, true,
    `deflated Sharpe ratio ${f3(dsr ?? NaN)} >= ${t.minDsr}: the training Sharpe ratio beats the best of ${e.dsr?.trials} skill-less trials`,
    `deflated Sharpe ratio ${f3(dsr ?? NaN)} < ${t.minDsr}: the training Sharpe ratio could be the luck of picking the best of ${e.dsr?.trials} trials`,
    'no deflated Sharpe ratio: the evolution records no trials to deflate against');
  const pbo = e.pbo?.pbo;
  check('maxPbo', pbo, false,
    `probability of backtest overfitting ${f3(pbo ?? NaN)} <= ${t.maxPbo} over ${e.pbo?.trials} trials and ${e.pbo?.combinations} splits`,
    `probability of backtest overfitting ${f3(pbo ?? NaN)} > ${t.maxPbo}: the in-sample winner lands in the bottom half out of sample in ${f2((pbo ?? 0) * 100)} % of ${e.pbo?.combinations} splits`,
    'no probability of backtest overfitting: it needs at least 2 trials with returns');
  check('minHoldoutTrades', h?.trades, true,
    `${h?.trades} holdout trades >= ${t.minHoldoutTrades}`,
    `only ${h?.trades} trades in the holdout (< ${t.minHoldoutTrades}): too few to judge it on unseen data`,
    'no holdout backtest');
  check('minHoldoutSharpe', h?.sharpe, true,
    `holdout Sharpe ${f2(h?.sharpe ?? NaN)} >= ${t.minHoldoutSharpe}`,
    `holdout Sharpe ${f2(h?.sharpe ?? NaN)} < ${t.minHoldoutSharpe} on data the evolution never saw`,
    'no holdout backtest');
  check('minHoldoutReturnPct', h?.totalReturnPct, true,
    `holdout return ${f2(h?.totalReturnPct ?? NaN)} % >= ${t.minHoldoutReturnPct} %`,
    `holdout return ${f2(h?.totalReturnPct ?? NaN)} % < ${t.minHoldoutReturnPct} %`,
    'no holdout backtest');
  check('maxHoldoutDrawdownPct', h?.maxDrawdownPct, false,
    `holdout max drawdown ${f2(h?.maxDrawdownPct ?? NaN)} % <= ${t.maxHoldoutDrawdownPct} %`,
    `holdout max drawdown ${f2(h?.maxDrawdownPct ?? NaN)} % > ${t.maxHoldoutDrawdownPct} %`,
    'no holdout backtest');
  if (h && !(e.training.sharpe > 0) && t.minSharpeRetention !== null) {
    checks.push({ id: 'minSharpeRetention', status: 'fail', value: null, threshold: t.minSharpeRetention, reason: `the training Sharpe ratio ${f2(e.training.sharpe)} is not positive: there is no edge to retain` });
  } else {
    const retention = h ? h.sharpe / e.training.sharpe : undefined;
    check('minSharpeRetention', retention, true,
      `the holdout keeps ${f2((retention ?? 0) * 100)} % of the training Sharpe ratio ${f2(e.training.sharpe)} (>= ${f2((t.minSharpeRetention ?? 0) * 100)} %)`,
      `the holdout keeps only ${f2((retention ?? 0) * 100)} % of the training Sharpe ratio ${f2(e.training.sharpe)} (< ${f2((t.minSharpeRetention ?? 0) * 100)} %)`,
      'no holdout backtest');
  }
  check('minWalkForwardSharpe', wf?.metrics.sharpe, true,
    `walk-forward out-of-sample Sharpe ${f2(wf?.metrics.sharpe ?? NaN)} >= ${t.minWalkForwardSharpe} over ${wf?.segments} re-optimised windows`,
    `walk-forward out-of-sample Sharpe ${f2(wf?.metrics.sharpe ?? NaN)} < ${t.minWalkForwardSharpe}: re-optimising on past data does not carry to the next window`,
    'no walk-forward analysis');
  check('minWalkForwardReturnPct', wf?.metrics.totalReturnPct, true,
    `walk-forward out-of-sample return ${f2(wf?.metrics.totalReturnPct ?? NaN)} % >= ${t.minWalkForwardReturnPct} %`,
    `walk-forward out-of-sample return ${f2(wf?.metrics.totalReturnPct ?? NaN)} % < ${t.minWalkForwardReturnPct} %`,
    'no walk-forward analysis');
  check('minWalkForwardProfitableShare', wf?.profitableSegmentsShare, true,
    `${f2((wf?.profitableSegmentsShare ?? 0) * 100)} % of walk-forward windows profitable (>= ${f2((t.minWalkForwardProfitableShare ?? 0) * 100)} %)`,
    `only ${f2((wf?.profitableSegmentsShare ?? 0) * 100)} % of walk-forward windows profitable (< ${f2((t.minWalkForwardProfitableShare ?? 0) * 100)} %)`,
    'no walk-forward analysis');
  check('maxMonteCarlo30dDrawdownPct', mc30?.maxDrawdownPct.p95, false,
    `Monte Carlo 30-day drawdown (95th percentile) ${f2(mc30?.maxDrawdownPct.p95 ?? NaN)} % <= ${t.maxMonteCarlo30dDrawdownPct} %`,
    `Monte Carlo 30-day drawdown (95th percentile) ${f2(mc30?.maxDrawdownPct.p95 ?? NaN)} % > ${t.maxMonteCarlo30dDrawdownPct} %`,
    'no Monte Carlo ranges for a 30-day horizon');
  check('maxMonteCarlo30dProbLoss', mc30?.probLoss, false,
    `Monte Carlo: ${f2((mc30?.probLoss ?? 0) * 100)} % of 30-day horizons lose (<= ${f2((t.maxMonteCarlo30dProbLoss ?? 0) * 100)} %)`,
    `Monte Carlo: ${f2((mc30?.probLoss ?? 0) * 100)} % of 30-day horizons lose (> ${f2((t.maxMonteCarlo30dProbLoss ?? 0) * 100)} %)`,
    'no Monte Carlo ranges for a 30-day horizon');

  const failed = checks.filter((c) => c.status === 'fail');
  return {
    passed: failed.length === 0,
    checks,
    reasons: [...failed, ...checks.filter((c) => c.status === 'pass')].map((c) => `${c.status === 'fail' ? 'FAIL' : 'pass'}: ${c.reason}`),
  };
}

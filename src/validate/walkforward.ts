// Walk-forward analysis: re-optimise on a training window, trade the next (unseen) test window with what was
// found, move on, and stitch the test windows' equity into one out-of-sample curve. Windows roll (fixed-length
// training window) or are anchored (training always starts at the beginning and grows). The optimiser and the
// evaluator are injected, so the evolution engine, a small random search or a test double can drive it.
import { PlayforgeError } from '../common/errors.ts';
import { computeMetrics, type Metrics, type Trade } from '../engine/index.ts';
import { VALIDATE_INPUT } from './errors.ts';

/** [from, to) in epoch ms; for bars, the OPEN times (the same shape as src/evolve's windows). */
export interface TimeWindow {
  from: number;
  to: number;
}

export interface WalkForwardWindow {
  index: number;
  train: TimeWindow;
  test: TimeWindow;
}

export type WalkForwardMode = 'rolling' | 'anchored';

export interface WindowSpec {
  /** The whole span the analysis may use. */
  span: TimeWindow;
  trainMs: number;
  testMs: number;
  /** Distance between consecutive windows (default testMs: test windows tile without overlap). */
  stepMs?: number;
  mode?: WalkForwardMode;
  /** A last test window shorter than testMs is kept when it has at least this share of testMs (default 0.5). */
  minLastTestShare?: number;
}

export function walkForwardWindows(spec: WindowSpec): WalkForwardWindow[] {
  const { span, trainMs, testMs } = spec;
  const step = spec.stepMs ?? testMs;
  const mode = spec.mode ?? 'rolling';
  const minShare = spec.minLastTestShare ?? 0.5;
  if (!(span.to > span.from)) throw new PlayforgeError(VALIDATE_INPUT, 'walk-forward span must end after it starts', { path: 'span' });
  if (!(trainMs > 0) || !(testMs > 0) || !(step > 0)) throw new PlayforgeError(VALIDATE_INPUT, 'walk-forward train, test and step lengths must be positive', { path: 'trainMs' });
  // Overlapping test windows would count the same out-of-sample bars twice in the stitched curve.
  if (step < testMs) throw new PlayforgeError(VALIDATE_INPUT, `walk-forward step (${step} ms) shorter than the test window (${testMs} ms) would overlap test windows`, { path: 'stepMs' });
  const out: WalkForwardWindow[] = [];
  for (let testStart = span.from + trainMs; testStart < span.to; testStart += step) {
    const testEnd = Math.min(testStart + testMs, span.to);
    if (testEnd - testStart < testMs * minShare) break;
    const train = mode === 'anchored' ? { from: span.from, to: testStart } : { from: testStart - trainMs, to: testStart };
    out.push({ index: out.length, train, test: { from: testStart, to: testEnd } });
  }
  return out;
}

/** One test window's backtest: equity marked per bar (from the window's first bar) and its trades. */
export interface SegmentResult {
  /** Bar open times of the window's bars. */
  ts: ArrayLike<number>;
  equity: Float64Array;
  startingEquity: number;
  trades: Trade[];
  inPosition: Uint8Array;
  totalFees?: number;
  totalFunding?: number;
}

export interface WalkForwardCallbacks<P> {
  /** Find the parameters to trade next, looking only at `window.train`. */
  optimise(train: TimeWindow, window: WalkForwardWindow): Promise<P>;
  /** Trade `params` over `window.test` (indicators may warm up on earlier bars, never on later ones). */
  evaluate(params: P, test: TimeWindow, window: WalkForwardWindow): Promise<SegmentResult>;
}

export interface WalkForwardSegment<P> {
  window: WalkForwardWindow;
  params: P;
  metrics: Metrics;
  bars: number;
}

export interface StitchedCurve {
  ts: Float64Array;
  equity: Float64Array;
  startingEquity: number;
  trades: Trade[];
  inPosition: Uint8Array;
  totalFees: number;
  totalFunding: number;
}

export interface WalkForwardResult<P> {
  mode: WalkForwardMode;
  segments: WalkForwardSegment<P>[];
  stitched: StitchedCurve;
  /** Metrics of the stitched out-of-sample curve. */
  metrics: Metrics;
  /** Share of test windows that ended with a gain. */
  profitableSegmentsShare: number;
}

function scaleTrade(t: Trade, k: number): Trade {
  return { ...t, quantity: t.quantity * k, notional: t.notional * k, margin: t.margin * k, fees: t.fees * k, funding: t.funding * k, pnl: t.pnl * k };
}

/**
 * Chain test windows into one curve: each window's equity is rescaled so it starts where the previous one
 * ended (returns, not dollar amounts, carry over), as if one account had traded them back to back.
 */
export function stitchSegments(segments: readonly SegmentResult[], startingEquity: number): StitchedCurve {
  const total = segments.reduce((a, s) => a + s.equity.length, 0);
  const ts = new Float64Array(total);
  const equity = new Float64Array(total);
  const inPosition = new Uint8Array(total);
  const trades: Trade[] = [];
  let level = startingEquity;
  let at = 0, fees = 0, funding = 0;
  for (const s of segments) {
    if (s.ts.length !== s.equity.length || s.inPosition.length !== s.equity.length) {
      throw new PlayforgeError(VALIDATE_INPUT, 'a walk-forward segment needs one timestamp, equity mark and position flag per bar');
    }
    if (at > 0 && s.ts.length > 0 && s.ts[0] <= ts[at - 1]) throw new PlayforgeError(VALIDATE_INPUT, 'walk-forward segments overlap or are out of order');
    const k = level / s.startingEquity;
    for (let i = 0; i < s.equity.length; i++) {
      ts[at + i] = s.ts[i];
      equity[at + i] = s.equity[i] * k;
      inPosition[at + i] = s.inPosition[i];
    }
    for (const t of s.trades) trades.push(scaleTrade(t, k));
    fees += (s.totalFees ?? s.trades.reduce((a, t) => a + t.fees, 0)) * k;
    funding += (s.totalFunding ?? s.trades.reduce((a, t) => a + t.funding, 0)) * k;
    at += s.equity.length;
    if (s.equity.length) level = equity[at - 1];
  }
  return { ts, equity, startingEquity, trades, inPosition, totalFees: fees, totalFunding: funding };
}

function segmentMetrics(s: SegmentResult, barMs: number): Metrics {
  return computeMetrics({
    equity: s.equity, startingEquity: s.startingEquity, trades: s.trades, inPosition: s.inPosition, barMs,
    totalFees: s.totalFees, totalFunding: s.totalFunding,
  });
}

export interface WalkForwardOptions {
  barMs: number;
  startingEquity: number;
  mode?: WalkForwardMode;
  /** Called after each window, for progress output. */
  onSegment?: (done: number, total: number) => void;
}

/** Run the windows in order (each optimisation sees only its own training window) and stitch the tests. */
export async function runWalkForward<P>(windows: readonly WalkForwardWindow[], callbacks: WalkForwardCallbacks<P>, opts: WalkForwardOptions): Promise<WalkForwardResult<P>> {
  if (windows.length === 0) throw new PlayforgeError(VALIDATE_INPUT, 'walk-forward needs at least one window: the span is too short for the training and test lengths');
  const segments: WalkForwardSegment<P>[] = [];
  const results: SegmentResult[] = [];
  for (const w of windows) {
    if (w.train.to > w.test.from) throw new PlayforgeError(VALIDATE_INPUT, `walk-forward window ${w.index} trains on data after its test starts`);
    const params = await callbacks.optimise(w.train, w);
    const r = await callbacks.evaluate(params, w.test, w);
    results.push(r);
    segments.push({ window: w, params, metrics: segmentMetrics(r, opts.barMs), bars: r.equity.length });
    opts.onSegment?.(segments.length, windows.length);
  }
  const stitched = stitchSegments(results, opts.startingEquity);
  const metrics = computeMetrics({
    equity: stitched.equity, startingEquity: stitched.startingEquity, trades: stitched.trades, inPosition: stitched.inPosition,
    barMs: opts.barMs, totalFees: stitched.totalFees, totalFunding: stitched.totalFunding,
  });
  const profitable = segments.filter((s) => s.metrics.totalReturnPct > 0).length;
  return { mode: opts.mode ?? 'rolling', segments, stitched, metrics, profitableSegmentsShare: profitable / segments.length };
}

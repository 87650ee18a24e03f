// Performance metrics from an equity curve and a trade list (docs/engine.md §8). Pure numbers.
import { tradeSumsOf, type TradeSums } from './backtest/trade-log.ts';
import type { Trade } from './backtest/types.ts';

export interface Metrics {
  totalReturnPct: number;
  cagrPct: number;
  sharpe: number;
  sortino: number;
  calmar: number;
  maxDrawdownPct: number;
  /** Bars from the peak before the deepest drawdown to its recovery (or the end). */
  maxDrawdownBars: number;
  maxDrawdownDurationMs: number;
  winRatePct: number;
  profitFactor: number;
  /** Mean net PnL per trade, USDT. */
  expectancy: number;
  exposurePct: number;
  trades: number;
  avgTradeReturnPct: number;
  avgHoldingBars: number;
  avgHoldingMs: number;
  totalFees: number;
  totalFunding: number;
  finalEquity: number;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

export interface MetricsInput {
  equity: Float64Array;
  startingEquity: number;
  trades: readonly Trade[];
  inPosition: Uint8Array;
  barMs: number;
  totalFees?: number;
  totalFunding?: number;
}

/**
 * The running values of one pass over an equity curve (one point per bar): sums of per-bar returns (the first
 * against the starting equity), the deepest drawdown (its peak's bar and value, its trough, the first bar back
 * at the peak after it, -1 for none) and the bars with a position. The bar loop accumulates the same values
 * while it marks (backtest/equity-track.ts), so a backtest needs no curve to be measured.
 */
export interface EquityStats {
  count: number;
  sum: number;
  sumSq: number;
  downSq: number;
  peak: number;
  peakBar: number;
  maxDd: number;
  ddPeakBar: number;
  ddPeak: number;
  troughBar: number;
  recoveryBar: number;
  exposed: number;
}

/** EquityStats of a stored curve. */
export function equityStats(equity: Float64Array, e0: number, inPosition: Uint8Array): EquityStats {
  const n = equity.length;
  let sum = 0, sumSq = 0, downSq = 0, count = 0;
  let prev = e0;
  let peak = e0, peakBar = -1, maxDd = 0, ddPeakBar = -1, ddPeak = e0, troughBar = -1;
  for (let i = 0; i < n; i++) {
    const e = equity[i];
    const r = prev > 0 ? e / prev - 1 : 0;
    const sq = r * r;
    sum += r;
    sumSq += sq;
    // Downside squares without a branch on the sign (sq * 0 or sq * 1 is exact for a finite sq).
    downSq += sq < Infinity ? sq * Number(r < 0) : r < 0 ? sq : 0;
    count++;
    prev = e;
    if (e >= peak) {
      peak = e;
      peakBar = i;
    } else if (1 - e / peak > maxDd) {
      maxDd = 1 - e / peak;
      ddPeakBar = peakBar;
      ddPeak = peak;
      troughBar = i;
    }
  }
  // Recovery: the first bar after the trough back at that peak.
  let recoveryBar = -1;
  for (let i = troughBar + 1; troughBar >= 0 && i < n; i++) {
    if (equity[i] >= ddPeak) {
      recoveryBar = i;
      break;
    }
  }
  let exposed = 0;
  for (let i = 0; i < inPosition.length; i++) exposed += inPosition[i];
  return { count, sum, sumSq, downSq, peak, peakBar, maxDd, ddPeakBar, ddPeak, troughBar, recoveryBar, exposed };
}

export function computeMetrics(m: MetricsInput): Metrics {
  const n = m.equity.length;
  return metricsFromStats(equityStats(m.equity, m.startingEquity, m.inPosition), {
    ...m, trades: tradeSumsOf(m.trades), bars: n, finalEquity: n > 0 ? m.equity[n - 1] : m.startingEquity,
  });
}

/** Metrics from a curve's EquityStats, its length and final value, and the trades' sums (TradeLog, tradeSumsOf). */
export function metricsFromStats(
  st: EquityStats, m: Omit<MetricsInput, 'equity' | 'inPosition' | 'trades'> & { trades: TradeSums; bars: number; finalEquity: number },
): Metrics {
  const { startingEquity: e0, trades: ts, barMs, bars: n } = m;
  const final = m.finalEquity;
  const barsPerYear = YEAR_MS / barMs;
  const { sum, sumSq, downSq, count, maxDd } = st;
  // Duration: from that peak to the first bar back at it, or to the end.
  const recoveryBar = st.recoveryBar >= 0 ? st.recoveryBar : n - 1;
  const ddBars = maxDd > 0 ? recoveryBar - st.ddPeakBar : 0;
  const mean = count > 0 ? sum / count : 0;
  const variance = count > 1 ? (sumSq - count * mean * mean) / (count - 1) : 0;
  const sd = Math.sqrt(Math.max(variance, 0));
  const downDev = count > 0 ? Math.sqrt(downSq / count) : 0;
  const years = (n * barMs) / YEAR_MS;
  const totalReturn = final / e0 - 1;
  const cagr = years > 0 && final > 0 ? Math.pow(final / e0, 1 / years) - 1 : final > 0 ? 0 : -1;
  const { wins, grossWin, grossLoss, pnlSum, retSum, holdBars, holdMs } = ts;
  const exposed = st.exposed;
  const nt = ts.count;
  return {
    totalReturnPct: totalReturn * 100,
    cagrPct: cagr * 100,
    sharpe: sd > 0 ? (mean / sd) * Math.sqrt(barsPerYear) : 0,
    sortino: downDev > 0 ? (mean / downDev) * Math.sqrt(barsPerYear) : 0,
    calmar: maxDd > 0 ? cagr / maxDd : 0,
    maxDrawdownPct: maxDd * 100,
    maxDrawdownBars: ddBars,
    maxDrawdownDurationMs: ddBars * barMs,
    winRatePct: nt > 0 ? (wins / nt) * 100 : 0,
    profitFactor: grossLoss > 0 ? grossWin / grossLoss : grossWin > 0 ? Infinity : 0,
    expectancy: nt > 0 ? pnlSum / nt : 0,
    exposurePct: n > 0 ? (exposed / n) * 100 : 0,
    trades: nt,
    avgTradeReturnPct: nt > 0 ? retSum / nt : 0,
    avgHoldingBars: nt > 0 ? holdBars / nt : 0,
    avgHoldingMs: nt > 0 ? holdMs / nt : 0,
    totalFees: m.totalFees ?? ts.fees,
    totalFunding: m.totalFunding ?? ts.funding,
    finalEquity: final,
  };
}

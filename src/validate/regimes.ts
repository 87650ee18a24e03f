// Where a play earns its money: each bar is classed as trending or ranging by the Kaufman efficiency ratio
// of the closes over the preceding window (net move ÷ path length: near 1 in a clean trend, near 0 in chop),
// and the play's per-bar returns are split by that class. The library derives a play's regime tag from this.
// A random walk's efficiency ratio over n bars is about 1/√n (net move ~ σ√n, path ~ nσ), so the default
// threshold, 2/√n, calls a window trending when it went twice as far as noise alone would.
import { annualiseSharpe, periodsPerYear, sharpeRatio, DAY_MS } from './sharpe.ts';

export interface RegimeBucket {
  bars: number;
  /** Compounded return over the bucket's bars, %. */
  returnPct: number;
  /** Annualised Sharpe ratio of the bucket's bar returns. */
  sharpe: number;
}

export interface RegimeSplit {
  window: number;
  threshold: number;
  trending: RegimeBucket;
  ranging: RegimeBucket;
}

/** Efficiency ratio at bar i over the `window` bars ending at i (NaN before there are enough). */
export function efficiencyRatio(close: ArrayLike<number>, window: number): Float64Array {
  const n = close.length;
  const out = new Float64Array(n).fill(NaN);
  let path = 0;
  for (let i = 1; i < n; i++) {
    path += Math.abs(close[i] - close[i - 1]);
    if (i > window) path -= Math.abs(close[i - window] - close[i - window - 1]);
    if (i >= window) out[i] = path > 0 ? Math.abs(close[i] - close[i - window]) / path : 0;
  }
  return out;
}

export interface RegimeSplitOptions {
  /** Bars in the efficiency-ratio window (default: one day of bars, at least 10). */
  window?: number;
  /** Efficiency ratio at or above which a bar counts as trending (default 2/√window, capped at 0.9). */
  threshold?: number;
}

/** Accumulates bar returns of several backtests (training, holdout) into the two buckets. */
export class RegimeSplitter {
  private readonly trending: number[] = [];
  private readonly ranging: number[] = [];
  readonly window: number;
  readonly threshold: number;

  constructor(private readonly barMs: number, opts: RegimeSplitOptions = {}) {
    this.window = opts.window ?? Math.max(10, Math.round(DAY_MS / barMs));
    this.threshold = opts.threshold ?? Math.min(0.9, 2 / Math.sqrt(this.window));
  }

  /**
   * `returns[i]` is the play's return over bar `offset + i` of `close` (the market's closes, which may start
   * earlier so the first returns already have a full window behind them). A bar is classed by the window
   * that ENDS at the previous close: its own move must not decide its class (a big move would otherwise make
   * its own bar "trending" and credit trend followers with it).
   */
  add(close: ArrayLike<number>, returns: ArrayLike<number>, offset = 0): void {
    const er = efficiencyRatio(close, this.window);
    for (let i = 0; i < returns.length; i++) {
      const at = offset + i - 1;
      const x = at >= 0 ? er[at] : NaN;
      if (Number.isNaN(x)) continue;
      (x >= this.threshold ? this.trending : this.ranging).push(returns[i]);
    }
  }

  result(): RegimeSplit {
    const perYear = periodsPerYear(this.barMs);
    const bucket = (xs: number[]): RegimeBucket => ({
      bars: xs.length,
      returnPct: (xs.reduce((e, r) => e * (1 + r), 1) - 1) * 100,
      sharpe: annualiseSharpe(sharpeRatio(xs), perYear),
    });
    return { window: this.window, threshold: this.threshold, trending: bucket(this.trending), ranging: bucket(this.ranging) };
  }
}

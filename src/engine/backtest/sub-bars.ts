// Which finer candles make up each exec bar, so stops and limit fills can be replayed in time order.
import type { Candles } from '../../data/index.ts';

export interface SubBarIndex {
  /** Sub-bars of exec bar i are [start[i], end[i]); empty when the finer data has none for it. */
  start: Int32Array;
  end: Int32Array;
}

/**
 * A bar whose finer candles do not cover it completely gets none (start = end): replaying a partial
 * path could miss a stop reached in the missing part, so such bars are judged on their own range.
 */
export function indexSubBars(exec: Candles, execMs: number, sub: Candles): SubBarIndex {
  const n = exec.length;
  const start = new Int32Array(n);
  const end = new Int32Array(n);
  const perBar = Math.round(execMs / barMs(sub.ts));
  let j = 0;
  for (let i = 0; i < n; i++) {
    const t0 = exec.ts[i];
    const t1 = t0 + execMs;
    while (j < sub.length && sub.ts[j] < t0) j++;
    const first = j;
    while (j < sub.length && sub.ts[j] < t1) j++;
    start[i] = first;
    end[i] = j - first >= perBar ? j : first;
  }
  return { start, end };
}

/** The bar length: the smallest positive step between bars (gaps only make steps longer). */
export function barMs(ts: Float64Array): number {
  let step = Infinity;
  for (let i = 1; i < ts.length; i++) {
    const d = ts[i] - ts[i - 1];
    if (d > 0 && d < step) step = d;
  }
  return Number.isFinite(step) ? step : 60_000;
}

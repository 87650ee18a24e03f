import { describe, expect, it } from 'vitest';
import { candlesFromArrays, lowerBound } from '../../src/data/index.ts';
import { defaultGenome, resolvePlay } from '../../src/dsl/index.ts';
import { backtestPlay, type MarketData } from '../../src/engine/index.ts';
import { backtestWindow, sliceMarket } from '../../src/validate/market.ts';
import { crossPlay, HOUR, syntheticMarket, T0 } from './helpers.ts';

const DAY = 24 * HOUR;

describe('windowed backtests', () => {
  const play = resolvePlay(crossPlay(), defaultGenome(crossPlay()));
  const market = syntheticMarket(5, 24 * 60);

  it('slices every column to the window', () => {
    const s = sliceMarket(market, { from: T0 + DAY, to: T0 + 2 * DAY });
    expect(s.exec.length).toBe(24);
    expect(s.exec.ts[0]).toBe(T0 + DAY);
    expect(s.exec.ts[23]).toBe(T0 + 2 * DAY - HOUR);
    expect(lowerBound([1, 3, 3, 5], 3)).toBe(1);
    expect(lowerBound([1, 3, 3, 5], 6)).toBe(4);
  });

  it('equals a plain backtest when the window starts with the data', () => {
    const window = { from: T0, to: T0 + 30 * DAY };
    const w = backtestWindow(play, sliceMarket(market, window), window);
    const plain = backtestPlay(play, sliceMarket(market, window));
    expect(w.metrics).toEqual(plain.metrics);
    expect(w.segment.trades).toEqual(plain.result.trades);
  });

  it('trades only inside the window, warmed up on the bars before it', () => {
    const window = { from: T0 + 30 * DAY, to: T0 + 45 * DAY };
    const w = backtestWindow(play, sliceMarket(market, { from: T0, to: window.to }), window);
    expect(w.segment.equity.length).toBe(15 * 24);
    expect(w.segment.ts[0]).toBe(window.from);
    expect(w.coldBars).toBe(0);
    expect(w.segment.trades.length).toBeGreaterThan(0);
    for (const t of w.segment.trades) {
      expect(t.entryTs).toBeGreaterThanOrEqual(window.from);
      expect(t.exitTs).toBeLessThan(window.to);
    }
    // The same window traded from a cold start (data beginning at the window) can only start later.
    const cold = backtestWindow(play, sliceMarket(market, window), window);
    expect(cold.coldBars).toBeGreaterThan(0);
    expect(cold.segment.trades[0].entryTs).toBeGreaterThanOrEqual(w.segment.trades[0].entryTs);
  });

  it('cannot see bars after the window', () => {
    const window = { from: T0 + 30 * DAY, to: T0 + 45 * DAY };
    const base = backtestWindow(play, sliceMarket(market, { from: T0, to: window.to }), window);
    // Replace everything after the window by a crash; the data handed over is cut at the window's end anyway.
    const e = market.exec;
    const cutAt = lowerBound(e.ts, window.to);
    const crash = (col: Float64Array) => Float64Array.from(col, (x, i) => (i >= cutAt ? x * 0.01 : x));
    const altered: MarketData = { ...market, exec: candlesFromArrays({ ts: e.ts, open: crash(e.open), high: crash(e.high), low: crash(e.low), close: crash(e.close), volume: e.volume }) };
    const again = backtestWindow(play, sliceMarket(altered, { from: T0, to: window.to }), window);
    expect(again.metrics).toEqual(base.metrics);
  });
});

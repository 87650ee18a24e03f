// A backtest scored by its metrics never stores its equity curve: the bar loop measures the curve as it marks
// (EquityTrack, flat stretches in O(1)) and backtestPlay builds `result.equity` only when it is read. These
// tests hold that path to the recorded one: the same trades and totals, and metrics identical to the last bit
// to computeMetrics over the stored curve — on the random parity cases (every stop, target, entry kind, halts,
// funding, finer candles), on accounts too small to trade, and through backtestPlay on real data.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/common/rng.ts';
import { candlesFromArrays } from '../../../src/data/index.ts';
import { EquityTrack, markedEquity } from '../../../src/engine/backtest/equity-track.ts';
import { Account } from '../../../src/engine/backtest/position.ts';
import { rangeBlocks } from '../../../src/engine/backtest/range-blocks.ts';
import { runBacktest, simulate } from '../../../src/engine/backtest/run.ts';
import { tradeSumsOf } from '../../../src/engine/backtest/trade-log.ts';
import { backtestPlay, computeMetrics, equityStats, metricsFromStats, type BacktestResult, type Metrics, type Simulation } from '../../../src/engine/index.ts';
import { btcData, examplePlay, examplePlayFiles } from '../compile/helpers.ts';
import { bars, makeSpec, readCandlesCsv, strategy } from './helpers.ts';
import { FIXTURE_1H, loadMarket, makeCase, readFunding } from './parity-cases.ts';
import { referenceBacktest } from './reference-backtester.ts';

const HOUR = 3_600_000;

function measuredMetrics(sim: Simulation, n: number): Metrics {
  const r = sim.result;
  // The run's own trade sums (TradeLog), not sums of the materialised trades: they must agree to the bit.
  return metricsFromStats(sim.stats, {
    startingEquity: r.startingEquity, totalFees: r.totalFees, totalFunding: r.totalFunding, trades: sim.tradeSums, barMs: HOUR, bars: n, finalEquity: r.finalEquity,
  });
}

function recordedMetrics(r: BacktestResult): Metrics {
  return computeMetrics({ ...r, barMs: HOUR });
}

describe('a measured run equals the recorded run', () => {
  it('on 140 random parity cases: trades, totals, and metrics to the last bit', () => {
    const btc = loadMarket('BTCUSDT', 0, Infinity, true);
    const markets = [btc, { name: 'fixture', exec: readCandlesCsv(FIXTURE_1H), sub: btc.sub, funding: readFunding('BTCUSDT') }];
    let halted = 0, flatEnd = 0;
    for (let k = 0; k < 140; k++) {
      const c = makeCase(31, k, markets[k % 2], 1_500);
      const opts = { funding: c.funding, subCandles: c.subCandles };
      const recorded = runBacktest(c.strategy, c.spec, opts);
      const measured = simulate(c.strategy, c.spec, opts, false);
      expect(measured.equity, c.label).toBeUndefined();
      // A measured run keeps no trade list, only its sums: the same additions in the same order as the list's.
      const { trades: _t, ...totals } = Object.getOwnPropertyDescriptors(measured.result);
      expect(Object.fromEntries(Object.entries(totals).map(([k, d]) => [k, d.value])), c.label).toEqual({
        startingEquity: recorded.startingEquity, finalEquity: recorded.finalEquity, totalFees: recorded.totalFees,
        totalFunding: recorded.totalFunding, haltedAtBar: recorded.haltedAtBar,
      });
      expect(measured.tradeSums, c.label).toEqual(tradeSumsOf(recorded.trades));
      expect(() => measured.result.trades).toThrow(/ENGINE_TRADES_NOT_RECORDED|kept only the sums/);
      expect(measuredMetrics(measured, c.strategy.n), c.label).toEqual(recordedMetrics(recorded));
      if (recorded.haltedAtBar !== undefined) halted++;
      if (recorded.inPosition[recorded.inPosition.length - 1] === 0) flatEnd++;
    }
    expect(halted).toBeGreaterThan(0);
    expect(flatEnd).toBeGreaterThan(0);
  });

  it('an account that cannot size any entry stays flat, and one that shrinks below the minimum stops trading', () => {
    const rows: [number, number, number, number][] = [];
    let p = 100;
    for (let i = 0; i < 300; i++) {
      const o = p;
      p = o * (1 + 0.02 * Math.sin(i * 1.7));
      rows.push([o, Math.max(o, p) * 1.001, Math.min(o, p) * 0.999, p]);
    }
    const exec = bars(rows);
    const every = (k: number) => Array.from({ length: 290 / k }, (_, j) => 5 + j * k);
    const strat = strategy(exec, { signals: { entry_long: every(7), exit_long: every(5), entry_short: every(11), exit_short: every(3) } });
    // Too small from the start; shrinking below the minimum after a few trades (fees); fixed size; equity to 0.
    const cases: [number, number, number, 'percent_equity' | 'fixed_usdt', number][] = [
      [20, 10, 0.0006, 'percent_equity', 40], [100, 60, 0.02, 'percent_equity', 100], [100, 50, 0.05, 'fixed_usdt', 80], [100, 0, 0.3, 'percent_equity', 100],
    ];
    for (const [startingEquity, minNotional, takerRate, model, value] of cases) {
      const spec = makeSpec({ startingEquity, minNotional, takerRate, leverage: 1, sizing: { model, value } });
      const recorded = runBacktest(strat, spec);
      const reference = referenceBacktest(strat, spec);
      expect(recorded.trades.length).toBe(reference.trades.length);
      if (minNotional === 60) expect(recorded.trades.length).toBeGreaterThan(2);
      expect(recorded.finalEquity).toBeCloseTo(reference.finalEquity, 9);
      const measured = simulate(strat, spec, {}, false);
      expect(measuredMetrics(measured, exec.length)).toEqual(recordedMetrics(recorded));
    }
  });
});

describe('EquityTrack', () => {
  it('mark, markFlat and markHeld in any chunking equal one pass of equityStats over the curve', () => {
    const rng = createRng(5);
    for (let trial = 0; trial < 60; trial++) {
      const n = 50 + rng.int(400);
      const close = new Float64Array(n);
      let p = 100;
      for (let i = 0; i < n; i++) close[i] = p *= 1 + rng.normal() * 0.02;
      const exec = candlesFromArrays({ ts: close.map((_, i) => i * HOUR), open: close, high: close, low: close, close, volume: close });
      const e0 = 1000, equity = new Float64Array(n), inPos = new Uint8Array(n);
      const track = new EquityTrack(e0);
      let cash = e0;
      for (let i = 0; i < n;) {
        const len = 1 + rng.int(40), to = Math.min(n, i + len), kind = rng.int(3);
        if (kind === 0) {
          // Flat at a cash level that moves between stretches (sometimes to 0 or a new peak).
          cash = rng.next() < 0.1 ? 0 : cash * (0.8 + rng.next() * 0.5);
          track.markFlat(i, to, cash);
          equity.fill(cash, i, to);
          i = to;
        } else if (kind === 1) {
          const acc = new Account(cash);
          acc.open(rng.next() < 0.5 ? 1 : -1, close[i], cash * 2, 2, 0, i, 0, cash);
          const from = i;
          // Levels and a drawdown floor in reach half of the time: markHeld stops at the first bar that touches
          // one (mark() takes that bar here, as the bar step would), block by block or bar by bar.
          const near = rng.next() < 0.5;
          if (near) {
            const lo = close[i] * (0.9 + rng.next() * 0.09), hi = close[i] * (1.01 + rng.next() * 0.09);
            acc.stop = acc.side > 0 ? lo : hi;
            acc.target = acc.side > 0 ? hi : lo;
          }
          const floor = near ? 0.5 + rng.next() * 0.4 : -Infinity;
          i = track.markHeld(i, to, exec, acc, floor, rangeBlocks(exec));
          if (i < to) {
            track.mark(i, (equity[i] = acc.equityAt(close[i])));
            track.addExposed();
            i++;
          }
          markedEquity(equity, from, i, exec, acc);
          inPos.fill(1, from, i);
        } else {
          for (; i < to; i++) track.mark(i, (equity[i] = cash * (1 + rng.normal() * 0.05)));
        }
      }
      const want = equityStats(equity, e0, inPos);
      // The track's statistics are accessors (its state is one Float64Array): read them by the stats' keys.
      const got = Object.fromEntries(Object.keys(want).map((k) => [k, track[k as keyof typeof want]]));
      expect({ ...got, prev: undefined }).toEqual({ ...want, prev: undefined });
    }
  });
});

describe('backtestPlay measures, and records the curve only when it is read', () => {
  for (const file of examplePlayFiles()) {
    it(file, () => {
      const play = examplePlay(file);
      const data = btcData(play.timeframes[play.timeframes.exec] as '1h' | '15m', 3_000);
      const market = { ...data, dataset: { exchange: 'bybit', symbol: 'BTCUSDT', interval: data.execInterval } };
      const bt = backtestPlay(play, market);
      const recorded = computeMetrics({ ...bt.result, barMs: data.execInterval === '1h' ? HOUR : HOUR / 4 });
      expect(bt.metrics).toEqual(recorded);
      expect(bt.result.equity.length).toBe(bt.compiled.n);
      expect(bt.result.equity[bt.compiled.n - 1]).toBe(bt.result.finalEquity);
    });
  }
});

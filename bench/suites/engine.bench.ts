// Engine: the bar loop against the reference — a plain typed-array EMA(12/26) cross loop,
// always in the market, filling at the close, all-in 1x, 0.06% taker fee per side, equity every bar.
import { ema } from '../../src/indicators/index.ts';
import { runBacktest } from '../../src/engine/backtest/run.ts';
import type { ExecutionSpec } from '../../src/engine/backtest/spec.ts';
import type { StrategyInput } from '../../src/engine/backtest/types.ts';
import type { Candles } from '../../src/data/index.ts';
import { timeMedian, type BenchSuite, type Figure } from '../harness.ts';
import { randomWalkCandles } from '../support/random-walk.ts';

const N = 1_000_000;
const FEE = 0.0006;

/** The reference: EMAs, cross detection, fills at the close, fees, equity — all in one loop. */
export function referenceEmaCross(close: Float64Array, equity: Float64Array): number {
  const a1 = 2 / 13, a2 = 2 / 27;
  let f = close[0], s = close[0];
  let pos = 0, entry = 0, cash = 1, qty = 0;
  for (let i = 0; i < close.length; i++) {
    const c = close[i];
    f += a1 * (c - f);
    s += a2 * (c - s);
    const want = f > s ? 1 : -1;
    if (want !== pos) {
      if (pos !== 0) cash += pos * qty * (c - entry) - qty * c * FEE;
      const eq = cash;
      qty = eq / c;
      cash -= qty * c * FEE;
      entry = c;
      pos = want;
    }
    equity[i] = cash + pos * qty * (c - entry);
  }
  return equity[close.length - 1];
}

/** EMA-cross signals as a compiled play would give them: cross_above -> long, cross_below -> short. */
function crossSignals(c: Candles): StrategyInput {
  const fast = ema(c.close, 12);
  const slow = ema(c.close, 26);
  const n = c.length;
  const up = new Uint8Array(n), down = new Uint8Array(n);
  for (let i = 1; i < n; i++) {
    if (fast[i] > slow[i] && fast[i - 1] <= slow[i - 1]) up[i] = 1;
    else if (fast[i] < slow[i] && fast[i - 1] >= slow[i - 1]) down[i] = 1;
  }
  const hundred = new Float64Array(n).fill(100);
  return {
    n, exec: c, warmupBars: 0,
    signals: { entry_long: up, entry_short: down, exit_long: down, exit_short: up, exit_all: new Uint8Array(n) },
    exitPercent: { exit_long: hundred, exit_short: hundred, exit_all: hundred },
    column: () => new Float64Array(0),
  };
}

export function emaCrossSpec(): ExecutionSpec {
  return {
    startingEquity: 10_000, leverage: 1, takerRate: FEE, makerRate: 0.0002, slippage: 0,
    maintenanceMarginRate: 0.005, minNotional: 10, maxDrawdownPct: 0,
    allowLong: true, allowShort: true, signalExits: true,
    stop: { kind: 'none', value: 0, trailPct: 0, atrMultiplier: 0, activationPct: 0, bufferPct: 0 },
    target: { kind: 'none', value: 0, limitOrder: false },
    sizing: { model: 'percent_equity', value: 100 },
    entry: { limit: false, offsetPct: 0, tif: 'GTC', expireAfterBars: 0 },
  };
}

export const suite: BenchSuite = {
  name: 'engine',
  async run(): Promise<Figure[]> {
    const candles = randomWalkCandles(N);
    const eq = new Float64Array(N);
    const refMs = await timeMedian(() => referenceEmaCross(candles.close, eq), 7, 3);
    const refRate = N / refMs / 1000; // M bar-steps/s
    const strategy = crossSignals(candles);
    const spec = emaCrossSpec();
    const loopMs = await timeMedian(() => runBacktest(strategy, spec), 7, 3);
    const trades = runBacktest(strategy, spec).trades.length;
    return [
      { name: 'reference EMA(12/26) cross loop, 1M bars', value: refRate, unit: 'M bars/s', baseline: 'itself', baselineValue: refRate, ratio: 1 },
      {
        name: 'engine bar loop, EMA-cross signals, 1M bars (warm)', value: N / loopMs / 1000, unit: 'M bars/s',
        baseline: 'reference loop time', baselineValue: refMs, ratio: loopMs / refMs,
        note: `time ratio (lower is better); ${trades} trades; signals precomputed`,
      },
    ];
  },
};

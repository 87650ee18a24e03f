// Engine: backtests through the whole engine (compile with a warm feature cache, vectorised conditions,
// the bar loop) against the reference — a plain typed-array EMA(12/26) cross loop, always in the
// market, filling at the close, all-in 1x, 0.06% taker fee per side, equity marked every bar — measured
// in the same run on the same bars.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Candles } from '../../src/data/index.ts';
import { backtestPlay, FeatureCache, type MarketData } from '../../src/engine/index.ts';
import { timeMedian, type BenchSuite, type Figure } from '../harness.ts';
import { at, benchPlay } from '../support/plays.ts';
import { randomWalkCandles } from '../support/random-walk.ts';

const N = 1_000_000;
const FEE = 0.0006;
const here = path.dirname(fileURLToPath(import.meta.url));

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
      qty = cash / c;
      cash -= qty * c * FEE;
      entry = c;
      pos = want;
    }
    equity[i] = cash + pos * qty * (c - entry);
  }
  return equity[close.length - 1];
}

function market(c: Candles, funding?: Float64Array): MarketData {
  return { dataset: { exchange: 'bench', symbol: 'BTCUSDT', interval: '1m' }, exec: c, execInterval: '1m', funding };
}

/** A funding settlement every 8 hours of 1m bars, 0.01% with some variation. */
function fundingEvery8h(n: number): Float64Array {
  const f = new Float64Array(n).fill(NaN);
  for (let i = 480; i < n; i += 480) f[i] = 0.0001 * (1 + Math.sin(i / 4800));
  return f;
}

/** Time of the first backtest in a fresh process (what a CLI run or a new worker pays). */
function coldMs(): number {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(here, '..', 'support', 'cold-run.ts')], { encoding: 'utf8' });
  return Number(JSON.parse(out.trim().split('\n').pop()!).ms);
}

export const suite: BenchSuite = {
  name: 'engine',
  async run(): Promise<Figure[]> {
    const figures: Figure[] = [];
    const candles = randomWalkCandles(N);
    const eq = new Float64Array(N);
    const refMs = await timeMedian(() => referenceEmaCross(candles.close, eq), 7, 3);
    const refRate = N / refMs / 1e3; // bars per ms -> M bars per s
    figures.push({ name: 'reference EMA(12/26) cross loop, 1M bars', value: refRate, unit: 'M bars/s', baseline: 'itself', baselineValue: refRate, ratio: 1 });

    // 1. The EMA-cross play through the engine, warm (its two EMAs cached, as in a population).
    const ema = await benchPlay('bench/plays/ema_cross_always_in.yml');
    const emaPlay = at(ema);
    const cache = new FeatureCache();
    const data = market(candles);
    const run = () => backtestPlay(emaPlay, data, { cache });
    const first = run();
    const warmMs = await timeMedian(run, 7, 2);
    figures.push({
      name: 'EMA-cross play through the engine, 1M 1m bars, warm', value: N / warmMs / 1e3, unit: 'M bars/s',
      baseline: 'reference loop time', baselineValue: refMs, ratio: warmMs / refMs,
      note: `time ratio, goal <= 1.5; ${first.metrics.trades} trades; conditions ${first.timings.conditionsMs.toFixed(1)} ms, loop ${first.timings.loopMs.toFixed(1)} ms`,
    });
    const cold = coldMs();
    figures.push({ name: 'EMA-cross play, first backtest in a fresh process', value: cold, unit: 'ms', baseline: 'reference loop time', baselineValue: refMs, ratio: cold / refMs, note: 'goal < 25 ms; includes computing both EMAs' });

    // 2. The realistic play: seed example with ATR stop, 2R target, fees, slippage and funding.
    const seed = at(await benchPlay('bench/plays/seed_realistic.yml'));
    const seedData = market(candles, fundingEvery8h(N));
    const seedRun = () => backtestPlay(seed, seedData, { cache });
    const seedFirst = seedRun();
    const seedMs = await timeMedian(seedRun, 5, 1);
    figures.push({
      name: 'realistic seed play (ATR stop, 2R, fees, slippage, funding), warm', value: N / seedMs / 1e3, unit: 'M bars/s',
      baseline: 'reference loop time', baselineValue: refMs, ratio: seedMs / refMs,
      note: `goal >= 100 M bar-steps/s per core; ${seedFirst.metrics.trades} trades, ${seedFirst.result.totalFunding.toFixed(2)} USDT funding`,
    });

    // 3. Time per bar must not grow with the number of bars.
    const perBar: number[] = [];
    for (const n of [100_000, 1_000_000, 10_000_000]) {
      const c = n === N ? candles : randomWalkCandles(n, 7);
      const local = new FeatureCache();
      const d = market(c);
      backtestPlay(emaPlay, d, { cache: local });
      perBar.push(((await timeMedian(() => backtestPlay(emaPlay, d, { cache: local }), 3, 1)) * 1e6) / n);
    }
    figures.push({ name: 'EMA-cross warm, ns per bar at 1e5 bars', value: perBar[0], unit: 'ns/bar', baseline: 'itself', baselineValue: perBar[0], ratio: 1 });
    figures.push({ name: 'EMA-cross warm, ns per bar at 1e6 bars', value: perBar[1], unit: 'ns/bar', baseline: 'ns/bar at 1e5', baselineValue: perBar[0], ratio: perBar[1] / perBar[0], note: 'goal <= 1.3' });
    figures.push({ name: 'EMA-cross warm, ns per bar at 1e7 bars', value: perBar[2], unit: 'ns/bar', baseline: 'ns/bar at 1e6', baselineValue: perBar[1], ratio: perBar[2] / perBar[1], note: 'goal <= 1.3' });
    return figures;
  },
};

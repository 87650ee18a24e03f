// Engine: backtests through the whole engine (compile with a warm feature cache, vectorised conditions,
// the bar loop, metrics) against the reference — a plain typed-array EMA(12/26) cross loop, always in
// the market, filling at the close, all-in 1x, 0.06% taker fee per side, equity marked every bar — measured
// in the same run on the same bars.
//
// Warm figures are the least-disturbed CPU time (process.cpuUsage, all threads) of alternated runs of the
// reference and the engine: on a shared machine wall time mostly measures the other processes, while the
// best CPU time of alternated runs compares the two under the same conditions.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sliceCandles, type Candles } from '../../src/data/index.ts';
import { backtestPlay, FeatureCache, type MarketData, type PlayBacktest } from '../../src/engine/index.ts';
import type { BenchSuite, Figure } from '../harness.ts';
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

/** CPU milliseconds (all threads) of one call. */
function cpuMs(fn: () => unknown): number {
  const t = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1000;
}

/** Best CPU time of `a` and of `b` over `rounds` alternated runs (after one warm-up run of each). */
function alternated(a: () => unknown, b: () => unknown, rounds: number): [number, number] {
  a();
  b();
  let ta = Infinity, tb = Infinity;
  for (let r = 0; r < rounds; r++) {
    ta = Math.min(ta, cpuMs(a));
    tb = Math.min(tb, cpuMs(b));
  }
  return [ta, tb];
}

/** Time of the first call in a fresh process (what a CLI run or a new worker pays), best of `runs` processes. */
function coldMs(arg: string[], runs = 3): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(here, '..', 'support', 'cold-run.ts'), ...arg], { encoding: 'utf8' });
    best = Math.min(best, Number(JSON.parse(out.trim().split('\n').pop()!).ms));
  }
  return best;
}

const split = (bt: PlayBacktest): string =>
  `one warm run: conditions ${bt.timings.conditionsMs.toFixed(1)} ms, loop ${bt.timings.loopMs.toFixed(1)} ms (wall), ${bt.metrics.trades} trades`;

export const suite: BenchSuite = {
  name: 'engine',
  async run(): Promise<Figure[]> {
    const figures: Figure[] = [];
    const candles = randomWalkCandles(N);
    const eq = new Float64Array(N);
    const ref = () => referenceEmaCross(candles.close, eq);

    // 1. The EMA-cross play through the engine, warm (its two EMAs cached, as in a population).
    const emaPlay = at(await benchPlay('bench/plays/ema_cross_always_in.yml'));
    const cache = new FeatureCache();
    const data = market(candles);
    const run = () => backtestPlay(emaPlay, data, { cache });
    const [refMs, warmMs] = alternated(ref, run, 9);
    const warm = run();
    const refRate = N / refMs / 1e3; // bars per ms -> M bars per s
    figures.push({ name: 'reference EMA(12/26) cross loop, 1M bars', value: refRate, unit: 'M bars/s', baseline: 'itself', baselineValue: refRate, ratio: 1, note: `${refMs.toFixed(2)} ms` });
    figures.push({
      name: 'EMA-cross play through the engine, 1M 1m bars, warm', value: N / warmMs / 1e3, unit: 'M bars/s',
      baseline: 'reference loop time', baselineValue: refMs, ratio: warmMs / refMs,
      note: `time ratio, goal <= 1.5; ${split(warm)}`,
    });

    // 2. Cold: the first backtest in a fresh process, against the first reference loop in a fresh process.
    const cold = coldMs([]);
    const coldRef = coldMs(['reference']);
    figures.push({
      name: 'EMA-cross play, first backtest in a fresh process', value: cold, unit: 'ms', baseline: 'first reference loop in a fresh process', baselineValue: coldRef,
      ratio: cold / coldRef, note: `goal < 25 ms; includes computing both EMAs; the warm reference loop takes ${refMs.toFixed(1)} ms`,
    });

    // 3. The realistic play: seed example with ATR stop, 2R target, fees, slippage and funding.
    const seed = at(await benchPlay('bench/plays/seed_realistic.yml'));
    const seedData = market(candles, fundingEvery8h(N));
    const seedRun = () => backtestPlay(seed, seedData, { cache });
    const [refMs2, seedMs] = alternated(ref, seedRun, 7);
    const seedWarm = seedRun();
    figures.push({
      name: 'realistic seed play (ATR stop, 2R, fees, slippage, funding), warm', value: N / seedMs / 1e3, unit: 'M bars/s',
      baseline: 'reference loop time', baselineValue: refMs2, ratio: seedMs / refMs2,
      note: `goal >= 100 M bar-steps/s per core; ${split(seedWarm)}, ${seedWarm.result.totalFunding.toFixed(2)} USDT funding`,
    });

    // 4. Time per bar must not grow with the number of bars: prefixes of one 1e7-bar market, each size with
    // its own warm cache (capped high enough to hold every column at 1e7 bars: the scaling, not the cap).
    const big = randomWalkCandles(10 * N, 7);
    for (const [label, play, withFunding] of [['EMA-cross', emaPlay, false], ['realistic seed', seed, true]] as const) {
      const perBar: number[] = [];
      for (const n of [N / 10, N, 10 * N]) {
        const c = sliceCandles(big, 0, n);
        const local = new FeatureCache({ maxBytes: 4 * 1024 ** 3 });
        const d = market(c, withFunding ? fundingEvery8h(n) : undefined);
        const go = () => backtestPlay(play, d, { cache: local });
        go();
        let best = Infinity;
        for (let r = 0; r < (n > N ? 3 : 7); r++) best = Math.min(best, cpuMs(go));
        perBar.push((best * 1e6) / n);
      }
      figures.push({ name: `${label} warm, ns per bar at 1e5 bars`, value: perBar[0], unit: 'ns/bar', baseline: 'itself', baselineValue: perBar[0], ratio: 1 });
      figures.push({ name: `${label} warm, ns per bar at 1e6 bars`, value: perBar[1], unit: 'ns/bar', baseline: 'ns/bar at 1e5', baselineValue: perBar[0], ratio: perBar[1] / perBar[0], note: 'goal <= 1.3' });
      figures.push({ name: `${label} warm, ns per bar at 1e7 bars`, value: perBar[2], unit: 'ns/bar', baseline: 'ns/bar at 1e6', baselineValue: perBar[1], ratio: perBar[2] / perBar[1], note: 'goal <= 1.3' });
    }
    return figures;
  },
};

// Shared fixtures of the validate tests: seeded markets as MarketData, a small ranged play, and an in-memory
// evolution record built by evaluating every genome of that play on the training window.
import { createRng } from '../../src/common/rng.ts';
import { candlesFromArrays, parseDatasetId } from '../../src/data/index.ts';
import { enumerateGenomes, loadPlay, resolvePlay, type Play } from '../../src/dsl/index.ts';
import { backtestPlay, FeatureCache, type MarketData } from '../../src/engine/index.ts';
import type { EvolutionRecord, TrialRecord } from '../../src/validate/evolution-record.ts';
import { sliceMarket } from '../../src/validate/market.ts';
import { canonicalGenomeKey } from '../../src/validate/optimise.ts';

export const HOUR = 3_600_000;
export const T0 = Date.UTC(2024, 0, 1);

/** Hourly bars of a geometric random walk (per-bar log drift and volatility), optionally with a cycle. */
export function syntheticMarket(seed: number, bars: number, opts: { drift?: number; vol?: number; cycleBars?: number; cycleAmp?: number } = {}): MarketData {
  const rng = createRng(seed);
  const vol = opts.vol ?? 0.006;
  const ts: number[] = [], open: number[] = [], high: number[] = [], low: number[] = [], close: number[] = [], volume: number[] = [];
  let logP = Math.log(100);
  let prevCycle = 0;
  for (let i = 0; i < bars; i++) {
    const cycle = opts.cycleBars ? (opts.cycleAmp ?? 0.05) * Math.sin((2 * Math.PI * i) / opts.cycleBars) : 0;
    const o = Math.exp(logP + prevCycle);
    logP += (opts.drift ?? 0) + vol * rng.normal();
    const c = Math.exp(logP + cycle);
    prevCycle = cycle;
    const wiggle = Math.abs(vol * rng.normal()) * 0.5;
    ts.push(T0 + i * HOUR);
    open.push(o);
    close.push(c);
    high.push(Math.max(o, c) * (1 + wiggle));
    low.push(Math.min(o, c) * (1 - wiggle));
    volume.push(1);
  }
  return { exec: candlesFromArrays({ ts, open, high, low, close, volume }), execInterval: '1h', dataset: parseDatasetId('bybit:BTCUSDT:1h') };
}

export const CROSS_PLAY = `
name: validate_ema_cross
symbol: BTCUSDT
timeframes: { low_tf: "1h", med_tf: "4h", high_tf: "D", exec: low_tf }
account:
  starting_equity_usdt: 10000
  max_leverage: 2
  fee_model: { taker_bps: 5.5, maker_bps: 2 }
  slippage_bps: 1
features:
  ema_fast: { indicator: ema, params: { length: [4, 6, 9] } }
  ema_slow: { indicator: ema, params: { length: { min: 12, max: 48, step: 12 } } }
actions:
  entry_long:
    - [ema_fast, cross_above, ema_slow]
  entry_short:
    - [ema_fast, cross_below, ema_slow]
  exit_long:
    - [ema_fast, cross_below, ema_slow]
  exit_short:
    - [ema_fast, cross_above, ema_slow]
position_policy: { mode: long_short, exit_mode: signal }
`;

export function crossPlay(): Play {
  const { play, errors } = loadPlay(CROSS_PLAY, 'validate_ema_cross.yml');
  if (!play) throw new Error(errors.map((e) => e.format()).join('\n'));
  return play;
}

/**
 * An "evolution" that tried every genome of the play on the training window (fitness = training Sharpe),
 * recorded like the evolve stage records one: each genome an individual, the best one named.
 */
export function exhaustiveEvolution(play: Play, market: MarketData, train: { from: number; to: number }, holdout: { from: number; to: number } | null, seed = 1): EvolutionRecord {
  const data = sliceMarket(market, train);
  const cache = new FeatureCache();
  const individuals: TrialRecord[] = [...enumerateGenomes(play)].map((genome, i) => {
    const { metrics } = backtestPlay(resolvePlay(play, genome), data, { cache });
    return { id: i + 1, generation: 0, genome, genomeKey: canonicalGenomeKey(genome), fitness: metrics.sharpe, metrics };
  });
  const best = individuals.reduce((a, b) => ((b.fitness ?? -Infinity) > (a.fitness ?? -Infinity) ? b : a));
  return {
    id: '00000000-0000-4000-8000-000000000001', play, playYaml: CROSS_PLAY, dataset: 'bybit:BTCUSDT:1h', seed, status: 'completed',
    config: { fitness: { minTrades: 5 } }, train, holdout, individuals, bestIndividualId: best.id,
  };
}

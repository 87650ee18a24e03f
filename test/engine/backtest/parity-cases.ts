// Seeded random parity cases: real candle windows, random signal patterns and an ExecutionSpec drawn so
// that every stop/target type, entry kind, leverage, position mode and exit mode is covered in turn.
import { readFileSync } from 'node:fs';
import { alignFunding, candlesFromArrays, type Candles } from '../../../src/data/index.ts';
import { createRng, type Rng } from '../../../src/common/rng.ts';
import type { ExecutionSpec, StopKind, TargetKind } from '../../../src/engine/backtest/spec.ts';
import type { StrategyInput } from '../../../src/engine/backtest/types.ts';
import { candlesBetween, makeSpec, readCandlesCsv, simpleAtr, simpleSwings } from './helpers.ts';

export const DATA = new URL('../../../examples/data/', import.meta.url).pathname;
export const FIXTURE_1H = new URL('../../fixtures/candles/BYBIT_BTCUSDT_1h_3000.csv', import.meta.url).pathname;

export interface Market {
  name: string;
  exec: Candles;
  /** 15m candles spanning the exec candles (for sub-bar replay), when available. */
  sub?: Candles;
  funding: { ts: number; rate: number }[];
}

export function readFunding(symbol: string): { ts: number; rate: number }[] {
  const lines = readFileSync(`${DATA}BYBIT_${symbol}_funding.csv`, 'utf8').trim().split('\n').slice(1);
  return lines.map((l) => {
    const [ts, rate] = l.split(',').map(Number);
    return { ts, rate };
  });
}

/** `count` 1h bars of a symbol from row `from`, with the 15m bars under them. */
export function loadMarket(symbol: string, from: number, count: number, withSub: boolean): Market {
  const exec = readCandlesCsv(`${DATA}BYBIT_${symbol}_1h.csv`, from, count);
  let sub: Candles | undefined;
  if (withSub) {
    // Rows of the 15m file under the chosen 1h window (4 per hour from the same first timestamp).
    const all15 = readCandlesCsv(`${DATA}BYBIT_${symbol}_15m.csv`);
    sub = candlesBetween(all15, exec.ts[0], exec.ts[exec.length - 1] + 3_600_000);
  }
  return { name: `${symbol} 1h rows ${from}..${from + count}`, exec, sub, funding: readFunding(symbol) };
}

/**
 * The market with gaps: ~15% of bars open away from the previous close (normal jump, 1.5% sd), the
 * range widened to include the open. Real 1h crypto bars almost never gap, so without this the gap
 * rules (stops/targets/liquidation at the open, IOC/FOK/PostOnly first-bar checks, gapped limit fills)
 * would hardly be exercised. No finer candles (they would not match the moved opens).
 */
export function withGaps(m: Market, seed: number): Market {
  const rng = createRng(seed);
  const n = m.exec.length;
  const open = Float64Array.from(m.exec.open);
  const high = Float64Array.from(m.exec.high);
  const low = Float64Array.from(m.exec.low);
  for (let i = 1; i < n; i++) {
    if (rng.next() >= 0.15) continue;
    open[i] = m.exec.close[i - 1] * (1 + 0.015 * rng.normal());
    high[i] = Math.max(high[i], open[i]);
    low[i] = Math.min(low[i], open[i]);
  }
  const exec = candlesFromArrays({ ts: m.exec.ts, open, high, low, close: m.exec.close, volume: m.exec.volume });
  return { name: `${m.name} with gaps`, exec, funding: m.funding };
}

export interface ParityCase {
  label: string;
  strategy: StrategyInput;
  spec: ExecutionSpec;
  funding?: Float64Array;
  subCandles?: Candles;
}

const STOPS: StopKind[] = ['none', 'percent', 'atr_multiple', 'fixed_points', 'structure', 'trailing_pct', 'trailing_atr'];
const TARGETS: TargetKind[] = ['none', 'percent', 'rr_ratio', 'atr_multiple', 'fixed_points'];
const ENTRIES = ['market', 'GTC', 'IOC', 'FOK', 'PostOnly'] as const;
const LEVERAGES = [1, 3, 10];
const MODES = [
  { allowLong: true, allowShort: false },
  { allowLong: false, allowShort: true },
  { allowLong: true, allowShort: true },
];
const SIZINGS = ['percent_equity', 'risk_based', 'fixed_usdt'] as const;

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.int(xs.length)];
}

/** Random per-bar signals: sparse entries/exits, some partial exits. */
function randomStrategy(rng: Rng, exec: Candles, columns: Record<string, Float64Array>, warmup: number): StrategyInput {
  const n = exec.length;
  const density = 0.01 + rng.next() * 0.08;
  const exitDensity = 0.005 + rng.next() * 0.06;
  const partialShare = rng.next() < 0.4 ? 0.3 : 0;
  const flags = (p: number): Uint8Array => {
    const a = new Uint8Array(n);
    for (let i = 0; i < n; i++) a[i] = rng.next() < p ? 1 : 0;
    return a;
  };
  const percents = (): Float64Array => {
    const a = new Float64Array(n).fill(100);
    for (let i = 0; i < n; i++) if (rng.next() < partialShare) a[i] = pick(rng, [25, 50, 75]);
    return a;
  };
  return {
    n,
    exec,
    signals: { entry_long: flags(density), entry_short: flags(density), exit_long: flags(exitDensity), exit_short: flags(exitDensity), exit_all: flags(exitDensity / 3) },
    exitPercent: { exit_long: percents(), exit_short: percents(), exit_all: percents() },
    warmupBars: warmup,
    column(ref: string): Float64Array {
      const c = columns[ref];
      if (!c) throw new Error(`parity strategy has no column ${ref}`);
      return c;
    },
  };
}

/** Case `k` of a seeded series: dimensions cycle with k (so all values appear), the rest is random. */
export function makeCase(seed: number, k: number, market: Market, bars: number): ParityCase {
  const rng = createRng(seed * 7919 + k);
  const start = rng.int(Math.max(1, market.exec.length - bars));
  const exec = candlesBetween(market.exec, market.exec.ts[start], market.exec.ts[Math.min(start + bars, market.exec.length - 1)]);
  const atr = simpleAtr(exec, 14);
  const swings = simpleSwings(exec, 3);
  const columns = { atr_14: atr, atr_20: simpleAtr(exec, 20), 'swing.high_level': swings.high, 'swing.low_level': swings.low };
  const strat = randomStrategy(rng, exec, columns, 20 + rng.int(10));

  const stopKind = STOPS[k % STOPS.length];
  const targetKind = TARGETS[Math.floor(k / STOPS.length) % TARGETS.length];
  const entry = ENTRIES[k % ENTRIES.length];
  const leverage = LEVERAGES[Math.floor(k / 3) % LEVERAGES.length];
  const mode = MODES[k % MODES.length];
  const sizing = SIZINGS[Math.floor(k / 2) % SIZINGS.length];
  const price = exec.close[0];
  const atrNow = atr[30] || price * 0.01;

  const stopValue = stopKind === 'fixed_points' ? atrNow * (1 + rng.next() * 3) : stopKind === 'atr_multiple' ? 1 + rng.next() * 2 : 1 + rng.next() * 6;
  const targetValue =
    targetKind === 'fixed_points' ? atrNow * (1 + rng.next() * 5) : targetKind === 'rr_ratio' ? 1 + rng.next() * 2 : targetKind === 'atr_multiple' ? 1 + rng.next() * 4 : 1 + rng.next() * 10;
  const spec = makeSpec({
    startingEquity: 10_000,
    leverage,
    takerRate: pick(rng, [0, 0.00055, 0.001]),
    makerRate: pick(rng, [0, 0.0002, -0.0001]),
    slippage: pick(rng, [0, 0.0002, 0.001]),
    maintenanceMarginRate: 0.005,
    minNotional: pick(rng, [0, 10]),
    maxDrawdownPct: rng.next() < 0.25 ? 10 + rng.int(20) : 100,
    ...mode,
    signalExits: rng.next() < 0.75,
    stop: {
      kind: stopKind,
      value: stopValue,
      atrRef: 'atr_14',
      trailPct: 0.5 + rng.next() * 3,
      atrMultiplier: 1 + rng.next() * 2,
      activationPct: rng.next() < 0.5 ? 0 : rng.next() * 2,
      bufferPct: rng.next() < 0.5 ? 0 : rng.next() * 0.5,
      swingKey: 'swing',
    },
    target: { kind: targetKind, value: targetValue, atrRef: 'atr_20', limitOrder: rng.next() < 0.4 },
    sizing: { model: sizing, value: sizing === 'fixed_usdt' ? pick(rng, [500, 5_000, 50_000]) : sizing === 'risk_based' ? 0.5 + rng.next() * 3 : pick(rng, [10, 50, 100]) },
    entry: { limit: entry !== 'market', tif: entry === 'market' ? 'GTC' : entry, offsetPct: rng.next() < 0.2 ? 0 : rng.next() * 0.8, expireAfterBars: rng.next() < 0.5 ? 0 : 1 + rng.int(6) },
  });
  if (rng.next() < 0.35) spec.breakEven = { activationPct: 0.3 + rng.next() * 2, offsetPct: rng.next() * 0.3 };
  const useFunding = rng.next() < 0.6;
  const useSub = market.sub !== undefined && rng.next() < 0.5;
  const label = `seed ${seed} case ${k} (${market.name} bars ${start}..${start + bars}): stop ${stopKind} target ${targetKind}${spec.target.limitOrder ? '(limit)' : ''} entry ${entry} lev ${leverage} long ${mode.allowLong} short ${mode.allowShort} sizing ${sizing} exits ${spec.signalExits ? 'signal' : 'sl_tp_only'}${spec.breakEven ? ' +BE' : ''}${useFunding ? ' +funding' : ''}${useSub ? ' +15m' : ''}`;
  return {
    label,
    strategy: strat,
    spec,
    funding: useFunding ? alignFunding(exec, market.funding) : undefined,
    subCandles: useSub ? market.sub : undefined,
  };
}

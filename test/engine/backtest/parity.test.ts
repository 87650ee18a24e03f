// Parity: the engine and the independent reference backtester give the same trades (every field) and
// the same equity (1e-9 relative) on real Bybit candles — seeded random signal patterns × a grid of
// ExecutionSpecs (parity-cases.ts) — and on every example play compiled at its default genome.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alignFunding, type Candles } from '../../../src/data/index.ts';
import { defaultGenome, loadPlay, resolvePlay, type Play } from '../../../src/dsl/index.ts';
import { runBacktest } from '../../../src/engine/backtest/run.ts';
import { executionSpecOf } from '../../../src/engine/backtest/spec.ts';
import { computeMetrics } from '../../../src/engine/metrics.ts';
import type { ExitReason } from '../../../src/engine/backtest/types.ts';
import { compilePlay, execIntervalOf } from '../../../src/engine/compile/index.ts';
import { candlesBetween, firstDifference, readCandlesCsv } from './helpers.ts';
import { DATA, FIXTURE_1H, loadMarket, makeCase, readFunding, withGaps, type Market } from './parity-cases.ts';
import { referenceBacktest, type ReferenceResult } from './reference-backtester.ts';

const SEED = 20_250_101;
const GROUPS = 35; // stop kind (7) × entry kind (5): makeCase cycles both with the case number
const PER_GROUP = 12; // 420 random cases of 1 500 bars
const BARS = 1_500;
const STOPS = ['none', 'percent', 'atr_multiple', 'fixed_points', 'structure', 'trailing_pct', 'trailing_atr'];
const ENTRIES = ['market', 'GTC', 'IOC', 'FOK', 'PostOnly'];

let markets: Market[] | undefined;
/**
 * BTC, ETH, SOL 1h with 15m under them (15m ends ~5 weeks before 1h: late windows test the bars without
 * finer candles), the 3 000-bar fixture, and BTC and SOL with synthetic gaps at the open.
 */
function allMarkets(): Market[] {
  if (!markets) {
    const btc = loadMarket('BTCUSDT', 0, Infinity, true);
    const sol = loadMarket('SOLUSDT', 0, Infinity, true);
    const fixture = readCandlesCsv(FIXTURE_1H);
    markets = [
      btc,
      loadMarket('ETHUSDT', 0, Infinity, true),
      sol,
      { name: 'BTCUSDT 1h fixture', exec: fixture, sub: btc.sub, funding: btc.funding },
      withGaps(btc, 1),
      withGaps(sol, 2),
    ];
  }
  return markets;
}

const reasons = new Map<ExitReason, number>();
let casesRun = 0;
let tradesCompared = 0;
let halted = 0;

describe('engine = reference on real candles with random signals', () => {
  for (let g = 0; g < GROUPS; g++) {
    it(`stop ${STOPS[g % 7]}, entry ${ENTRIES[g % 5]}: ${PER_GROUP} cases`, () => {
      const failures: string[] = [];
      for (let j = 0; j < PER_GROUP; j++) {
        const k = g + GROUPS * j;
        const ms = allMarkets();
        const c = makeCase(SEED, k, ms[j % ms.length], BARS);
        const opts = { funding: c.funding, subCandles: c.subCandles };
        const engine = runBacktest(c.strategy, c.spec, opts);
        const reference = referenceBacktest(c.strategy, c.spec, opts);
        const diff = firstDifference(engine, reference);
        if (diff) failures.push(`${c.label}\n${diff}`);
        casesRun++;
        tradesCompared += reference.trades.length;
        if (reference.haltedAtBar !== undefined) halted++;
        for (const t of reference.trades) reasons.set(t.exitReason, (reasons.get(t.exitReason) ?? 0) + 1);
      }
      expect(failures.slice(0, 3).join('\n\n'), `${failures.length} of ${PER_GROUP} cases differ`).toBe('');
    });
  }

  it('the random cases exercised every exit reason and the drawdown halt', () => {
    expect(casesRun).toBe(GROUPS * PER_GROUP);
    expect(tradesCompared).toBeGreaterThan(5_000);
    for (const r of ['signal', 'stop_loss', 'take_profit', 'trailing_stop', 'break_even', 'liquidation', 'max_drawdown', 'end_of_data'] as const) {
      expect(reasons.get(r) ?? 0, `trades closed by ${r}`).toBeGreaterThan(0);
    }
    expect(halted).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------------------
// Example plays at their default genome, compiled on the bundled BTC data.
const PLAYS_DIR = new URL('../../../examples/plays/', import.meta.url).pathname;
const FIVE_MIN_START = 1_750_550_400_000; // first bar of the bundled BTC 5m file

function examplePlay(file: string): Play {
  const { play, errors } = loadPlay(readFileSync(PLAYS_DIR + file, 'utf8'), file);
  if (!play) throw new Error(errors.map((e) => e.format()).join('\n'));
  return resolvePlay(play, defaultGenome(play));
}

let btcData: { h1: Candles; m15: Candles; m5: Candles; funding: { ts: number; rate: number }[] } | undefined;
function btc(): NonNullable<typeof btcData> {
  btcData ??= {
    h1: readCandlesCsv(`${DATA}BYBIT_BTCUSDT_1h.csv`),
    m15: readCandlesCsv(`${DATA}BYBIT_BTCUSDT_15m.csv`),
    m5: readCandlesCsv(`${DATA}BYBIT_BTCUSDT_5m.csv`),
    funding: readFunding('BTCUSDT'),
  };
  return btcData;
}

/** 1h plays: 6 000 bars with 15m under them; 15m plays: 8 000 bars whose last ~5 700 have 5m under them. */
function playMarket(interval: string): { exec: Candles; sub: Candles } {
  const d = btc();
  if (interval === '1h') {
    const exec = candlesBetween(d.h1, d.h1.ts[8_000], d.h1.ts[14_000]);
    return { exec, sub: candlesBetween(d.m15, exec.ts[0], exec.ts[exec.length - 1] + 3_600_000) };
  }
  if (interval === '15m') {
    const from = FIVE_MIN_START - 2_300 * 900_000;
    const exec = candlesBetween(d.m15, from, from + 8_000 * 900_000);
    return { exec, sub: d.m5 };
  }
  throw new Error(`no bundled BTC data for exec ${interval}`);
}

/** §8's plain figures of the engine's metrics, recomputed from the reference's trades and curve. */
function expectSimpleMetrics(m: ReturnType<typeof computeMetrics>, r: ReferenceResult): void {
  const n = r.trades.length;
  const rel = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  expect(m.trades).toBe(n);
  expect(rel(m.finalEquity, r.finalEquity), 'final equity').toBe(true);
  expect(rel(m.totalReturnPct, 100 * (r.finalEquity / r.startingEquity - 1)), 'total return').toBe(true);
  expect(rel(m.exposurePct, (100 * r.inPosition.reduce((a, b) => a + b, 0)) / r.inPosition.length), 'exposure').toBe(true);
  expect(rel(m.totalFees, r.totalFees), 'fees').toBe(true);
  expect(rel(m.totalFunding, r.totalFunding), 'funding').toBe(true);
  if (n > 0) {
    expect(rel(m.winRatePct, (100 * r.trades.filter((t) => t.pnl > 0).length) / n), 'win rate').toBe(true);
    expect(rel(m.expectancy, r.trades.reduce((a, t) => a + t.pnl, 0) / n), 'expectancy').toBe(true);
  }
}

describe('engine = reference on the example plays (default genome, bundled BTC data)', () => {
  const files = readdirSync(PLAYS_DIR).filter((f) => f.endsWith('.yml')).sort();
  let totalTrades = 0;
  for (const file of files) {
    it(file, () => {
      const play = examplePlay(file);
      const interval = execIntervalOf(play);
      const { exec, sub } = playMarket(interval);
      const funding = alignFunding(exec, btc().funding);
      const compiled = compilePlay(play, { exec, execInterval: interval, funding });
      const spec = executionSpecOf(play);
      for (const subCandles of [undefined, sub]) {
        const opts = { funding, subCandles };
        const engine = runBacktest(compiled, spec, opts);
        const reference = referenceBacktest(compiled, spec, opts);
        expect(firstDifference(engine, reference), `${file}${subCandles ? ' with finer candles' : ''}`).toBeNull();
        const barMs = interval === '1h' ? 3_600_000 : 900_000;
        expectSimpleMetrics(computeMetrics({ ...engine, barMs }), reference);
        totalTrades += reference.trades.length;
      }
    });
  }
  it('the example plays trade', () => {
    expect(totalTrades).toBeGreaterThan(100);
  });
});

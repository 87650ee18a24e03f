// The fused signal loop (signal-held.ts) keeps a measured run's held stretches, exits and reversals out of the
// bar step. It must change nothing but the time: on random cases inside its domain (whole signal exits, market
// entries, levels that do not move, no finer candles) a run with it and a run held to the bar step give the
// same totals, trade sums and curve statistics to the last bit. The cases are drawn so the loop does its work —
// always-in reversals, noise exits into flat, levels in reach, funding, drawdown halts, warm-up — and the test
// counts the trades the loop closed itself.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRng, type Rng } from '../../../src/common/rng.ts';
import { simulate } from '../../../src/engine/backtest/run.ts';
import { TradeLog } from '../../../src/engine/backtest/trade-log.ts';
import type { StrategyInput } from '../../../src/engine/backtest/types.ts';
import type { EquityStats } from '../../../src/engine/metrics.ts';
import { readCandlesCsv } from './helpers.ts';
import { FIXTURE_1H, loadMarket, makeCase, type ParityCase } from './parity-cases.ts';

const STATS: (keyof EquityStats)[] = ['count', 'sum', 'sumSq', 'downSq', 'peak', 'peakBar', 'maxDd', 'ddPeakBar', 'ddPeak', 'troughBar', 'recoveryBar', 'exposed'];

/** Regime signals: the side flips with probability `flip` per bar (an exit and the opposite entry on one bar), plus noise. */
function crossingSignals(rng: Rng, base: StrategyInput, flip: number, noise: number): StrategyInput {
  const n = base.n;
  const s = { entry_long: new Uint8Array(n), entry_short: new Uint8Array(n), exit_long: new Uint8Array(n), exit_short: new Uint8Array(n), exit_all: new Uint8Array(n) };
  let side = 1;
  for (let i = 0; i < n; i++) {
    if (rng.next() < flip) {
      side = -side;
      (side > 0 ? s.entry_long : s.entry_short)[i] = 1;
      (side > 0 ? s.exit_short : s.exit_long)[i] = 1;
    }
    // Exits into flat, re-entries, and both entries on one bar (no entry is taken then).
    if (rng.next() < noise) s.exit_all[i] = 1;
    if (rng.next() < noise) s.entry_long[i] = 1;
    if (rng.next() < noise / 2) s.entry_short[i] = 1;
  }
  return { ...base, signals: s, wholeExits: true };
}

/** A parity case moved into the fused loop's domain, with crossing signals. */
function fusedCase(k: number, market: ReturnType<typeof loadMarket>): ParityCase {
  const c = makeCase(47, k, market, 1_500);
  const rng = createRng(1_000 + k);
  const spec = c.spec;
  spec.signalExits = true;
  spec.entry.limit = false;
  spec.breakEven = undefined;
  if (spec.stop.kind === 'trailing_pct' || spec.stop.kind === 'trailing_atr') spec.stop.kind = rng.next() < 0.5 ? 'percent' : 'none';
  // Far levels half of the time (every stretch ends by a signal), near ones otherwise (the bar step takes over).
  if (rng.next() < 0.5) spec.stop.value *= 20;
  const strat = crossingSignals(rng, c.strategy, 0.02 + rng.next() * 0.2, rng.next() < 0.5 ? 0 : 0.01);
  return { ...c, label: `${c.label}, crossing signals`, strategy: strat, subCandles: undefined };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the fused signal loop', () => {
  it('gives the bar step’s totals, trade sums and curve statistics to the last bit on 160 random cases', () => {
    const btc = loadMarket('BTCUSDT', 0, Infinity, false);
    const markets = [btc, { name: 'fixture', exec: readCandlesCsv(FIXTURE_1H), funding: btc.funding }];
    const summed = vi.spyOn(TradeLog.prototype, 'countSummed');
    let halted = 0;
    for (let k = 0; k < 160; k++) {
      const c = fusedCase(k, markets[k % 2]);
      const fused = simulate(c.strategy, c.spec, { funding: c.funding }, false);
      const stepped = simulate(c.strategy, c.spec, { funding: c.funding, signalLoop: false }, false);
      const totals = (s: typeof fused) => ({ final: s.result.finalEquity, fees: s.result.totalFees, funding: s.result.totalFunding, halted: s.result.haltedAtBar });
      expect(totals(fused), c.label).toEqual(totals(stepped));
      expect(fused.tradeSums, c.label).toEqual(stepped.tradeSums);
      const stats = (s: typeof fused) => Object.fromEntries(STATS.map((key) => [key, s.stats[key]]));
      expect(stats(fused), c.label).toEqual(stats(stepped));
      if (stepped.result.haltedAtBar !== undefined) halted++;
    }
    // The loop closed trades itself (reversals), and the cases reached the bar step's halts too.
    const closedInLoop = summed.mock.calls.reduce((sum, [count]) => sum + count, 0);
    expect(closedInLoop).toBeGreaterThan(2_000);
    expect(halted).toBeGreaterThan(0);
  });

  it('is not taken by a recorded run, nor where exits are partial or entries rest as limits', () => {
    const btc = loadMarket('BTCUSDT', 0, 2_000, false);
    const summed = vi.spyOn(TradeLog.prototype, 'countSummed');
    const c = fusedCase(5, btc); // long and short: reversals
    simulate(c.strategy, c.spec, {}, true);
    simulate({ ...c.strategy, wholeExits: false }, c.spec, {}, false);
    simulate(c.strategy, { ...c.spec, entry: { ...c.spec.entry, limit: true } }, {}, false);
    expect(summed).not.toHaveBeenCalled();
    simulate(c.strategy, c.spec, {}, false);
    expect(summed).toHaveBeenCalled();
  });
});

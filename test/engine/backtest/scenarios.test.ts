// Hand-computed scenarios for the execution rules of docs/engine.md. Each runs the engine AND the
// reference backtester on a tiny hand-made series and checks both against numbers worked out by hand
// (the arithmetic is in the comments; the code evaluates the same expressions to full precision).
//
// Unless a test says otherwise: 10 000 USDT, leverage 1, no fees, no slippage, 100% of equity per
// trade, market entries, bars one hour apart. With E = 10 000 and P = 100 the quantity is 100.
import { describe, expect, it } from 'vitest';
import { allocateCandles, type Candles } from '../../../src/data/index.ts';
import { runBacktest } from '../../../src/engine/backtest/run.ts';
import type { ExecutionSpec } from '../../../src/engine/backtest/spec.ts';
import type { StrategyInput, Trade } from '../../../src/engine/backtest/types.ts';
import { referenceBacktest } from './reference-backtester.ts';
import { bars, HOUR, makeSpec, strategy } from './helpers.ts';

type Row = readonly [number, number, number, number];
const FLAT: Row = [100, 100.5, 99.5, 100];

interface Outcome {
  trades: readonly Trade[];
  equity: ArrayLike<number>;
  finalEquity: number;
  haltedAtBar?: number;
}

function near(actual: number, expected: number, what: string): void {
  const ok = Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
  expect(ok, `${what}: expected ${expected}, got ${actual}`).toBe(true);
}

/** Checks the listed trade fields (numbers to 1e-9 relative) on both implementations. */
function expectTrades(label: string, got: Outcome, expected: Partial<Trade>[]): void {
  expect(got.trades.length, `${label}: trade count (${JSON.stringify(got.trades)})`).toBe(expected.length);
  expected.forEach((exp, t) => {
    for (const [k, v] of Object.entries(exp)) {
      const actual = got.trades[t][k as keyof Trade];
      if (typeof v === 'number') near(actual as number, v, `${label} trade ${t} ${k}`);
      else expect(actual, `${label} trade ${t} ${k}`).toBe(v);
    }
  });
}

/** Runs the engine and the reference; every expectation is applied to both. */
function both(s: StrategyInput, spec: ExecutionSpec, opts: { funding?: Float64Array; subCandles?: Candles } = {}): [string, Outcome][] {
  const engine = runBacktest(s, spec, opts);
  const reference = referenceBacktest(s, spec, opts);
  return [
    ['engine', engine],
    ['reference', reference],
  ];
}

function check(s: StrategyInput, spec: ExecutionSpec, expected: Partial<Trade>[], finalEquity: number, opts: { funding?: Float64Array; subCandles?: Candles } = {}): void {
  for (const [who, r] of both(s, spec, opts)) {
    expectTrades(who, r, expected);
    near(r.finalEquity, finalEquity, `${who} final equity`);
  }
}

describe('market orders at the next open (§1.2, §3)', () => {
  it('a long fills at open × (1 + s) with the taker fee and exits at the next open × (1 − s)', () => {
    // s = 10 bps, taker 6 bps. entry_long at bar 0 -> bar 1 open 100: P = 100 × 1.001 = 100.1.
    // E = 10 000 (bar 0 mark) -> notional 10 000, qty = 10 000 / 100.1, entry fee 10 000 × 0.0006 = 6.
    // Bar 1 mark: 10 000 − 6 + qty × (101 − 100.1).
    // exit_long at bar 1 -> bar 2 open 102: X = 102 × 0.999 = 101.898, exit fee qty × 101.898 × 0.0006.
    const c = bars([FLAT, [100, 102, 99, 101], [102, 103, 101, 102], [102, 103, 101, 102]]);
    const spec = makeSpec({ slippage: 0.001, takerRate: 0.0006 });
    const s = strategy(c, { signals: { entry_long: [0], exit_long: [1] } });
    const qty = 10_000 / 100.1;
    const exitFee = qty * 101.898 * 0.0006;
    const pnl = qty * (101.898 - 100.1) - 6 - exitFee;
    const expected: Partial<Trade> = {
      side: 'long', entryBar: 1, entryTs: c.ts[1], entryPrice: 100.1, exitBar: 2, exitTs: c.ts[2], exitPrice: 101.898,
      quantity: qty, notional: 10_000, margin: 10_000, fees: 6 + exitFee, funding: 0, pnl, returnPct: (100 * pnl) / 10_000, exitReason: 'signal', barsHeld: 1,
    };
    for (const [who, r] of both(s, spec)) {
      expectTrades(who, r, [expected]);
      near(r.equity[0], 10_000, `${who} equity 0`);
      near(r.equity[1], 10_000 - 6 + qty * (101 - 100.1), `${who} equity 1`);
      near(r.equity[2], 10_000 + pnl, `${who} equity 2`);
      near(r.finalEquity, 10_000 + pnl, `${who} final`);
    }
  });

  it('a short fills at open × (1 − s) and buys back at the next open × (1 + s)', () => {
    // s = 10 bps, no fee. P = 100 × 0.999 = 99.9, qty = 10 000 / 99.9; X = 98 × 1.001 = 98.098.
    // pnl = qty × (99.9 − 98.098) = qty × 1.802.
    const c = bars([FLAT, [100, 100, 97, 98], [98, 99, 97, 98], FLAT]);
    const s = strategy(c, { signals: { entry_short: [0], exit_short: [1] } });
    const qty = 10_000 / 99.9;
    check(s, makeSpec({ slippage: 0.001 }), [{ side: 'short', entryPrice: 99.9, exitPrice: 98.098, exitBar: 2, quantity: qty, pnl: qty * 1.802, exitReason: 'signal' }], 10_000 + qty * 1.802);
  });

  it('an exit and an opposite entry decided together flip at one open', () => {
    // Long from bar 1 at 100 (qty 100). Bar 2 closes 110 -> mark 11 000; exit_long + entry_short at bar 2.
    // Bar 3 open 108: long exits at 108 (pnl 800), short enters at 108 with E = 11 000 (the bar-2 mark):
    // qty 11 000 / 108. Bar 4 open 100: exit_short at bar 3 -> short pnl = (108 − 100) × 11 000 / 108.
    const c = bars([FLAT, [100, 101, 99, 100], [100, 111, 100, 110], [108, 109, 104, 105], [100, 101, 99, 100]]);
    const s = strategy(c, { signals: { entry_long: [0], exit_long: [2], entry_short: [2], exit_short: [3] } });
    const shortQty = 11_000 / 108;
    check(s, makeSpec(), [
      { side: 'long', entryBar: 1, exitBar: 3, entryPrice: 100, exitPrice: 108, pnl: 800, exitReason: 'signal' },
      { side: 'short', entryBar: 3, exitBar: 4, entryPrice: 108, exitPrice: 100, quantity: shortQty, notional: 11_000, pnl: 8 * shortQty, exitReason: 'signal' },
    ], 10_800 + 8 * shortQty);
  });
});

describe('the step: masks, conflicts, exit modes, partial exits, warm-up (§2)', () => {
  const c = bars([FLAT, FLAT, [100, 106, 99, 105], [105, 106, 104, 105], FLAT, FLAT]);

  it('long_only ignores entry_short and short_only ignores entry_long', () => {
    const s = strategy(c, { signals: { entry_short: [0], entry_long: [2] } });
    check(s, makeSpec({ allowShort: false }), [{ side: 'long', entryBar: 3, entryPrice: 105, exitBar: 5, exitReason: 'end_of_data' }], 10_000 + (100 - 105) * (10_000 / 105));
    check(s, makeSpec({ allowLong: false }), [{ side: 'short', entryBar: 1, entryPrice: 100, exitBar: 5, exitReason: 'end_of_data' }], 10_000);
  });

  it('entry_long and entry_short on the same bar: neither is taken; the mode masks first', () => {
    const s = strategy(c, { signals: { entry_long: [0], entry_short: [0] } });
    check(s, makeSpec(), [], 10_000);
    // READING: under long_only entry_short is "ignored" before the conflict rule, so the long is taken.
    check(s, makeSpec({ allowShort: false }), [{ side: 'long', entryBar: 1, exitBar: 5 }], 10_000);
  });

  it('an entry signal while a position is open is ignored', () => {
    // Long at bar 1 (100); entry_long again at 2 and entry_short at 3 change nothing.
    const s = strategy(c, { signals: { entry_long: [0, 2], entry_short: [3] } });
    check(s, makeSpec(), [{ side: 'long', entryBar: 1, exitBar: 5, exitPrice: 100, pnl: 0, exitReason: 'end_of_data' }], 10_000);
  });

  it('sl_tp_only ignores exit signals', () => {
    const s = strategy(c, { signals: { entry_long: [0], exit_long: [1], exit_all: [2] } });
    check(s, makeSpec({ signalExits: false }), [{ exitBar: 5, exitReason: 'end_of_data', pnl: 0 }], 10_000);
    check(s, makeSpec(), [{ exitBar: 2, exitPrice: 100, exitReason: 'signal' }], 10_000);
  });

  it('a partial exit closes that share of the current quantity; exitPrice is the quantity-weighted mean', () => {
    // Long 100 @ 100 (bar 1). exit_long 25% at bar 1 -> bar 2 open 110 closes 25: +250.
    // exit_all 50% at bar 2 -> bar 3 open 120 closes 37.5 of the 75 left: +750.
    // exit_long 100% at bar 3 -> bar 4 open 130 closes 37.5: +1 125. exitPrice = (25·110 + 37.5·120 + 37.5·130)/100 = 121.25.
    const p = bars([FLAT, [100, 111, 99, 110], [110, 121, 109, 120], [120, 131, 119, 130], [130, 131, 129, 130], [130, 131, 129, 130]]);
    const s = strategy(p, { signals: { entry_long: [0], exit_long: [1, 3], exit_all: [2] }, percents: { exit_long: { 1: 25 }, exit_all: { 2: 50 } } });
    for (const [who, r] of both(s, makeSpec({ takerRate: 0.001 }))) {
      // Fees: entry 10 000 × 0.001 = 10; exits 25·110·0.001 + 37.5·120·0.001 + 37.5·130·0.001 = 2.75 + 4.5 + 4.875.
      const fees = 10 + 2.75 + 4.5 + 4.875;
      expectTrades(who, r, [{ quantity: 100, exitBar: 4, exitPrice: 121.25, fees, pnl: 250 + 750 + 1125 - fees, exitReason: 'signal' }]);
      // Marks: bar 2: cash 10 000 − 10 + 250 − 2.75, 75 left at close 120 -> +1 500.
      near(r.equity[2], 10_000 - 10 + 250 - 2.75 + 75 * 20, `${who} equity 2`);
    }
  });

  it('exit_all together with exit_long: exit_all\'s percent is used (READING, the document is silent)', () => {
    const p = bars([FLAT, [100, 111, 99, 110], [110, 121, 109, 120], [120, 121, 119, 120]]);
    const s = strategy(p, { signals: { entry_long: [0], exit_long: [1], exit_all: [1] }, percents: { exit_long: { 1: 100 }, exit_all: { 1: 40 } } });
    // 40 of 100 close at bar 2 open 110 (+400); 60 close at the end at 120 (+1 200).
    check(s, makeSpec(), [{ exitBar: 3, exitPrice: (40 * 110 + 60 * 120) / 100, pnl: 1600, exitReason: 'end_of_data' }], 11_600);
  });

  it('no entry is decided before the warm-up bar', () => {
    const s = strategy(c, { signals: { entry_long: [0, 1, 3] }, warmupBars: 2 });
    // Entries at 0 and 1 are masked; the one at bar 3 (close 105) fills at bar 4 open 100.
    check(s, makeSpec(), [{ entryBar: 4, entryPrice: 100 }], 10_000);
    const exitsStillWork = strategy(c, { signals: { entry_long: [2], exit_long: [3] }, warmupBars: 2 });
    check(exitsStillWork, makeSpec(), [{ entryBar: 3, entryPrice: 105, exitBar: 4, exitPrice: 100 }], 10_000 + (100 - 105) * (10_000 / 105));
  });

  it('a position still open at the end closes at the last close with slippage and taker fee', () => {
    // P = 100 × 1.001 = 100.1, qty 10 000 / 100.1, entry fee 10. Last close 100 -> X = 99.9,
    // exit fee qty × 99.9 × 0.001.
    const s = strategy(c, { signals: { entry_long: [0] } });
    const spec = makeSpec({ slippage: 0.001, takerRate: 0.001 });
    const qty = 10_000 / 100.1;
    const x = 100 * 0.999;
    const pnl = qty * (x - 100.1) - 10 - qty * x * 0.001;
    for (const [who, r] of both(s, spec)) {
      expectTrades(who, r, [{ exitBar: 5, exitPrice: x, pnl, exitReason: 'end_of_data', barsHeld: 4 }]);
      near(r.finalEquity, 10_000 + pnl, `${who} final`);
      // READING (the engine's, see reference-backtester closeAtEndOfData): the last point includes this close.
      near(r.equity[5], 10_000 + pnl, `${who} last equity point`);
    }
  });
});

describe('stops and targets (§5)', () => {
  // Entry at bar 1 open 100 (signal bar 0).
  const entry = { entry_long: [0] };

  it('percent stop is ROI of margin: 2% is 2 points at 1x and 0.4 points at 5x', () => {
    // L = 1: stop 100 − 100·2/100/1 = 98. L = 5: stop 100 − 0.4 = 99.6; margin 10 000, notional 50 000, qty 500.
    // Bar 2 low 99.5 hits 99.6 only; bar 3 low 97.5 hits 98. Both lose 200.
    const c = bars([FLAT, [100, 100.5, 99.7, 100], [100, 100.5, 99.5, 100], [100, 100.5, 97.5, 98], FLAT]);
    const s = strategy(c, { signals: entry });
    const stop = { kind: 'percent' as const, value: 2 };
    check(s, makeSpec({ stop }), [{ exitBar: 3, exitPrice: 98, quantity: 100, pnl: -200, exitReason: 'stop_loss' }], 9_800);
    check(s, makeSpec({ stop, leverage: 5 }), [{ exitBar: 2, exitPrice: 99.6, quantity: 500, notional: 50_000, margin: 10_000, pnl: -200, returnPct: -2, exitReason: 'stop_loss' }], 9_800);
  });

  it('atr_multiple stop with an rr_ratio target, both from the signal bar\'s ATR', () => {
    // ATR at the signal bar 0 is 2 (10 at bar 1, which must NOT be used): stop 1.5 × 2 = 3 -> 97;
    // target 2 × 3 = 6 -> 106. Bar 2 (105/98) touches neither; bar 3 high 106.5 -> +600.
    const c = bars([FLAT, [100, 101, 99, 100], [100, 105, 98, 104], [104, 106.5, 103, 106], FLAT]);
    const s = strategy(c, { signals: entry, columns: { atr: [2, 10, 10, 10, 10] } });
    check(s, makeSpec({ stop: { kind: 'atr_multiple', value: 1.5, atrRef: 'atr' }, target: { kind: 'rr_ratio', value: 2 } }), [{ exitBar: 3, exitPrice: 106, pnl: 600, exitReason: 'take_profit' }], 10_600);
  });

  it('atr_multiple target and fixed_points stop and target for a short', () => {
    // Short at 100: fixed stop 5 -> 105, fixed target 8 -> 92. Bar 2 (104/93) neither; bar 3 low 91.5 -> +800.
    const c = bars([FLAT, [100, 101, 99, 100], [100, 104, 93, 95], [95, 96, 91.5, 92], FLAT]);
    const s = strategy(c, { signals: { entry_short: [0] }, columns: { atr: [4, 1, 1, 1, 1] } });
    check(s, makeSpec({ stop: { kind: 'fixed_points', value: 5 }, target: { kind: 'fixed_points', value: 8 } }), [{ side: 'short', exitBar: 3, exitPrice: 92, pnl: 800, exitReason: 'take_profit' }], 10_800);
    // ATR target 1.75 × 4 = 7 -> 93: touched at bar 2 (low 93) -> +700.
    check(s, makeSpec({ stop: { kind: 'fixed_points', value: 5 }, target: { kind: 'atr_multiple', value: 1.75, atrRef: 'atr' } }), [{ side: 'short', exitBar: 2, exitPrice: 93, pnl: 700, exitReason: 'take_profit' }], 10_700);
  });

  it('structure stop: the last swing low minus buffer_pct%, with the ROI fallback', () => {
    // READING (the engine's): the buffer is buffer_pct% of the swing level. Swing low 95, buffer 1%:
    // stop 95 × 0.99 = 94.05. Bar 2 low 94.1 no; bar 3 low 94.04 -> −595.
    const c = bars([FLAT, [100, 101, 99, 100], [100, 100.5, 94.1, 96], [96, 97, 94.04, 95], FLAT]);
    const spec = makeSpec({ stop: { kind: 'structure', value: 3, bufferPct: 1, swingKey: 'sw' } });
    const cols = (low: number): Record<string, number[]> => ({ 'sw.low_level': [low, 50, 50, 50, 50], 'sw.high_level': [120, 120, 120, 120, 120] });
    check(strategy(c, { signals: entry, columns: cols(95) }), spec, [{ exitBar: 3, exitPrice: 94.05, pnl: -595, exitReason: 'stop_loss' }], 9_405);
    // No swing known (NaN), or a swing low above P (102 -> 100.98 ≥ 100): fall back to 3% ROI -> stop 97,
    // hit at bar 2.
    check(strategy(c, { signals: entry, columns: cols(NaN) }), spec, [{ exitBar: 2, exitPrice: 97, pnl: -300 }], 9_700);
    check(strategy(c, { signals: entry, columns: cols(102) }), spec, [{ exitBar: 2, exitPrice: 97, pnl: -300 }], 9_700);
    // Short: swing high 103 + 1% -> 104.03. Bar 2 high 104 no; bar 3 high 104.5 -> −403.
    const d = bars([FLAT, [100, 101, 99, 100], [100, 104, 99, 103], [103, 104.5, 102, 104], FLAT]);
    const shortCols = { 'sw.low_level': [80, 80, 80, 80, 80], 'sw.high_level': [103, 200, 200, 200, 200] };
    check(strategy(d, { signals: { entry_short: [0] }, columns: shortCols }), spec, [{ side: 'short', exitBar: 3, exitPrice: 104.03, pnl: -403, exitReason: 'stop_loss' }], 9_597);
  });

  it('trailing_pct with activation: moves only after the check, never on a high that came after the low', () => {
    // Trail 2% of P = 2 points, activation 3% (best ≥ 103). Initial stop 98.
    // bar 1 (entry) 100/102/99: check ok; best 102 < 103, not active.
    // bar 2 101/104/100: check 100 > 98; best 104 ≥ 103 -> stop 104 − 2 = 102.
    // bar 3 103/103.5/102.5: check ok; best 104, stop 102.
    // bar 4 103/106/101: the low comes first: 101 ≤ 102 -> out at 102 (the 106 high does not count). +200.
    const c = bars([FLAT, [100, 102, 99, 101], [101, 104, 100, 103], [103, 103.5, 102.5, 103], [103, 106, 101, 105], FLAT]);
    const spec = makeSpec({ stop: { kind: 'trailing_pct', trailPct: 2, activationPct: 3 } });
    check(strategy(c, { signals: entry }), spec, [{ exitBar: 4, exitPrice: 102, pnl: 200, exitReason: 'trailing_stop' }], 10_200);
    // Without activation it trails at once: after bar 1 stop 100, after bar 2 stop 102 -> same exit.
    // A trailing stop that never moved exits as 'stop_loss' (CONVENTION, see the reference): activation
    // 10% is never reached and bar 3's low 97 reaches the initial stop 98.
    const e = bars([FLAT, [100, 102, 99, 101], [101, 104, 100, 103], [103, 103.5, 97, 98], FLAT]);
    check(strategy(e, { signals: entry }), makeSpec({ stop: { kind: 'trailing_pct', trailPct: 2, activationPct: 10 } }), [{ exitBar: 3, exitPrice: 98, pnl: -200, exitReason: 'stop_loss' }], 9_800);
  });

  it('trailing_atr follows the ATR of the last closed bar and never moves back', () => {
    // multiplier 2; ATR: bar 0 (signal) 1, then 2. Initial stop 100 − 2·1 = 98.
    // bar 1 100/103/99: check 99 > 98; best 103; last closed bar is 0: 103 − 2·1 = 101 -> stop 101.
    // bar 2 102/104/101.5: check 101.5 > 101; best 104; ATR[1] = 2: 104 − 4 = 100 < 101 -> stays 101.
    // bar 3 103/103/100.5: 100.5 ≤ 101 -> out at 101: +100.
    const c = bars([FLAT, [100, 103, 99, 102], [102, 104, 101.5, 103], [103, 103, 100.5, 101], FLAT]);
    const s = strategy(c, { signals: entry, columns: { atr: [1, 2, 2, 2, 2] } });
    check(s, makeSpec({ stop: { kind: 'trailing_atr', atrMultiplier: 2, atrRef: 'atr' } }), [{ exitBar: 3, exitPrice: 101, pnl: 100, exitReason: 'trailing_stop' }], 10_100);
  });

  it('break-even moves the stop to P × (1 + offset) once the best price is activation% beyond P', () => {
    // Stop 5% -> 95; BE at +1% (best ≥ 101) to 100 × 1.001 = 100.1.
    // bar 1 100/101.5/100.05: the check comes first (100.05 > 95), then best 101.5 -> stop 100.1.
    // bar 2 101/101.2/100: 100 ≤ 100.1 -> out at 100.1 (reason break_even): +10.
    const c = bars([FLAT, [100, 101.5, 100.05, 101], [101, 101.2, 100, 100.5], FLAT]);
    const spec = makeSpec({ stop: { kind: 'percent', value: 5 }, breakEven: { activationPct: 1, offsetPct: 0.1 } });
    check(strategy(c, { signals: entry }), spec, [{ exitBar: 2, exitPrice: 100.1, pnl: 10, exitReason: 'break_even' }], 10_010);
    // Short mirror: BE at best ≤ 99 to 100 × 0.999 = 99.9.
    // bar 1 100/100.2/98.5: the check comes first (100.2 < 105), then best 98.5 -> stop 99.9; bar 2 high 100.
    const d = bars([FLAT, [100, 100.2, 98.5, 99], [99, 100, 98.8, 99.5], FLAT]);
    check(strategy(d, { signals: { entry_short: [0] } }), spec, [{ side: 'short', exitBar: 2, exitPrice: 99.9, pnl: 10, exitReason: 'break_even' }], 10_010);
  });

  it('a bar touching both stop and target counts as the stop', () => {
    // Stop 2% -> 98, target 4% -> 104; bar 2 100/105/97 -> stop: −200.
    const c = bars([FLAT, [100, 101, 99, 100], [100, 105, 97, 101], FLAT]);
    check(strategy(c, { signals: entry }), makeSpec({ stop: { kind: 'percent', value: 2 }, target: { kind: 'percent', value: 4 } }), [{ exitBar: 2, exitPrice: 98, exitReason: 'stop_loss' }], 9_800);
  });

  it('a stop the open gapped through fills at the open (with slippage and taker fee)', () => {
    // s = 10 bps, taker 5 bps: P = 100.1, stop 2 points -> 98.1, entry fee 5. Bar 2 opens 96:
    // X = 96 × 0.999 = 95.904, exit fee qty × 95.904 × 0.0005.
    const c = bars([FLAT, [100, 101, 99, 100], [96, 97, 95, 96], FLAT]);
    const qty = 10_000 / 100.1;
    const stopSpec = makeSpec({ slippage: 0.001, takerRate: 0.0005, stop: { kind: 'fixed_points', value: 2 } });
    const pnl = qty * (95.904 - 100.1) - 5 - qty * 95.904 * 0.0005;
    check(strategy(c, { signals: entry }), stopSpec, [{ exitBar: 2, entryPrice: 100.1, exitPrice: 95.904, pnl, exitReason: 'stop_loss' }], 10_000 + pnl);
    // Short: P = 99.9 (open × 0.999), stop 101.9; bar 2 opens 104 -> 104 × 1.001 = 104.104.
    const d = bars([FLAT, [100, 101, 99, 100], [104, 105, 103, 104], FLAT]);
    const sq = 10_000 / 99.9;
    const spnl = sq * (99.9 - 104.104) - 5 - sq * 104.104 * 0.0005;
    check(strategy(d, { signals: { entry_short: [0] } }), stopSpec, [{ side: 'short', exitPrice: 104.104, pnl: spnl, exitReason: 'stop_loss' }], 10_000 + spnl);
  });

  it('Market targets pay slippage and taker fee (at the open when gapped); Limit targets fill at their price with the maker fee', () => {
    // s = 10 bps, taker 5 bps, maker 2 bps. P = 100.1, qty = 10 000 / 100.1, entry fee 5.
    // Target 4 points -> 104.1. Bar 2 opens 103, high 105.
    const c = bars([FLAT, [100, 101, 99, 100], [103, 105, 102, 104], [106, 107, 105, 106], FLAT]);
    const qty = 10_000 / 100.1;
    const base = { slippage: 0.001, takerRate: 0.0005, makerRate: 0.0002 };
    const limitPnl = qty * 4 - 5 - qty * 104.1 * 0.0002;
    check(strategy(c, { signals: entry }), makeSpec({ ...base, target: { kind: 'fixed_points', value: 4, limitOrder: true } }), [{ exitBar: 2, exitPrice: 104.1, pnl: limitPnl, exitReason: 'take_profit' }], 10_000 + limitPnl);
    const mx = 104.1 * 0.999;
    const marketPnl = qty * (mx - 100.1) - 5 - qty * mx * 0.0005;
    check(strategy(c, { signals: entry }), makeSpec({ ...base, target: { kind: 'fixed_points', value: 4 } }), [{ exitBar: 2, exitPrice: mx, pnl: marketPnl }], 10_000 + marketPnl);
    // Target 5 points -> 105.1: not reached at bar 2 (high 105); bar 3 opens 106 above it.
    // Market: at the open 106 × 0.999; Limit: still at 105.1.
    const gx = 106 * 0.999;
    const gapMarket = qty * (gx - 100.1) - 5 - qty * gx * 0.0005;
    check(strategy(c, { signals: entry }), makeSpec({ ...base, target: { kind: 'fixed_points', value: 5 } }), [{ exitBar: 3, exitPrice: gx, pnl: gapMarket }], 10_000 + gapMarket);
    const gapLimit = qty * 5 - 5 - qty * 105.1 * 0.0002;
    check(strategy(c, { signals: entry }), makeSpec({ ...base, target: { kind: 'fixed_points', value: 5, limitOrder: true } }), [{ exitBar: 3, exitPrice: 105.1, pnl: gapLimit }], 10_000 + gapLimit);
  });

  it('READING: a target the open gapped through is hit at the open even when the bar later touches the stop', () => {
    // Stop 98, target 104. Bar 2 opens 106 (beyond the target), then trades down to 97. The open is the
    // bar's first price, so the target is taken at the open: +600 (the document's "touches both -> stop"
    // rule is about the unknown order INSIDE the bar).
    const c = bars([FLAT, [100, 101, 99, 100], [106, 107, 97, 98], FLAT]);
    check(strategy(c, { signals: entry }), makeSpec({ stop: { kind: 'fixed_points', value: 2 }, target: { kind: 'fixed_points', value: 4 } }), [{ exitBar: 2, exitPrice: 106, pnl: 600, exitReason: 'take_profit' }], 10_600);
  });
});

describe('a stop trailed past the target, both gapped at the open (§5)', () => {
  it('an open beyond the target is taken at the open (Market) or the target (Limit)', () => {
    // Long limit 99 fills on bar 1 (100/110/98.5/109); targets are not checked on the fill bar and the
    // 1% trail (0.99) does not move there either (§3): stop 98.01, target 101. Bar 2 opens at 108,
    // beyond the target: a Limit target fills at 101 (qty × 2), a Market one at the open 108 (qty × 9).
    const c = bars([FLAT, [100, 110, 98.5, 109], [108, 108.5, 107, 108], FLAT]);
    const qty = 10_000 / 99;
    const spec = (limitOrder: boolean): ExecutionSpec => makeSpec({ entry: { limit: true, offsetPct: 1, tif: 'GTC', expireAfterBars: 0 }, stop: { kind: 'trailing_pct', trailPct: 1 }, target: { kind: 'fixed_points', value: 2, limitOrder } });
    check(strategy(c, { signals: { entry_long: [0] } }), spec(true), [{ entryBar: 1, exitBar: 2, exitPrice: 101, pnl: 2 * qty, exitReason: 'take_profit' }], 10_000 + 2 * qty);
    check(strategy(c, { signals: { entry_long: [0] } }), spec(false), [{ entryBar: 1, exitBar: 2, exitPrice: 108, pnl: 9 * qty, exitReason: 'take_profit' }], 10_000 + 9 * qty);
  });

  it('a limit fill bar\'s high does not move the trailing stop (it may have come before the fill)', () => {
    // Long limit 99 fills on bar 1, which opened at 101 and reached 103 — possibly before the fill. With a
    // 1% trail the stop stays at 99 − 0.99 = 98.01 instead of following 103 to 102.01 (which bar 2's
    // open at 99.5 would have hit, booking a "profit" the fill never saw). Bar 2 (99.5/99.8/99.2) moves
    // it legitimately to 99.8 − 0.99 = 98.81; bar 3 (low 99.5) stays above; the trade ends at the last
    // close 100: qty × (100 − 99).
    const c = bars([FLAT, [101, 103, 98.5, 100], [99.5, 99.8, 99.2, 99.5], FLAT]);
    const qty = 10_000 / 99;
    const spec = makeSpec({ entry: { limit: true, offsetPct: 1, tif: 'GTC', expireAfterBars: 0 }, stop: { kind: 'trailing_pct', trailPct: 1 } });
    check(strategy(c, { signals: { entry_long: [0] } }), spec, [{ entryBar: 1, exitBar: 3, exitPrice: 100, pnl: qty, exitReason: 'end_of_data' }], 10_000 + qty);
  });
});

describe('finer candles decide the order inside a bar (§5)', () => {
  // 1h exec bars; bar 2 (100/105/97) touches stop 98 and target 104. Its four 15m bars decide.
  const c = bars([FLAT, [100, 101, 99, 100], [100, 105, 97, 101], FLAT]);
  const spec = makeSpec({ stop: { kind: 'fixed_points', value: 2 }, target: { kind: 'fixed_points', value: 4 } });
  const s = strategy(c, { signals: { entry_long: [0] } });
  const sub = (rows: Row[]): Candles => bars([FLAT, FLAT, FLAT, FLAT, FLAT, FLAT, FLAT, FLAT, ...rows, FLAT, FLAT, FLAT, FLAT], HOUR / 4, c.ts[0]);

  it('target first', () => {
    check(s, spec, [{ exitBar: 2, exitPrice: 104, pnl: 400, exitReason: 'take_profit' }], 10_400, { subCandles: sub([[100, 104.5, 99.5, 104], [104, 104, 97, 98], [98, 101, 98, 100], [100, 101, 100, 101]]) });
  });

  it('stop first', () => {
    check(s, spec, [{ exitBar: 2, exitPrice: 98, pnl: -200, exitReason: 'stop_loss' }], 9_800, { subCandles: sub([[100, 101, 99.5, 100], [100, 100, 97, 98], [98, 105, 98, 104], [104, 104, 100, 101]]) });
  });

  it('one sub-bar touching both still counts as the stop', () => {
    check(s, spec, [{ exitBar: 2, exitPrice: 98, exitReason: 'stop_loss' }], 9_800, { subCandles: sub([[100, 101, 99.5, 100], [100, 105, 97, 98], [98, 101, 98, 100], [100, 101, 100, 101]]) });
  });

  it('a bar its finer candles do not cover completely is judged on its own range', () => {
    // The target-first path of bar 2 with its last 15m bar missing: the replay could miss a stop in the
    // hole, so bar 2 falls back to the bar rule — it touches both 98 and 104, the stop counts.
    const full = sub([[100, 104.5, 99.5, 104], [104, 104, 97, 98], [98, 101, 98, 100], [100, 101, 100, 101]]);
    const missing = 8 + 3; // index of bar 2's fourth 15m bar
    const holed = allocateCandles(full.length - 1);
    for (const k of ['ts', 'open', 'high', 'low', 'close', 'volume'] as const) {
      holed[k].set(full[k].subarray(0, missing));
      holed[k].set(full[k].subarray(missing + 1), missing);
    }
    check(s, spec, [{ exitBar: 2, exitPrice: 98, pnl: -200, exitReason: 'stop_loss' }], 9_800, { subCandles: holed });
  });

  it('a trailing stop moves between sub-bars: high in the first sub-bar, low later', () => {
    // Trail 2 points (2% of 100) at once. Sub-bars of bar 2: 100/104/99.5 (check ok, best 104 -> stop 102),
    // then 103/103/101.5 -> out at 102: +200. On the 1h bar alone (100/104/99.5… low 99.5 > 98 first,
    // then best 104 -> 102) the exit would only come at bar 3.
    const d = bars([FLAT, [100, 100.5, 99.6, 100], [100, 104, 99.5, 102], [102, 102.5, 101.9, 102], FLAT]);
    const trail = makeSpec({ stop: { kind: 'trailing_pct', trailPct: 2 } });
    const subs = sub([[100, 104, 99.5, 103], [103, 103, 101.5, 102], [102, 102.5, 101.8, 102], [102, 102, 101.9, 102]]);
    check(strategy(d, { signals: { entry_long: [0] } }), trail, [{ exitBar: 2, exitPrice: 102, pnl: 200, exitReason: 'trailing_stop' }], 10_200, { subCandles: subs });
    check(strategy(d, { signals: { entry_long: [0] } }), trail, [{ exitBar: 3, exitPrice: 102, pnl: 200, exitReason: 'trailing_stop' }], 10_200);
  });
});

describe('limit entries (§3)', () => {
  // Signal bar 0 closes 100; limit offset 1% -> a long rests at 99, a short at 101.
  const limit = (over: Partial<ExecutionSpec['entry']>): ExecutionSpec => makeSpec({ makerRate: 0.0002, takerRate: 0.0006, slippage: 0.001, entry: { limit: true, offsetPct: 1, tif: 'GTC', expireAfterBars: 0, ...over } });

  it('GTC fills at the limit price when the low reaches it, maker fee, no slippage', () => {
    // Bar 1 low 99.5: no. Bar 2 low 98.8: fill at 99, qty = 10 000 / 99 (E = bar-0 mark), fee 10 000 × 0.0002 = 2.
    const c = bars([FLAT, [100, 100.5, 99.5, 100], [100, 100.2, 98.8, 99.5], [99.5, 100, 99.2, 99.8], FLAT]);
    const qty = 10_000 / 99;
    const x = 100 * 0.999;
    const pnl = qty * (x - 99) - 2 - qty * x * 0.0006;
    check(strategy(c, { signals: { entry_long: [0] } }), limit({}), [{ entryBar: 2, entryPrice: 99, quantity: qty, notional: 10_000, fees: 2 + qty * x * 0.0006, exitBar: 4, exitPrice: x, pnl }], 10_000 + pnl);
    // A short rests at 101 and fills when the high reaches it.
    const d = bars([FLAT, [100, 100.8, 99.5, 100], [100, 101.3, 99.8, 101], FLAT]);
    const sq = 10_000 / 101;
    const sx = 100 * 1.001;
    const spnl = sq * (101 - sx) - 2 - sq * sx * 0.0006;
    check(strategy(d, { signals: { entry_short: [0] } }), limit({}), [{ side: 'short', entryBar: 2, entryPrice: 101, exitPrice: sx, pnl: spnl }], 10_000 + spnl);
  });

  it('a market that gaps through a resting GTC limit fills it at the limit price', () => {
    // Bar 1 opens 98 (< 99): still 99, maker.
    const c = bars([FLAT, [98, 99.5, 97.5, 99], FLAT]);
    const qty = 10_000 / 99;
    check(strategy(c, { signals: { entry_long: [0] } }), limit({}), [{ entryBar: 1, entryPrice: 99, fees: 2 + qty * 99.9 * 0.0006 }], 10_000 + qty * (99.9 - 99) - 2 - qty * 99.9 * 0.0006);
  });

  it('expire_after_bars N cancels an order still unfilled after N bars', () => {
    // Lows: bar 1 99.5, bar 2 99.2, bar 3 98.5. N = 2 -> cancelled after bar 2; N = 3 -> fills at bar 3.
    const c = bars([FLAT, [100, 100.5, 99.5, 100], [100, 100.5, 99.2, 100], [100, 100.5, 98.5, 100], FLAT]);
    const s = strategy(c, { signals: { entry_long: [0] } });
    check(s, limit({ expireAfterBars: 2 }), [], 10_000);
    check(s, limit({ expireAfterBars: 3 }), [{ entryBar: 3, entryPrice: 99 }], 10_000 + (10_000 / 99) * (99.9 - 99) - 2 - (10_000 / 99) * 99.9 * 0.0006);
  });

  it('while a limit rests new entry signals are ignored; an exit signal cancels it', () => {
    // Order at 99 from bar 0. entry_long at bar 1 (close 100.5) would rest at 99.495: ignored, so bar 2
    // (low 99.2) does not fill. exit_long at bar 2 cancels the order: bar 3 (low 98) does not fill either.
    const c = bars([FLAT, [100, 100.6, 99.6, 100.5], [100.5, 100.6, 99.2, 100], [100, 100.5, 98, 100], FLAT]);
    check(strategy(c, { signals: { entry_long: [0, 1], exit_long: [2] } }), limit({}), [], 10_000);
    // Without the exit signal the bar-0 order fills at bar 3 at 99.
    check(strategy(c, { signals: { entry_long: [0, 1] } }), limit({}), [{ entryBar: 3, entryPrice: 99 }], 10_000 + (10_000 / 99) * (99.9 - 99) - 2 - (10_000 / 99) * 99.9 * 0.0006);
  });

  it('IOC/FOK fill at the first bar\'s open when it is already through the limit (taker fee), else cancel', () => {
    // Limit 99. Bar 1 opens 98.95 (through): fill AT THE OPEN 98.95 with the taker fee
    // 10 000 × 0.0006 = 6 — the document names no slippage, and 98.95 × 1.001 = 99.04 would be worse
    // than the order's own limit of 99, which a limit order can never be.
    const c = bars([FLAT, [98.95, 99.5, 98.5, 99], [99, 99.5, 98.5, 99], FLAT]);
    const qty = 10_000 / 98.95;
    const x = 100 * 0.999;
    const pnl = qty * (x - 98.95) - 6 - qty * x * 0.0006;
    for (const tif of ['IOC', 'FOK'] as const) {
      check(strategy(c, { signals: { entry_long: [0] } }), limit({ tif }), [{ entryBar: 1, entryPrice: 98.95, quantity: qty, fees: 6 + qty * x * 0.0006, pnl }], 10_000 + pnl);
      // Bar 1 opens 99.5 (not through) and then trades down to 98: cancelled, no trade.
      const d = bars([FLAT, [99.5, 99.8, 98, 99], [99, 99.5, 98, 99], FLAT]);
      check(strategy(d, { signals: { entry_long: [0] } }), limit({ tif }), [], 10_000);
    }
  });

  it('PostOnly is cancelled when the first open is through the limit, else rests like GTC', () => {
    const through = bars([FLAT, [98.95, 99.5, 98.5, 99], [99, 99.5, 98.5, 99], FLAT]);
    check(strategy(through, { signals: { entry_long: [0] } }), limit({ tif: 'PostOnly' }), [], 10_000);
    const rests = bars([FLAT, [100, 100.5, 99.5, 100], [100, 100.5, 98.5, 99], FLAT]);
    const qty = 10_000 / 99;
    check(strategy(rests, { signals: { entry_long: [0] } }), limit({ tif: 'PostOnly' }), [{ entryBar: 2, entryPrice: 99, fees: 2 + qty * 99.9 * 0.0006 }], 10_000 + qty * 0.9 - 2 - qty * 99.9 * 0.0006);
  });

  it('on the fill bar only the stop is checked', () => {
    // Limit 99 fills at bar 1; stop 2% -> 97.02, target 4% -> 102.96 (no slippage/fees here).
    const spec = makeSpec({ entry: { limit: true, offsetPct: 1, tif: 'GTC', expireAfterBars: 0 }, stop: { kind: 'percent', value: 2 }, target: { kind: 'percent', value: 4 } });
    const qty = 10_000 / 99;
    // Bar 1 100/110/96.5 touches both: the stop wins (97.02).
    const a = bars([FLAT, [100, 110, 96.5, 100], FLAT]);
    check(strategy(a, { signals: { entry_long: [0] } }), spec, [{ entryBar: 1, exitBar: 1, entryPrice: 99, exitPrice: 97.02, pnl: qty * (97.02 - 99), exitReason: 'stop_loss', barsHeld: 0 }], 10_000 + qty * (97.02 - 99));
    // Bar 1 100/110/98.5 touches only the target: not taken on the fill bar; bar 2 high 103 takes it.
    const b = bars([FLAT, [100, 110, 98.5, 100], [100, 103, 99.5, 102], FLAT]);
    check(strategy(b, { signals: { entry_long: [0] } }), spec, [{ entryBar: 1, exitBar: 2, exitPrice: 102.96, pnl: qty * 3.96, exitReason: 'take_profit' }], 10_000 + qty * 3.96);
    // READING (the engine's; "the worse case is assumed"): bar 1 opens at 96, through the limit AND the
    // stop: the limit fills at its own 99, the stop at the open 96: qty × (96 − 99).
    const g = bars([FLAT, [96, 97, 95.5, 96.5], FLAT]);
    check(strategy(g, { signals: { entry_long: [0] } }), spec, [{ entryBar: 1, exitBar: 1, entryPrice: 99, exitPrice: 96, pnl: qty * -3, exitReason: 'stop_loss' }], 10_000 - 3 * qty);
  });

  it('with finer candles the replay starts at the sub-bar of the fill', () => {
    // Limit 99, stop 97.02, target 102.96. 15m bars of bar 1: 100/103.5/99.5 (target level passed BEFORE
    // the fill), 99.5/99.8/98.9 (fill at 99; only the stop is checked), 99/103/98.9 (target) -> +3.96 × qty.
    const c = bars([FLAT, [100, 103.5, 98.9, 101], FLAT]);
    const subs = bars([FLAT, FLAT, FLAT, FLAT, [100, 103.5, 99.5, 99.5], [99.5, 99.8, 98.9, 99], [99, 103, 98.9, 101], [101, 101, 100.5, 101], FLAT, FLAT, FLAT, FLAT], HOUR / 4, c.ts[0]);
    const spec = makeSpec({ entry: { limit: true, offsetPct: 1, tif: 'GTC', expireAfterBars: 0 }, stop: { kind: 'percent', value: 2 }, target: { kind: 'percent', value: 4 } });
    const qty = 10_000 / 99;
    check(strategy(c, { signals: { entry_long: [0] } }), spec, [{ entryBar: 1, exitBar: 1, exitPrice: 102.96, pnl: qty * 3.96, exitReason: 'take_profit' }], 10_000 + qty * 3.96, { subCandles: subs });
  });

  it('the trailing ATR distance on a limit entry\'s fill bar follows the last closed bar', () => {
    // Signal bar 0 (ATR 1) places a long at 99 (offset 1%); bar 1 (low 99.5) does not fill; ATR[1] = 3.
    // Bar 2 100/101/98.9 fills at 99: initial stop 99 − 2·ATR[0] = 97. After the fill bar's stop check the
    // trail moves with its high 101 and "the ATR of the last closed bar", bar 1: 101 − 2·3 = 95 < 97 ->
    // the stop stays 97. Bar 3 97.5/98/96.9 -> out at 97: qty × (97 − 99).
    // (With the signal bar's ATR it would move to 101 − 2 = 99 and exit at 99.)
    const c = bars([FLAT, [100, 100.5, 99.5, 100], [100, 101, 98.9, 99.5], [97.5, 98, 96.9, 97], FLAT]);
    const spec = makeSpec({ entry: { limit: true, offsetPct: 1, tif: 'GTC', expireAfterBars: 0 }, stop: { kind: 'trailing_atr', atrMultiplier: 2, atrRef: 'atr' } });
    const qty = 10_000 / 99;
    check(strategy(c, { signals: { entry_long: [0] }, columns: { atr: [1, 3, 3, 3, 3] } }), spec, [{ entryBar: 2, exitBar: 3, exitPrice: 97, pnl: qty * -2, exitReason: 'stop_loss' }], 10_000 - 2 * qty);
  });
});

describe('size, leverage, liquidation, funding, halts (§4, §6, §7, §2)', () => {
  // Narrow bars (no stop below 99.5 is touched), last close 100: every sizing case ends at pnl 0.
  const c = bars([FLAT, [100, 100.2, 99.8, 100], [100, 100.2, 99.8, 100], [100, 100.2, 99.8, 100], [100, 100.2, 99.8, 100]]);

  it('percent_equity: margin E·v/100, notional margin × L', () => {
    // v = 50, L = 3: margin 5 000, notional 15 000, qty 150.
    check(strategy(c, { signals: { entry_long: [0] } }), makeSpec({ leverage: 3, sizing: { model: 'percent_equity', value: 50 } }), [{ quantity: 150, notional: 15_000, margin: 5_000 }], 10_000);
  });

  it('risk_based: quantity E·v/100 / |P − SL|, capped at notional E × L', () => {
    // 1% risk = 100 USDT over a 2-point stop: qty 50, notional 5 000, margin 5 000 (L = 1).
    check(strategy(c, { signals: { entry_long: [0] } }), makeSpec({ stop: { kind: 'fixed_points', value: 2 }, sizing: { model: 'risk_based', value: 1 } }), [{ quantity: 50, notional: 5_000 }], 10_000);
    // 0.5-point stop: qty 200 -> notional 20 000 > E × L = 10 000 -> capped: qty 100.
    check(strategy(c, { signals: { entry_long: [0] } }), makeSpec({ stop: { kind: 'fixed_points', value: 0.5 }, sizing: { model: 'risk_based', value: 1 } }), [{ quantity: 100, notional: 10_000 }], 10_000);
    // L = 3: the cap is 30 000 -> qty 200, margin 20 000 / 3.
    check(strategy(c, { signals: { entry_long: [0] } }), makeSpec({ leverage: 3, stop: { kind: 'fixed_points', value: 0.5 }, sizing: { model: 'risk_based', value: 1 } }), [{ quantity: 200, notional: 20_000, margin: 20_000 / 3 }], 10_000);
  });

  it('fixed_usdt: margin v, notional v × L, capped at E × L', () => {
    check(strategy(c, { signals: { entry_long: [0] } }), makeSpec({ leverage: 2, sizing: { model: 'fixed_usdt', value: 3_000 } }), [{ quantity: 60, notional: 6_000, margin: 3_000 }], 10_000);
    check(strategy(c, { signals: { entry_long: [0] } }), makeSpec({ leverage: 2, sizing: { model: 'fixed_usdt', value: 12_000 } }), [{ quantity: 200, notional: 20_000, margin: 10_000 }], 10_000);
  });

  it('orders below the minimum notional are not placed', () => {
    const s = strategy(c, { signals: { entry_long: [0] } });
    check(s, makeSpec({ minNotional: 10, sizing: { model: 'fixed_usdt', value: 5 } }), [], 10_000);
    check(s, makeSpec({ minNotional: 10, sizing: { model: 'fixed_usdt', value: 20 } }), [{ notional: 20 }], 10_000);
  });

  it('liquidation at 10x loses the whole isolated margin plus the entry fee', () => {
    // v = 50%, L = 10: margin 5 000, notional 50 000, qty 500, entry fee 50 000 × 0.0006 = 30.
    // Liquidation price 100 × (1 − 1/10 + 0.005) = 90.5; bar 2 low 90 -> pnl −5 000 − 30.
    // READING: the liquidation is recorded at the liquidation price, no exit fee.
    const d = bars([FLAT, [100, 101, 99, 100], [100, 100, 90, 91], FLAT]);
    const spec = makeSpec({ leverage: 10, takerRate: 0.0006, sizing: { model: 'percent_equity', value: 50 } });
    check(strategy(d, { signals: { entry_long: [0] } }), spec, [{ exitBar: 2, exitPrice: 90.5, fees: 30, pnl: -5_030, exitReason: 'liquidation' }], 4_970);
    // A stop beyond the liquidation price (120% ROI = 12 points -> 88) does not save it.
    check(strategy(d, { signals: { entry_long: [0] } }), { ...spec, stop: { ...spec.stop, kind: 'percent', value: 120 } }, [{ exitReason: 'liquidation', pnl: -5_030 }], 4_970);
    // A stop before it (50% ROI = 5 points -> 95) exits first: 500 × −5 − 30 − 500 × 95 × 0.0006.
    check(strategy(d, { signals: { entry_long: [0] } }), { ...spec, stop: { ...spec.stop, kind: 'percent', value: 50 } }, [{ exitReason: 'stop_loss', exitPrice: 95, pnl: -2_500 - 30 - 28.5 }], 10_000 - 2_558.5);
    // Short: 100 × (1 + 0.1 − 0.005) = 109.5; bar 2 high 110.
    const e = bars([FLAT, [100, 101, 99, 100], [100, 110, 99, 109], FLAT]);
    check(strategy(e, { signals: { entry_short: [0] } }), spec, [{ side: 'short', exitPrice: 109.5, pnl: -5_030, exitReason: 'liquidation' }], 4_970);
  });

  it('funding is charged on the position held at the bar\'s start, at the bar\'s open', () => {
    // Long 100 from bar 1's open. funding[1] = 0.001: not charged (the position filled at that open).
    // funding[2] = 0.001 at open 102: the long pays 100 × 102 × 0.001 = 10.2.
    // funding[3] = −0.0005 at open 104: held at the bar's start (the exit fills at that open) -> receives 5.2.
    // funding[4] = 0.001: flat. Trade funding −10.2 + 5.2 = −5; pnl 400 − 5.
    const d = bars([FLAT, [100, 101, 99, 100], [102, 103, 101, 102], [104, 105, 103, 104], [104, 105, 103, 104]]);
    const funding = Float64Array.from([NaN, 0.001, 0.001, -0.0005, 0.001]);
    for (const [who, r] of both(strategy(d, { signals: { entry_long: [0], exit_long: [2] } }), makeSpec(), { funding })) {
      expectTrades(who, r, [{ exitBar: 3, exitPrice: 104, funding: -5, pnl: 395 }]);
      near(r.equity[2], 10_000 - 10.2 + 200, `${who} equity 2`);
      near(r.finalEquity, 10_395, `${who} final`);
    }
    // The short mirror receives 10.2 and pays 5.2: +5; pnl −400 + 5.
    check(strategy(d, { signals: { entry_short: [0], exit_short: [2] } }), makeSpec(), [{ side: 'short', funding: 5, pnl: -395 }], 9_605, { funding });
  });

  it('max_drawdown_pct: breached at a mark -> closed at the next open, no further entries', () => {
    // 10% limit. Long 100 @ 100; bar 2 closes 89 -> 8 900 < 10 000 × 0.9 -> halted at bar 2.
    // Bar 3 open 90: closed (−1 000, reason max_drawdown). entry_long at 3 and 4 are ignored.
    const d = bars([FLAT, [100, 101, 99, 100], [100, 100, 88, 89], [90, 91, 89, 90], [90, 91, 89, 90], FLAT]);
    const s = strategy(d, { signals: { entry_long: [0, 3, 4] } });
    for (const [who, r] of both(s, makeSpec({ maxDrawdownPct: 10 }))) {
      expectTrades(who, r, [{ exitBar: 3, exitPrice: 90, pnl: -1_000, exitReason: 'max_drawdown' }]);
      expect(r.haltedAtBar, `${who} haltedAtBar`).toBe(2);
      near(r.finalEquity, 9_000, `${who} final`);
    }
    // At 15% the same path never halts: the long stays open to the end (close 100).
    check(s, makeSpec({ maxDrawdownPct: 15 }), [{ exitBar: 5, exitReason: 'end_of_data', pnl: 0 }], 10_000);
  });
});

describe('more of the time line and the step (§1, §2, §3, §6, §7)', () => {
  const limitSpec = (over: Partial<ExecutionSpec> = {}): ExecutionSpec => makeSpec({ entry: { limit: true, offsetPct: 1, tif: 'GTC', expireAfterBars: 0 }, ...over });

  it('a drawdown halt cancels a resting limit entry', () => {
    // Long limit 99 (bar-0 close 100) fills at bar 2; exit_long + entry_short at bar 2: the long leaves at
    // bar 3's open 85 (qty 10 000/99 × −14), a short limit rests at 100 × 1.01 = 101. Bar 3 marks
    // 10 000 − 140 000/99 = 8 585.86 < 9 000 -> halted at bar 3: the short (bar 4 high 102) never fills.
    const c = bars([FLAT, [100, 100.5, 99.5, 100], [100, 101, 99, 100], [85, 86, 84, 85], [85, 102, 84, 86], FLAT]);
    const s = strategy(c, { signals: { entry_long: [0], exit_long: [2], entry_short: [2] } });
    const afterLong = 10_000 - (14 * 10_000) / 99;
    for (const [who, r] of both(s, limitSpec({ maxDrawdownPct: 10 }))) {
      expectTrades(who, r, [{ side: 'long', entryBar: 2, exitBar: 3, exitPrice: 85, exitReason: 'signal' }]);
      expect(r.haltedAtBar, `${who} haltedAtBar`).toBe(3);
      near(r.finalEquity, afterLong, `${who} final`);
    }
    // Without the limit the short fills at 101 on bar 4, sized on the bar-2 mark 10 000 + 10 000/99.
    const shortQty = (10_000 + 10_000 / 99) / 101;
    check(s, limitSpec(), [{ side: 'long', exitBar: 3 }, { side: 'short', entryBar: 4, entryPrice: 101, quantity: shortQty, exitBar: 5, pnl: shortQty }], afterLong + shortQty);
  });

  it('only an exit signal of the order\'s side (or exit_all) cancels a resting limit, and not under sl_tp_only', () => {
    // Long limit 99 from bar 0; exit_short (or exit_long under sl_tp_only) at bar 1; bar 2 low 98.5 fills it.
    const c = bars([FLAT, [100, 100.5, 99.5, 100], [100, 100.5, 98.5, 99], FLAT]);
    const gain = 10_000 / 99; // qty × (100 − 99) at the last close
    check(strategy(c, { signals: { entry_long: [0], exit_short: [1] } }), limitSpec(), [{ entryBar: 2, entryPrice: 99 }], 10_000 + gain);
    check(strategy(c, { signals: { entry_long: [0], exit_long: [1] } }), limitSpec({ signalExits: false }), [{ entryBar: 2, entryPrice: 99 }], 10_000 + gain);
    check(strategy(c, { signals: { entry_long: [0], exit_all: [1] } }), limitSpec(), [], 10_000);
  });

  it('the last bar\'s decisions are never executed', () => {
    const c = bars([FLAT, FLAT, FLAT]);
    check(strategy(c, { signals: { entry_long: [2] } }), makeSpec(), [], 10_000);
    // Decided at bar 1, filled at the last bar's open 100 and closed at its close 100.5: +50.
    const d = bars([FLAT, FLAT, [100, 101, 99, 100.5]]);
    check(strategy(d, { signals: { entry_long: [1] } }), makeSpec(), [{ entryBar: 2, exitBar: 2, exitPrice: 100.5, pnl: 50, exitReason: 'end_of_data', barsHeld: 0 }], 10_050);
  });

  it('a liquidation after a partial exit loses the margin of what is left', () => {
    // L = 10, 50%: qty 500 @ 100 (margin 5 000). exit_long 50% at bar 1 -> 250 close at bar 2 open 100 (0).
    // Bar 3 low 85 ≤ 90.5: the remaining 250 lose their margin 250 × 100 / 10 = 2 500.
    // exitPrice = (250 × 100 + 250 × 90.5) / 500 = 95.25.
    const c = bars([FLAT, FLAT, [100, 100.5, 99.5, 100], [100, 100, 85, 86], FLAT]);
    const s = strategy(c, { signals: { entry_long: [0], exit_long: [1] }, percents: { exit_long: { 1: 50 } } });
    check(s, makeSpec({ leverage: 10, sizing: { model: 'percent_equity', value: 50 } }), [{ quantity: 500, exitBar: 3, exitPrice: 95.25, pnl: -2_500, exitReason: 'liquidation' }], 7_500);
  });

  it('a stop gapped through beyond the liquidation price is a liquidation: isolated margin caps the loss', () => {
    // L = 10, 50%: qty 500 @ 100, margin 5 000, liquidation 90.5, stop 50% ROI = 5 points -> 95. Bar 2
    // opens at 85, beyond both: the stop would fill at 85 (−7 500, more than the margin), which §6 makes
    // a liquidation: −5 000 at the liquidation price.
    const c = bars([FLAT, FLAT, [85, 86, 84, 85], FLAT]);
    const spec = makeSpec({ leverage: 10, stop: { kind: 'percent', value: 50 }, sizing: { model: 'percent_equity', value: 50 } });
    check(strategy(c, { signals: { entry_long: [0] } }), spec, [{ exitBar: 2, exitPrice: 90.5, pnl: -5_000, exitReason: 'liquidation' }], 5_000);
    // Without the stop the same gap liquidates the same way.
    check(strategy(c, { signals: { entry_long: [0] } }), makeSpec({ leverage: 10, sizing: { model: 'percent_equity', value: 50 } }), [{ exitBar: 2, exitPrice: 90.5, pnl: -5_000, exitReason: 'liquidation' }], 5_000);
    // A gap that stays inside the liquidation price still fills the stop at the open: 500 × (92 − 100) = −4 000.
    const mild = bars([FLAT, FLAT, [92, 93, 91, 92], FLAT]);
    check(strategy(mild, { signals: { entry_long: [0] } }), spec, [{ exitBar: 2, exitPrice: 92, pnl: -4_000, exitReason: 'stop_loss' }], 6_000);
  });

  it('on a flip bar the funding falls on the position held before the open', () => {
    // Rates 1% at bars 1-3, prices 100. Long from bar 1's open (not charged at bar 1); flip at bar 2's
    // open: the long pays 100 × 100 × 0.01 = 100 at bar 2; the short (qty 100) receives 100 at bar 3.
    const c = bars([FLAT, FLAT, FLAT, FLAT, FLAT]);
    const funding = Float64Array.from([NaN, 0.01, 0.01, 0.01, NaN]);
    const s = strategy(c, { signals: { entry_long: [0], exit_long: [1], entry_short: [1] } });
    check(s, makeSpec(), [{ side: 'long', exitBar: 2, funding: -100, pnl: -100 }, { side: 'short', entryBar: 2, quantity: 100, funding: 100, pnl: 100 }], 10_000, { funding });
  });
});

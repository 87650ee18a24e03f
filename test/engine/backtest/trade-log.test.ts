// TradeLog keeps closed trades as columns: the objects it builds and the sums it keeps must be exactly what a
// list of Trade objects gives.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/common/index.ts';
import * as T from '../../../src/engine/backtest/trade-log.ts';
import type { ExitReason, Trade } from '../../../src/engine/index.ts';

const REASONS: ExitReason[] = ['signal', 'stop_loss', 'take_profit', 'trailing_stop', 'break_even', 'liquidation', 'max_drawdown', 'end_of_data'];

function randomTrade(rng: ReturnType<typeof createRng>, k: number): Trade {
  const entryBar = k * 10, exitBar = entryBar + 1 + Math.floor(rng.next() * 9);
  const pnl = (rng.next() - 0.45) * 100;
  return {
    side: rng.next() < 0.5 ? 'long' : 'short', entryBar, entryTs: entryBar * 60_000, entryPrice: 100 + rng.next(), exitBar,
    exitTs: exitBar * 60_000, exitPrice: 100 + rng.next(), quantity: rng.next(), notional: 1000 * rng.next(), margin: 100 * rng.next(),
    fees: rng.next(), funding: rng.next() - 0.5, pnl, returnPct: pnl / 100, exitReason: REASONS[k % REASONS.length], barsHeld: exitBar - entryBar,
  };
}

describe('TradeLog', () => {
  it('grows past its first capacity and gives back the same trades and the same sums as the objects', () => {
    const rng = createRng(5);
    const want = Array.from({ length: 300 }, (_, k) => randomTrade(rng, k));
    const log = new T.TradeLog();
    for (const t of want) log.push(t);
    expect(log.length).toBe(300);
    expect(log.toTrades()).toEqual(want);
    expect(log.toTrades()).toBe(log.toTrades()); // built once per length
    expect(log.sums()).toEqual(T.tradeSumsOf(want));
    expect(T.tradeSumsOf([])).toEqual(T.emptyTradeSums());
  });
});

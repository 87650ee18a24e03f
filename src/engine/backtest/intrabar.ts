// Stop, target and liquidation inside one bar or sub-bar (docs/engine.md §5-6).
import type { Candles } from '../../data/index.ts';
import type { Account } from './position.ts';
import type { ExecutionSpec } from './spec.ts';

/**
 * Checks an open position against the price range of candle `j` of `c` (an exec bar or a finer one) and closes
 * it when a level is touched. `stopOnly` skips targets (the bar a limit entry filled in, where the order of
 * prices is unknown). Returns true when the position was closed. `times` (the exec bars' open times) is read
 * only when it is. Prices are read here, not passed: a number passed to a call V8 does not inline is boxed.
 */
export function checkRange(
  acc: Account, spec: ExecutionSpec, c: Candles, j: number, stopOnly: boolean, bar: number, times: Float64Array,
): boolean {
  const o = c.open[j], h = c.high[j], l = c.low[j];
  const side = acc.side;
  const sl = acc.stop;
  const tp = acc.target;
  const lq = acc.liq;
  const slip = spec.slippage;
  const tpLimit = spec.target.limitOrder;
  const tpFee = tpLimit ? spec.makerRate : spec.takerRate;
  if (side > 0) {
    const liqFirst = !(sl > lq);
    if (liqFirst && l <= lq) {
      acc.liquidate(bar, times[bar]);
      return true;
    }
    if (!stopOnly && o >= tp) {
      acc.close(1, tpLimit ? tp : o * (1 - slip), tpFee, bar, times[bar], 'take_profit');
      return true;
    }
    if (l <= sl) {
      const px = (o <= sl ? o : sl) * (1 - slip);
      // Isolated margin caps the loss: a stop filling beyond the liquidation price is a liquidation.
      if (px <= lq) acc.liquidate(bar, times[bar]);
      else acc.close(1, px, spec.takerRate, bar, times[bar], acc.stopReason);
      return true;
    }
    if (!stopOnly && h >= tp) {
      acc.close(1, tpLimit ? tp : tp * (1 - slip), tpFee, bar, times[bar], 'take_profit');
      return true;
    }
  } else {
    const liqFirst = !(sl < lq);
    if (liqFirst && h >= lq) {
      acc.liquidate(bar, times[bar]);
      return true;
    }
    if (!stopOnly && o <= tp) {
      acc.close(1, tpLimit ? tp : o * (1 + slip), tpFee, bar, times[bar], 'take_profit');
      return true;
    }
    if (h >= sl) {
      const px = (o >= sl ? o : sl) * (1 + slip);
      if (px >= lq) acc.liquidate(bar, times[bar]);
      else acc.close(1, px, spec.takerRate, bar, times[bar], acc.stopReason);
      return true;
    }
    if (!stopOnly && l <= tp) {
      acc.close(1, tpLimit ? tp : tp * (1 + slip), tpFee, bar, times[bar], 'take_profit');
      return true;
    }
  }
  return false;
}

/** After candle j's stop check: move the best price, the trailing stop and break-even (never backwards). */
export function advanceStops(acc: Account, spec: ExecutionSpec, c: Candles, j: number): void {
  const h = c.high[j], l = c.low[j];
  const side = acc.side;
  const entry = acc.entryPrice;
  if (side > 0 ? h > acc.best : l < acc.best) acc.best = side > 0 ? h : l;
  const gain = side > 0 ? acc.best / entry - 1 : 1 - acc.best / entry;
  if (acc.trailDist === acc.trailDist && gain * 100 >= spec.stop.activationPct) {
    const cand = acc.best - side * acc.trailDist;
    if (side > 0 ? cand > acc.stop || acc.stop !== acc.stop : cand < acc.stop || acc.stop !== acc.stop) {
      acc.stop = cand;
      acc.stopReason = 'trailing_stop';
    }
  }
  const be = spec.breakEven;
  if (be && gain * 100 >= be.activationPct) {
    const lvl = entry * (1 + (side * be.offsetPct) / 100);
    if (side > 0 ? lvl > acc.stop || acc.stop !== acc.stop : lvl < acc.stop || acc.stop !== acc.stop) {
      acc.stop = lvl;
      acc.stopReason = 'break_even';
    }
  }
}

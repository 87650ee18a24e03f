// displacement: strong impulsive candles (large body against ATR, small wicks against the body).
// Semantics (TRADE docs/dsl/structures.md and its displacement.py): body = |close - open|,
// body_atr_ratio = body / ATR, wick_ratio = (upper wick + lower wick) / body; a displacement when
// body_atr_ratio >= body_atr_min (1.5) and wick_ratio <= wick_ratio_max (0.4); direction 1 when close > open.
// Per-bar outputs are NaN while the ATR is not valid; a doji (body 0) has ratio 0 and wick_ratio +Infinity.
// atr_key defaults to `atr` (TRADE); when that feature is absent a private Wilder ATR(14) is used.
// last_idx is NaN before the first displacement (TRADE: -1).
import { numParam } from './params.ts';
import { atrSource, B, defineStructure, F, I } from './series.ts';
import type { StructureContext, StructureOutput, StructureStepper } from './types.ts';

const OUTPUTS = {
  is_displacement: B,
  direction: I,
  body_atr_ratio: F,
  wick_ratio: F,
  last_idx: I,
  last_direction: I,
  version: I,
};

/** Shared with order_block's inline check: 1 / -1 for a displacement candle, 0 otherwise. */
export function displacementDirection(
  open: number,
  high: number,
  low: number,
  close: number,
  atr: number,
  bodyAtrMin: number,
  wickRatioMax: number,
): number {
  if (!(atr > 0)) return 0;
  const body = Math.abs(close - open);
  if (body === 0) return 0;
  const wicks = high - Math.max(open, close) + (Math.min(open, close) - low);
  if (body / atr >= bodyAtrMin && wicks / body <= wickRatioMax) return close > open ? 1 : -1;
  return 0;
}

class DisplacementStepper implements StructureStepper {
  private readonly atr: { at(i: number): number };
  private readonly bodyAtrMin: number;
  private readonly wickRatioMax: number;
  private lastIdx = NaN;
  private lastDir = 0;
  private version = 0;

  constructor(
    private readonly ctx: StructureContext,
    private readonly out: StructureOutput,
  ) {
    const p = ctx.params;
    this.bodyAtrMin = numParam('displacement', p, 'body_atr_min', 1.5, 0);
    this.wickRatioMax = numParam('displacement', p, 'wick_ratio_max', 0.4, 0);
    this.atr = atrSource(ctx, typeof p.atr_key === 'string' ? p.atr_key : 'atr');
  }

  step(i: number): void {
    const { open, high, low, close } = this.ctx.input;
    const atr = this.atr.at(i);
    const o = this.out;
    let ratio = NaN, wick = NaN, dir = 0;
    if (atr > 0) {
      const body = Math.abs(close[i] - open[i]);
      ratio = body / atr;
      wick = body === 0 ? Infinity : (high[i] - Math.max(open[i], close[i]) + (Math.min(open[i], close[i]) - low[i])) / body;
      dir = displacementDirection(open[i], high[i], low[i], close[i], atr, this.bodyAtrMin, this.wickRatioMax);
      if (dir !== 0) {
        this.lastIdx = i;
        this.lastDir = dir;
        this.version++;
      }
    }
    o.is_displacement[i] = dir !== 0 ? 1 : 0;
    o.direction[i] = dir;
    o.body_atr_ratio[i] = ratio;
    o.wick_ratio[i] = wick;
    o.last_idx[i] = this.lastIdx;
    o.last_direction[i] = this.lastDir;
    o.version[i] = this.version;
  }
}

export const displacement = defineStructure({
  type: 'displacement',
  enums: {},
  dependencies: { required: [], optional: [] },
  outputs: () => OUTPUTS,
  warmup: () => 1, // TRADE's formula; with the private ATR the first 13 bars are NaN as well
  createStepper: (ctx, out) => new DisplacementStepper(ctx, out),
});

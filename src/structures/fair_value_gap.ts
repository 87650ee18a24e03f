// fair_value_gap: 3-candle imbalances and their mitigation.
// Semantics (TRADE docs/dsl/structures.md and its fair_value_gap.py):
// - at bar i (the third candle): bullish gap when low[i] > high[i-2] (zone [high[i-2], low[i]]), else bearish
//   when high[i] < low[i-2] (zone [high[i], low[i-2]]); with min_gap_atr > 0 the gap must be at least
//   min_gap_atr * ATR (no valid ATR -> no gap).
// - every bar (the creation bar included), for active gaps: bullish fill = (upper - low) / (upper - lower)
//   once low <= upper, bearish fill = (high - lower) / (upper - lower) once high >= lower, capped at 1 and
//   kept at its maximum; fill >= 0.5 -> mitigated; a close beyond the far edge (bullish close < lower,
//   bearish close > upper) -> invalidated.
// - slots are newest first; only the newest max_active gaps are kept, whatever their state.
// - nearest_*: the active gap of that side whose midpoint is closest to the close; *_fill_pct its fill.
// atr_key defaults to `atr`; when that feature is absent a private Wilder ATR(14) is used.
import { intParam, numParam } from './params.ts';
import { atrSource, B, defineStructure, F, I } from './series.ts';
import type { StructureContext, StructureOutput, StructureStepper } from './types.ts';

const OUTPUTS = {
  new_this_bar: B,
  new_direction: I,
  new_upper: F,
  new_lower: F,
  nearest_bull_upper: F,
  nearest_bull_lower: F,
  nearest_bear_upper: F,
  nearest_bear_lower: F,
  active_bull_count: I,
  active_bear_count: I,
  any_mitigated_this_bar: B,
  nearest_bull_fill_pct: F,
  nearest_bear_fill_pct: F,
  version: I,
};

const ACTIVE = 0, MITIGATED = 1, INVALIDATED = 2;

interface Gap {
  dir: number;
  upper: number;
  lower: number;
  state: number;
  fill: number;
}

class FairValueGapStepper implements StructureStepper {
  private readonly minGapAtr: number;
  private readonly maxActive: number;
  private readonly atr: { at(i: number): number };
  private gaps: Gap[] = [];
  private version = 0;

  constructor(
    private readonly ctx: StructureContext,
    private readonly out: StructureOutput,
  ) {
    const p = ctx.params;
    this.minGapAtr = numParam('fair_value_gap', p, 'min_gap_atr', 0, 0);
    this.maxActive = intParam('fair_value_gap', p, 'max_active', 5, 1);
    this.atr = atrSource(ctx, typeof p.atr_key === 'string' ? p.atr_key : 'atr');
  }

  step(i: number): void {
    const { high, low, close } = this.ctx.input;
    const atr = this.atr.at(i); // advanced every bar so the private ATR stays incremental
    const o = this.out;
    let isNew = 0, newDir = 0, newUpper = NaN, newLower = NaN;
    if (i >= 2) {
      let dir = 0, upper = NaN, lower = NaN;
      if (low[i] > high[i - 2]) {
        dir = 1;
        upper = low[i];
        lower = high[i - 2];
      } else if (high[i] < low[i - 2]) {
        dir = -1;
        upper = low[i - 2];
        lower = high[i];
      }
      if (dir !== 0 && (this.minGapAtr <= 0 || (atr > 0 && upper - lower >= this.minGapAtr * atr))) {
        this.gaps.unshift({ dir, upper, lower, state: ACTIVE, fill: 0 });
        this.version++;
        isNew = 1;
        newDir = dir;
        newUpper = upper;
        newLower = lower;
      }
    }

    let mitigated = 0;
    const h = high[i], l = low[i], c = close[i];
    for (const g of this.gaps) {
      if (g.state !== ACTIVE) continue;
      const range = g.upper - g.lower;
      if (!(range > 0)) continue;
      if (g.dir === 1) {
        if (l <= g.upper) {
          g.fill = Math.max(g.fill, Math.min((g.upper - l) / range, 1));
          if (g.fill >= 0.5) {
            g.state = MITIGATED;
            mitigated = 1;
          }
        }
        if (c < g.lower) g.state = INVALIDATED;
      } else {
        if (h >= g.lower) {
          g.fill = Math.max(g.fill, Math.min((h - g.lower) / range, 1));
          if (g.fill >= 0.5) {
            g.state = MITIGATED;
            mitigated = 1;
          }
        }
        if (c > g.upper) g.state = INVALIDATED;
      }
    }
    if (this.gaps.length > this.maxActive) this.gaps.length = this.maxActive;

    let bulls = 0, bears = 0, bullDist = Infinity, bearDist = Infinity;
    let bullU = NaN, bullL = NaN, bullF = NaN, bearU = NaN, bearL = NaN, bearF = NaN;
    for (const g of this.gaps) {
      if (g.state !== ACTIVE) continue;
      const dist = Math.abs(c - (g.upper + g.lower) / 2);
      if (g.dir === 1) {
        bulls++;
        if (dist < bullDist) {
          bullDist = dist;
          bullU = g.upper;
          bullL = g.lower;
          bullF = g.fill;
        }
      } else {
        bears++;
        if (dist < bearDist) {
          bearDist = dist;
          bearU = g.upper;
          bearL = g.lower;
          bearF = g.fill;
        }
      }
    }
    o.new_this_bar[i] = isNew;
    o.new_direction[i] = newDir;
    o.new_upper[i] = newUpper;
    o.new_lower[i] = newLower;
    o.nearest_bull_upper[i] = bullU;
    o.nearest_bull_lower[i] = bullL;
    o.nearest_bear_upper[i] = bearU;
    o.nearest_bear_lower[i] = bearL;
    o.active_bull_count[i] = bulls;
    o.active_bear_count[i] = bears;
    o.any_mitigated_this_bar[i] = mitigated;
    o.nearest_bull_fill_pct[i] = bullF;
    o.nearest_bear_fill_pct[i] = bearF;
    o.version[i] = this.version;
  }
}

export const fairValueGap = defineStructure({
  type: 'fair_value_gap',
  enums: {},
  dependencies: { required: [], optional: [] },
  outputs: () => OUTPUTS,
  warmup: () => 3, // TRADE
  createStepper: (ctx, out) => new FairValueGapStepper(ctx, out),
});

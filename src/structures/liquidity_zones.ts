// liquidity_zones: clusters of swing highs (lows) where stops pool, and their sweeps.
// Semantics (TRADE docs/dsl/structures.md; meaning read from its liquidity_zones.py):
// - each newly confirmed swing high (low) joins a history of the last max_swing_history pivots of its side;
//   the newest pivot and every earlier one within tolerance_atr * ATR of it form a cluster; with at least
//   min_touches members a zone sits at the cluster's mean (an active zone of that side already within the
//   tolerance is updated instead: new level and touch count); at most max_active active zones per side
//   (the oldest is dropped).
// - sweep: an active high zone is swept when high > level + sweep_atr * ATR (sweep_direction 1, bearish
//   signal), an active low zone when low < level - sweep_atr * ATR (-1, bullish); swept zones are removed.
//   When several zones are swept on one bar the last one checked (oldest-first order) gives swept_level.
// - nearest_*: the active zone of each side closest to the close.
// - the ATR is the one of the current bar; while it is not valid no pivot is taken in and nothing is swept
//   (a pivot confirmed then is picked up on the first bar with a valid ATR, as in TRADE).
// atr_key defaults to `atr`; when that feature is absent a private Wilder ATR(14) is used.
import { intParam, numParam, depField, requireDep } from './params.ts';
import { atrSource, B, defineStructure, F, I, swingSpan } from './series.ts';
import type { StructureContext, StructureOutput, StructureStepper } from './types.ts';

const OUTPUTS = {
  sweep_this_bar: B,
  sweep_direction: I,
  swept_level: F,
  nearest_high_level: F,
  nearest_low_level: F,
  nearest_high_touches: I,
  nearest_low_touches: I,
  new_zone_this_bar: B,
  version: I,
};

interface Pool {
  high: boolean;
  level: number;
  touches: number;
}

class LiquidityZonesStepper implements StructureStepper {
  private readonly tolAtr: number;
  private readonly sweepAtr: number;
  private readonly minTouches: number;
  private readonly maxActive: number;
  private readonly maxHistory: number;
  private readonly atr: { at(i: number): number };
  private readonly highVersion: Float64Array;
  private readonly lowVersion: Float64Array;
  private readonly highLevel: Float64Array;
  private readonly lowLevel: Float64Array;
  private readonly highs: number[] = [];
  private readonly lows: number[] = [];
  private lastHighVersion = 0;
  private lastLowVersion = 0;
  private readonly pools: Pool[] = [];
  private version = 0;

  constructor(
    private readonly ctx: StructureContext,
    private readonly out: StructureOutput,
  ) {
    const p = ctx.params;
    this.tolAtr = numParam('liquidity_zones', p, 'tolerance_atr', 0.3, 0);
    this.sweepAtr = numParam('liquidity_zones', p, 'sweep_atr', 0.1, 0);
    this.minTouches = intParam('liquidity_zones', p, 'min_touches', 2, 1);
    this.maxActive = intParam('liquidity_zones', p, 'max_active', 5, 1);
    this.maxHistory = intParam('liquidity_zones', p, 'max_swing_history', 20, 1);
    this.atr = atrSource(ctx, typeof p.atr_key === 'string' ? p.atr_key : 'atr');
    const swing = requireDep('liquidity_zones', ctx, 'swing');
    const f = (name: string) => depField('liquidity_zones', swing, 'swing', name);
    this.highVersion = f('high_version');
    this.lowVersion = f('low_version');
    this.highLevel = f('high_level');
    this.lowLevel = f('low_level');
  }

  step(i: number): void {
    const { high, low, close } = this.ctx.input;
    const atr = this.atr.at(i);
    let newZone = 0, sweep = 0, sweepDir = 0, swept = NaN;
    if (atr > 0) {
      if (this.highVersion[i] !== this.lastHighVersion) {
        this.lastHighVersion = this.highVersion[i];
        if (this.addPivot(true, this.highLevel[i], atr)) newZone = 1;
      }
      if (this.lowVersion[i] !== this.lastLowVersion) {
        this.lastLowVersion = this.lowVersion[i];
        if (this.addPivot(false, this.lowLevel[i], atr)) newZone = 1;
      }
      // Swept pools are removed in place (no allocation on the common no-sweep bar).
      let kept = 0;
      for (const z of this.pools) {
        if (z.high ? high[i] > z.level + this.sweepAtr * atr : low[i] < z.level - this.sweepAtr * atr) {
          sweep = 1;
          sweepDir = z.high ? 1 : -1;
          swept = z.level;
          this.version++;
        } else this.pools[kept++] = z;
      }
      this.pools.length = kept;
    }
    let hiDist = Infinity, loDist = Infinity, hiLevel = NaN, loLevel = NaN, hiTouches = 0, loTouches = 0;
    const c = close[i];
    for (const z of this.pools) {
      const d = Math.abs(z.level - c);
      if (z.high && d < hiDist) {
        hiDist = d;
        hiLevel = z.level;
        hiTouches = z.touches;
      } else if (!z.high && d < loDist) {
        loDist = d;
        loLevel = z.level;
        loTouches = z.touches;
      }
    }
    const o = this.out;
    o.sweep_this_bar[i] = sweep;
    o.sweep_direction[i] = sweepDir;
    o.swept_level[i] = swept;
    o.nearest_high_level[i] = hiLevel;
    o.nearest_low_level[i] = loLevel;
    o.nearest_high_touches[i] = hiTouches;
    o.nearest_low_touches[i] = loTouches;
    o.new_zone_this_bar[i] = newZone;
    o.version[i] = this.version;
  }

  /** Record a pivot and try to form (or refresh) a zone around it; true when a new zone was created. */
  private addPivot(isHigh: boolean, level: number, atr: number): boolean {
    if (Number.isNaN(level)) return false;
    const hist = isHigh ? this.highs : this.lows;
    hist.push(level);
    if (hist.length > this.maxHistory) hist.shift();
    if (hist.length < this.minTouches) return false;
    const tol = this.tolAtr * atr;
    let sum = level, n = 1;
    for (let k = 0; k < hist.length - 1; k++) {
      if (Math.abs(hist[k] - level) <= tol) {
        sum += hist[k];
        n++;
      }
    }
    if (n < this.minTouches) return false;
    const mean = sum / n;
    const existing = this.pools.find((z) => z.high === isHigh && Math.abs(z.level - mean) <= tol);
    if (existing) {
      existing.level = mean;
      existing.touches = n;
      return false;
    }
    this.pools.push({ high: isHigh, level: mean, touches: n });
    this.version++;
    let count = 0;
    for (const z of this.pools) if (z.high === isHigh) count++;
    if (count > this.maxActive) {
      const oldest = this.pools.findIndex((z) => z.high === isHigh);
      this.pools.splice(oldest, 1);
    }
    return true;
  }
}

export const liquidityZones = defineStructure({
  type: 'liquidity_zones',
  enums: {},
  dependencies: { required: ['swing'], optional: [] },
  outputs: () => OUTPUTS,
  // TRADE: (left + right) * min_touches
  warmup: (p, deps) => swingSpan(deps) * (typeof p.min_touches === 'number' ? p.min_touches : 2),
  createStepper: (ctx, out) => new LiquidityZonesStepper(ctx, out),
});

// derived_zone: K slots of zones placed at fib ratios of the swing range, plus aggregates.
//
// Semantics (TRADE docs/dsl/structures.md; meaning read from its derived_zone.py):
// - regeneration: when the swing's pair_version (use_paired_source, default true) or version changes, one zone
//   per level is created from the pair's (or latest individual) high/low: centre = high - r * range
//   (retracement) or high + r * range (extension), bounds centre -/+ centre * width_pct / 2. Zones are
//   prepended (slot 0 = newest; within one regeneration the last level ends in slot 0) and the oldest beyond
//   max_active are dropped. Nothing is created while the range is missing or not positive.
// - interaction, every bar, for active zones: `inside` = close within [lower, upper]; age_bars = bars
//   since creation.
// Deliberate differences from TRADE (documented choices):
// - touch: TRADE marks a zone touched only when the CLOSE is inside it, which makes `touched_this_bar`
//   identical to `inside`; the doc lists both, so here a touch is the bar's range [low, high] overlapping the
//   zone, and `touch_count` counts touching bars.
// - break: TRADE breaks a zone when the close leaves it on EITHER side by break_tolerance_pct, which breaks
//   almost every zone on the bar it is born (price sits away from the retracement levels when the pair
//   completes). Here a zone is broken when price closes THROUGH it: a zone born below the close (support)
//   breaks when close < lower * (1 - tol), one born above (resistance) when close > upper * (1 + tol); a zone
//   holding the close at birth is support for a bullish pair and resistance for a bearish one (support in
//   unpaired mode). break_tolerance_pct defaults to TRADE's 0.001.
// TRADE's code-level outputs the DSL registry accepts are produced too: per slot anchor_idx (creation bar),
// last_touch_age (bars since the last touch) and instance_id (FNV-1a of source version, pivot indices,
// ratio and mode: a stable zone identity); aggregates first_active_idx, newest_active_idx (both the slot of
// the newest active zone, as in TRADE) and source_version (the swing version last seen).
// Empty slots: state none, floats and INTs NaN (TRADE: -1), BOOLs 0, touch_count 0. Aggregates count ACTIVE
// zones.
import { boolParam, depField, enumParam, intParam, numListParam, numParam, requireDep } from './params.ts';
import { B, defineStructure, E, F, fnv1a, I, swingSpan } from './series.ts';
import type { OutputSpec, StructureContext, StructureOutput, StructureStepper } from './types.ts';
import { ZONE_ACTIVE, ZONE_BROKEN, ZONE_NONE, ZONE_STATES } from './zone.ts';

const SLOT_FIELDS = {
  state: E(ZONE_STATES),
  upper: F,
  lower: F,
  touched_this_bar: B,
  inside: B,
  touch_count: I,
  age_bars: I,
  anchor_idx: I,
  last_touch_age: I,
  instance_id: I,
};
type SlotField = keyof typeof SLOT_FIELDS;
const AGGREGATES: Record<string, OutputSpec> = {
  active_count: I,
  any_active: B,
  any_touched: B,
  any_inside: B,
  first_active_lower: F,
  first_active_upper: F,
  first_active_idx: I,
  newest_active_idx: I,
  source_version: I,
};

export const slotField = (n: number, field: string): string => `zone[${n}].${field}`;

function outputs(params: Record<string, unknown>): Record<string, OutputSpec> {
  const k = typeof params.max_active === 'number' && params.max_active >= 1 ? Math.floor(params.max_active) : 0;
  const specs: Record<string, OutputSpec> = {};
  for (let n = 0; n < k; n++) for (const [f, s] of Object.entries(SLOT_FIELDS)) specs[slotField(n, f)] = s;
  return { ...specs, ...AGGREGATES };
}

interface Zone {
  lower: number;
  upper: number;
  state: number;
  support: boolean;
  createdAt: number;
  touched: boolean;
  inside: boolean;
  touches: number;
  lastTouch: number;
  id: number;
}

class DerivedZoneStepper implements StructureStepper {
  private readonly levels: number[];
  private readonly extension: boolean;
  private readonly maxActive: number;
  private readonly widthPct: number;
  private readonly tol: number;
  private readonly paired: boolean;
  private readonly srcVersion: Float64Array;
  private readonly srcHigh: Float64Array;
  private readonly srcLow: Float64Array;
  private readonly pairDir: Float64Array;
  private readonly srcHighIdx: Float64Array;
  private readonly srcLowIdx: Float64Array;
  private readonly slotCols: Record<SlotField, Float64Array>[];
  private zones: Zone[] = [];
  private lastVersion = 0;

  constructor(
    private readonly ctx: StructureContext,
    private readonly out: StructureOutput,
  ) {
    const p = ctx.params;
    this.levels = numListParam('derived_zone', p, 'levels');
    this.extension = enumParam('derived_zone', p, 'mode', ['retracement', 'extension'] as const, 'retracement') === 'extension';
    this.maxActive = intParam('derived_zone', p, 'max_active', undefined, 1);
    this.widthPct = numParam('derived_zone', p, 'width_pct', 0.002, 0);
    this.tol = numParam('derived_zone', p, 'break_tolerance_pct', 0.001, 0);
    this.paired = boolParam('derived_zone', p, 'use_paired_source', true);
    const swing = requireDep('derived_zone', ctx, 'swing');
    const f = (name: string) => depField('derived_zone', swing, 'swing', name);
    this.srcVersion = f(this.paired ? 'pair_version' : 'version');
    this.srcHigh = f(this.paired ? 'pair_high_level' : 'high_level');
    this.srcLow = f(this.paired ? 'pair_low_level' : 'low_level');
    this.pairDir = f('pair_direction');
    this.srcHighIdx = f(this.paired ? 'pair_high_idx' : 'high_idx');
    this.srcLowIdx = f(this.paired ? 'pair_low_idx' : 'low_idx');
    this.slotCols = [];
    for (let n = 0; n < this.maxActive; n++) {
      const names = Object.keys(SLOT_FIELDS) as SlotField[];
      this.slotCols.push(Object.fromEntries(names.map((name) => [name, out[slotField(n, name)]])) as Record<SlotField, Float64Array>);
    }
  }

  step(i: number): void {
    const { high, low, close } = this.ctx.input;
    const c = close[i];
    if (this.srcVersion[i] !== this.lastVersion) {
      this.lastVersion = this.srcVersion[i];
      this.regenerate(i, c);
    }
    const h = high[i], l = low[i];
    let active = 0, anyTouched = 0, anyInside = 0, firstLower = NaN, firstUpper = NaN, firstIdx = NaN;
    for (let n = 0; n < this.zones.length; n++) {
      const z = this.zones[n];
      z.touched = false;
      z.inside = false;
      if (z.state !== ZONE_ACTIVE) continue;
      z.touched = l <= z.upper && h >= z.lower;
      z.inside = c >= z.lower && c <= z.upper;
      if (z.touched) {
        z.touches++;
        z.lastTouch = i;
      }
      if (z.support ? c < z.lower * (1 - this.tol) : c > z.upper * (1 + this.tol)) z.state = ZONE_BROKEN;
      if (z.state === ZONE_ACTIVE) {
        if (active === 0) {
          firstLower = z.lower;
          firstUpper = z.upper;
          firstIdx = n;
        }
        active++;
        if (z.touched) anyTouched = 1;
        if (z.inside) anyInside = 1;
      }
    }
    for (let n = 0; n < this.maxActive; n++) {
      const col = this.slotCols[n];
      const z = this.zones[n];
      if (z) {
        col.state[i] = z.state;
        col.upper[i] = z.upper;
        col.lower[i] = z.lower;
        col.touched_this_bar[i] = z.touched ? 1 : 0;
        col.inside[i] = z.inside ? 1 : 0;
        col.touch_count[i] = z.touches;
        col.age_bars[i] = i - z.createdAt;
        col.anchor_idx[i] = z.createdAt;
        col.last_touch_age[i] = z.lastTouch >= 0 ? i - z.lastTouch : NaN;
        col.instance_id[i] = z.id;
      } else {
        col.state[i] = ZONE_NONE;
        col.upper[i] = NaN;
        col.lower[i] = NaN;
        col.touched_this_bar[i] = 0;
        col.inside[i] = 0;
        col.touch_count[i] = 0;
        col.age_bars[i] = NaN;
        col.anchor_idx[i] = NaN;
        col.last_touch_age[i] = NaN;
        col.instance_id[i] = NaN;
      }
    }
    const o = this.out;
    o.active_count[i] = active;
    o.any_active[i] = active > 0 ? 1 : 0;
    o.any_touched[i] = anyTouched;
    o.any_inside[i] = anyInside;
    o.first_active_lower[i] = firstLower;
    o.first_active_upper[i] = firstUpper;
    // Slots are newest first, so the first active slot is also the newest active one (as in TRADE).
    o.first_active_idx[i] = firstIdx;
    o.newest_active_idx[i] = firstIdx;
    o.source_version[i] = this.lastVersion;
  }

  private regenerate(i: number, close: number): void {
    const hi = this.srcHigh[i], lo = this.srcLow[i];
    const range = hi - lo;
    if (!(range > 0)) return; // NaN or inverted/flat anchors
    // Polarity for zones that hold the close at birth: bullish pair -> support (pair_direction 0 = bullish).
    const bullishPair = !this.paired || this.pairDir[i] === 0;
    const hiIdx = this.srcHighIdx[i], loIdx = this.srcLowIdx[i];
    for (const r of this.levels) {
      const centre = this.extension ? hi + r * range : hi - r * range;
      const half = Math.abs(centre * this.widthPct) / 2;
      const lower = centre - half, upper = centre + half;
      const support = close > upper ? true : close < lower ? false : bullishPair;
      const id = fnv1a([this.lastVersion, hiIdx, loIdx, Math.round(r * 1e6), this.extension ? 1 : 0]);
      this.zones.unshift({ lower, upper, state: ZONE_ACTIVE, support, createdAt: i, touched: false, inside: false, touches: 0, lastTouch: -1, id });
    }
    if (this.zones.length > this.maxActive) this.zones.length = this.maxActive;
  }
}

export const derivedZone = defineStructure({
  type: 'derived_zone',
  enums: { 'zone[N].state': ZONE_STATES },
  dependencies: { required: ['swing'], optional: [] },
  outputs,
  warmup: (_p, deps) => swingSpan(deps) + 1, // TRADE: left + right + 1
  createStepper: (ctx, out) => new DerivedZoneStepper(ctx, out),
});

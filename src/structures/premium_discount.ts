// premium_discount: where the close sits in the current swing pair's range (ICT premium / discount).
// Semantics (TRADE docs/dsl/structures.md and its premium_discount.py): with the pair's high H and low L,
// equilibrium = L + 0.5 (H - L), premium_level = L + 0.75 (H - L), discount_level = L + 0.25 (H - L);
// zone premium when close >= premium_level, discount when close <= discount_level, else equilibrium;
// depth_pct = (close - L) / (H - L) clamped to [0, 1]; zone none (levels NaN) until a pair exists; a flat
// pair gives equilibrium with depth 0.5. version increments whenever the zone changes.
import { depField, requireDep } from './params.ts';
import { defineStructure, E, F, I, swingSpan } from './series.ts';
import type { StructureContext, StructureOutput, StructureStepper } from './types.ts';

export const PD_ZONES = ['premium', 'discount', 'equilibrium', 'none'] as const;
const PREMIUM = 0, DISCOUNT = 1, EQUILIBRIUM = 2, NONE = 3;

const OUTPUTS = { zone: E(PD_ZONES), equilibrium: F, premium_level: F, discount_level: F, depth_pct: F, version: I };

class PremiumDiscountStepper implements StructureStepper {
  private readonly pairHigh: Float64Array;
  private readonly pairLow: Float64Array;
  private prevZone = NONE;
  private version = 0;

  constructor(
    private readonly ctx: StructureContext,
    private readonly out: StructureOutput,
  ) {
    const swing = requireDep('premium_discount', ctx, 'swing');
    this.pairHigh = depField('premium_discount', swing, 'swing', 'pair_high_level');
    this.pairLow = depField('premium_discount', swing, 'swing', 'pair_low_level');
  }

  step(i: number): void {
    const h = this.pairHigh[i], l = this.pairLow[i];
    const c = this.ctx.input.close[i];
    let zone = NONE, eq = NaN, prem = NaN, disc = NaN, depth = NaN;
    if (!Number.isNaN(h) && !Number.isNaN(l)) {
      const span = h - l;
      if (span <= 0) {
        eq = h;
        prem = h;
        disc = l;
        depth = 0.5;
        zone = EQUILIBRIUM;
      } else {
        eq = l + 0.5 * span;
        prem = l + 0.75 * span;
        disc = l + 0.25 * span;
        zone = c >= prem ? PREMIUM : c <= disc ? DISCOUNT : EQUILIBRIUM;
        depth = Math.max(0, Math.min(1, (c - l) / span));
      }
    }
    if (zone !== this.prevZone) {
      this.prevZone = zone;
      this.version++;
    }
    const o = this.out;
    o.zone[i] = zone;
    o.equilibrium[i] = eq;
    o.premium_level[i] = prem;
    o.discount_level[i] = disc;
    o.depth_pct[i] = depth;
    o.version[i] = this.version;
  }
}

export const premiumDiscount = defineStructure({
  type: 'premium_discount',
  enums: { zone: PD_ZONES },
  dependencies: { required: ['swing'], optional: [] },
  outputs: () => OUTPUTS,
  warmup: (_p, deps) => swingSpan(deps), // TRADE: left + right
  createStepper: (ctx, out) => new PremiumDiscountStepper(ctx, out),
});

// zone: a single demand (support) or supply (resistance) zone from the latest swing pivot.
//
// Semantics (TRADE docs/dsl/structures.md; meaning read from its zone.py):
// - demand: on each newly confirmed swing low, zone = [low - width_atr * ATR, low]; supply: on each new
//   swing high, zone = [high, high + width_atr * ATR]; the ATR is the one at the confirmation bar.
// - state: none -> active on creation; active -> broken when the close goes beyond the far edge
//   (demand: close < lower; supply: close > upper), checked from the creation bar on.
// - version increments on every state change (creation or break).
// Choices: without a valid ATR (warm-up) the width is 0, as in TRADE; atr_key defaults to `atr` (TRADE) and,
// when that feature is absent, a private Wilder ATR(14) is used. anchor_idx is the pivot's bar (NaN before).
import { enumParam, numParam, depField, requireDep } from './params.ts';
import { atrSource, defineStructure, E, F, I, swingSpan } from './series.ts';
import type { StructureContext, StructureOutput, StructureStepper } from './types.ts';

export const ZONE_STATES = ['none', 'active', 'broken'] as const;
export const ZONE_NONE = 0, ZONE_ACTIVE = 1, ZONE_BROKEN = 2;

const OUTPUTS = { state: E(ZONE_STATES), upper: F, lower: F, anchor_idx: I, version: I };

class ZoneStepper implements StructureStepper {
  private readonly demand: boolean;
  private readonly widthAtr: number;
  private readonly atr: { at(i: number): number };
  private readonly pivotVersion: Float64Array;
  private readonly pivotLevel: Float64Array;
  private readonly pivotIdx: Float64Array;
  private lastVersion = 0;
  private state = ZONE_NONE;
  private upper = NaN;
  private lower = NaN;
  private anchorIdx = NaN;
  private version = 0;

  constructor(
    private readonly ctx: StructureContext,
    private readonly out: StructureOutput,
  ) {
    const p = ctx.params;
    this.demand = enumParam('zone', p, 'zone_type', ['demand', 'supply'] as const, undefined) === 'demand';
    this.widthAtr = numParam('zone', p, 'width_atr', undefined, 0);
    this.atr = atrSource(ctx, typeof p.atr_key === 'string' ? p.atr_key : 'atr');
    const swing = requireDep('zone', ctx, 'swing');
    const side = this.demand ? 'low' : 'high';
    this.pivotVersion = depField('zone', swing, 'swing', `${side}_version`);
    this.pivotLevel = depField('zone', swing, 'swing', `${side}_level`);
    this.pivotIdx = depField('zone', swing, 'swing', `${side}_idx`);
  }

  step(i: number): void {
    const atr = this.atr.at(i);
    if (this.pivotVersion[i] !== this.lastVersion) {
      this.lastVersion = this.pivotVersion[i];
      const level = this.pivotLevel[i];
      const width = Number.isNaN(atr) ? 0 : atr * this.widthAtr;
      this.lower = this.demand ? level - width : level;
      this.upper = this.demand ? level : level + width;
      this.anchorIdx = this.pivotIdx[i];
      this.state = ZONE_ACTIVE;
      this.version++;
    }
    if (this.state === ZONE_ACTIVE) {
      const c = this.ctx.input.close[i];
      if (this.demand ? c < this.lower : c > this.upper) {
        this.state = ZONE_BROKEN;
        this.version++;
      }
    }
    const o = this.out;
    o.state[i] = this.state;
    o.upper[i] = this.upper;
    o.lower[i] = this.lower;
    o.anchor_idx[i] = this.anchorIdx;
    o.version[i] = this.version;
  }
}

export const zone = defineStructure({
  type: 'zone',
  enums: { state: ZONE_STATES },
  dependencies: { required: ['swing'], optional: [] },
  outputs: () => OUTPUTS,
  warmup: (_p, deps) => swingSpan(deps), // TRADE: left + right
  createStepper: (ctx, out) => new ZoneStepper(ctx, out),
});

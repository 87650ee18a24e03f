// breaker_block: order blocks that failed on a change of character, flipped in polarity.
// Semantics (TRADE docs/dsl/structures.md; meaning read from its breaker_block.py):
// - when the order_block dependency invalidates a block on the same bar the market_structure dependency
//   fires a CHoCH, a breaker is created from that block's zone with the opposite direction (a failed bullish
//   OB becomes bearish resistance, a failed bearish OB bullish support);
// - from the bar after creation, like order blocks: bullish breaker invalidated when close < lower, else
//   mitigated (touched) when low <= upper; bearish mirrors it; slots newest first, max_active kept.
// The engine supplies the order block in ctx.deps.order_block (its `uses:`) and the structure named by
// `ms_key` in ctx.deps.market_structure.
// Choice: TRADE creates no breaker at all without a market structure; here, without one (ms_key omitted),
// every order-block invalidation creates a breaker, so the detector is still usable on its own.
import { depField, intParam, requireDep } from './params.ts';
import { B, defineStructure, F, I, swingSpan } from './series.ts';
import { ACTIVE, updateBlocks, writeBlockAggregates, type Block } from './order_block.ts';
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
  version: I,
};

class BreakerBlockStepper implements StructureStepper {
  private readonly maxActive: number;
  private readonly invFlag: Float64Array;
  private readonly invDir: Float64Array;
  private readonly invUpper: Float64Array;
  private readonly invLower: Float64Array;
  private readonly choch: Float64Array | undefined;
  private blocks: Block[] = [];
  private version = 0;

  constructor(
    private readonly ctx: StructureContext,
    private readonly out: StructureOutput,
  ) {
    this.maxActive = intParam('breaker_block', ctx.params, 'max_active', 5, 1);
    const ob = requireDep('breaker_block', ctx, 'order_block');
    const f = (name: string) => depField('breaker_block', ob, 'order_block', name);
    this.invFlag = f('any_invalidated_this_bar');
    this.invDir = f('_last_invalidated_direction');
    this.invUpper = f('_last_invalidated_upper');
    this.invLower = f('_last_invalidated_lower');
    const ms = ctx.deps.market_structure;
    this.choch = ms ? depField('breaker_block', ms, 'market_structure', 'choch_this_bar') : undefined;
  }

  step(i: number): void {
    const { high, low, close } = this.ctx.input;
    let isNew = 0, newDir = 0, newUpper = NaN, newLower = NaN;
    const chochFired = this.choch ? this.choch[i] === 1 : true;
    if (this.invFlag[i] === 1 && chochFired && this.invDir[i] !== 0) {
      const upper = this.invUpper[i], lower = this.invLower[i];
      if (upper > lower) {
        const dir = -this.invDir[i];
        this.blocks.unshift({ dir, upper, lower, createdAt: i, state: ACTIVE });
        this.version++;
        isNew = 1;
        newDir = dir;
        newUpper = upper;
        newLower = lower;
      }
    }
    const mitigated = updateBlocks(this.blocks, i, high[i], low[i], close[i]);
    if (this.blocks.length > this.maxActive) this.blocks.length = this.maxActive;
    const o = this.out;
    o.new_this_bar[i] = isNew;
    o.new_direction[i] = newDir;
    o.new_upper[i] = newUpper;
    o.new_lower[i] = newLower;
    writeBlockAggregates(this.blocks, close[i], o, i);
    o.any_mitigated_this_bar[i] = mitigated ? 1 : 0;
    o.version[i] = this.version;
  }
}

export const breakerBlock = defineStructure({
  type: 'breaker_block',
  enums: {},
  dependencies: { required: ['order_block'], optional: ['market_structure'] },
  outputs: () => OUTPUTS,
  warmup: (_p, deps) => swingSpan(deps) * 4, // TRADE: (left + right) * 4
  createStepper: (ctx, out) => new BreakerBlockStepper(ctx, out),
});

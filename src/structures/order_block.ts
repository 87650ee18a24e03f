// order_block: the last opposing candle before a displacement, tracked until mitigated or invalidated.
// Semantics (TRADE docs/dsl/structures.md; meaning read from its order_block.py):
// - bar i is a displacement (the `displacement` dependency's output when declared, else the inline check with
//   body_atr_min / wick_ratio_max against ATR); with require_displacement: false any candle with a body
//   counts as an impulse in its own direction.
// - the order block is the most recent opposing candle among the `lookback` bars before i (bearish candle
//   before a bullish impulse -> bullish OB, and the reverse); its zone is the body (use_body, default) or the
//   full range; zero-width zones are skipped.
// - from the bar after creation: bullish OB invalidated when close < lower (checked first), else mitigated
//   when low <= upper; bearish mirrors it (close > upper / high >= lower). Only active OBs count.
// - slots newest first, the newest max_active kept; nearest_* by distance from the close to the midpoint.
// Choices: the doc says `lookback` is the bars back to search, so exactly that many (TRADE's buffer holds
// lookback + 2). The swing dependency the doc declares is accepted but not needed by the detection (as in
// TRADE). Private outputs `_last_invalidated_*` carry the zone invalidated this bar to breaker_block.
import { boolParam, intParam, numParam } from './params.ts';
import { atrSource, B, defineStructure, F, I, swingSpan } from './series.ts';
import { displacementDirection } from './displacement.ts';
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
  any_invalidated_this_bar: B,
  version: I,
};

export const ACTIVE = 0, MITIGATED = 1, INVALIDATED = 2;

export interface Block {
  dir: number;
  upper: number;
  lower: number;
  createdAt: number;
  state: number;
}

/** Mitigation/invalidation of active blocks from the bar after creation (shared with breaker_block). */
export function updateBlocks(
  blocks: Block[],
  i: number,
  high: number,
  low: number,
  close: number,
  onInvalidated?: (b: Block) => void,
): boolean {
  let mitigated = false;
  for (const b of blocks) {
    if (b.state !== ACTIVE || b.createdAt === i) continue;
    if (b.dir === 1) {
      if (close < b.lower) {
        b.state = INVALIDATED;
        onInvalidated?.(b);
      } else if (low <= b.upper) {
        b.state = MITIGATED;
        mitigated = true;
      }
    } else if (close > b.upper) {
      b.state = INVALIDATED;
      onInvalidated?.(b);
    } else if (high >= b.lower) {
      b.state = MITIGATED;
      mitigated = true;
    }
  }
  return mitigated;
}

/** nearest_* (closest midpoint to the close) and active counts, written at bar i. */
export function writeBlockAggregates(blocks: Block[], close: number, out: StructureOutput, i: number): void {
  let bulls = 0, bears = 0, bullDist = Infinity, bearDist = Infinity;
  let bullU = NaN, bullL = NaN, bearU = NaN, bearL = NaN;
  for (const b of blocks) {
    if (b.state !== ACTIVE) continue;
    const dist = Math.abs(close - (b.upper + b.lower) / 2);
    if (b.dir === 1) {
      bulls++;
      if (dist < bullDist) {
        bullDist = dist;
        bullU = b.upper;
        bullL = b.lower;
      }
    } else {
      bears++;
      if (dist < bearDist) {
        bearDist = dist;
        bearU = b.upper;
        bearL = b.lower;
      }
    }
  }
  out.nearest_bull_upper[i] = bullU;
  out.nearest_bull_lower[i] = bullL;
  out.nearest_bear_upper[i] = bearU;
  out.nearest_bear_lower[i] = bearL;
  out.active_bull_count[i] = bulls;
  out.active_bear_count[i] = bears;
}

class OrderBlockStepper implements StructureStepper {
  private readonly useBody: boolean;
  private readonly requireDisplacement: boolean;
  private readonly bodyAtrMin: number;
  private readonly wickRatioMax: number;
  private readonly maxActive: number;
  private readonly lookback: number;
  private readonly atr: { at(i: number): number };
  private readonly dispFlag: Float64Array | undefined;
  private readonly dispDir: Float64Array | undefined;
  private blocks: Block[] = [];
  private version = 0;

  constructor(
    private readonly ctx: StructureContext,
    private readonly out: StructureOutput,
  ) {
    const p = ctx.params;
    this.useBody = boolParam('order_block', p, 'use_body', true);
    this.requireDisplacement = boolParam('order_block', p, 'require_displacement', true);
    this.bodyAtrMin = numParam('order_block', p, 'body_atr_min', 1.5, 0);
    this.wickRatioMax = numParam('order_block', p, 'wick_ratio_max', 0.4, 0);
    this.maxActive = intParam('order_block', p, 'max_active', 5, 1);
    this.lookback = intParam('order_block', p, 'lookback', 3, 1);
    this.atr = atrSource(ctx, typeof p.atr_key === 'string' ? p.atr_key : 'atr');
    this.dispFlag = ctx.deps.displacement?.is_displacement;
    this.dispDir = ctx.deps.displacement?.direction;
  }

  step(i: number): void {
    const { open, high, low, close } = this.ctx.input;
    const atr = this.atr.at(i);
    let impulse: number;
    if (this.dispFlag && this.dispDir) impulse = this.dispFlag[i] === 1 ? this.dispDir[i] : 0;
    else if (this.requireDisplacement) {
      impulse = displacementDirection(open[i], high[i], low[i], close[i], atr, this.bodyAtrMin, this.wickRatioMax);
    } else impulse = close[i] > open[i] ? 1 : close[i] < open[i] ? -1 : 0;

    let isNew = 0, newDir = 0, newUpper = NaN, newLower = NaN;
    if (impulse !== 0) {
      for (let j = i - 1; j >= Math.max(0, i - this.lookback); j--) {
        const opposing = impulse === 1 ? close[j] < open[j] : close[j] > open[j];
        if (!opposing) continue;
        const lower = this.useBody ? Math.min(open[j], close[j]) : low[j];
        const upper = this.useBody ? Math.max(open[j], close[j]) : high[j];
        if (upper > lower) {
          this.blocks.unshift({ dir: impulse, upper, lower, createdAt: i, state: ACTIVE });
          this.version++;
          isNew = 1;
          newDir = impulse;
          newUpper = upper;
          newLower = lower;
        }
        break;
      }
    }

    let invDir = 0, invUpper = NaN, invLower = NaN, invalidated = 0;
    const mitigated = updateBlocks(this.blocks, i, high[i], low[i], close[i], (b) => {
      invalidated = 1;
      invDir = b.dir;
      invUpper = b.upper;
      invLower = b.lower;
    });
    if (this.blocks.length > this.maxActive) this.blocks.length = this.maxActive;

    const o = this.out;
    o.new_this_bar[i] = isNew;
    o.new_direction[i] = newDir;
    o.new_upper[i] = newUpper;
    o.new_lower[i] = newLower;
    writeBlockAggregates(this.blocks, close[i], o, i);
    o.any_mitigated_this_bar[i] = mitigated ? 1 : 0;
    o.any_invalidated_this_bar[i] = invalidated;
    o.version[i] = this.version;
    o._last_invalidated_direction[i] = invDir;
    o._last_invalidated_upper[i] = invUpper;
    o._last_invalidated_lower[i] = invLower;
  }
}

export const orderBlock = defineStructure({
  type: 'order_block',
  enums: {},
  dependencies: { required: [], optional: ['swing', 'displacement'] },
  outputs: () => OUTPUTS,
  privateFields: ['_last_invalidated_direction', '_last_invalidated_upper', '_last_invalidated_lower'],
  // TRADE: max(lookback + 2, left + right)
  warmup: (p, deps) => Math.max((typeof p.lookback === 'number' ? p.lookback : 3) + 2, swingSpan(deps)),
  createStepper: (ctx, out) => new OrderBlockStepper(ctx, out),
});

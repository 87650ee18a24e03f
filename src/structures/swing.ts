// swing: pivot highs/lows with delayed confirmation, significance, alternation and L->H / H->L pairing.
//
// Semantics follow TRADE's detector (docs/dsl/structures.md; meaning read from its swing.py):
// - fractal mode (default): the bar p is a swing high when high[p] is STRICTLY greater than every other
//   high in [p - left, p + right] (a swing low: strictly lower low). It is only known once bar p + right
//   has closed, so it is confirmed at bar i = p + right: the outputs at bar i never reflect a pivot whose
//   right side has not been seen. That is a delay, never a peek.
// - atr_zigzag mode: track the running extreme of the current leg; a reversal of more than
//   atr_multiplier * ATR from it confirms the extreme as a pivot at the bar of the reversal.
// - Gate 1 filters (min_atr_move, min_pct_move) compare with the previous accepted pivot of the same type;
//   Gate 2 (strict_alternation) drops a same-type pivot unless it is more extreme than the pending one.
// - When a high and a low confirm on the same bar the high is processed first (TRADE's order).
// Besides the doc's table, TRADE's code-level outputs the DSL registry accepts are produced too:
// high/low_replaced_pending (Gate 2 replaced the pending same-type pivot this bar), pair_high_idx,
// pair_low_idx, last_confirmed_pivot_idx, and pair_anchor_hash (an opaque id of the pair: FNV-1a of its
// pivot indices and direction, an ENUM without a value list; compare it only with itself).
// Choices: missing indices (high_idx before any pivot) are NaN rather than TRADE's -1 (NaN = missing
// everywhere in Playforge; conditions treat both as false). `pair_direction` and
// `last_confirmed_pivot_type` are NaN until known (TRADE's ""). Without `atr_key` the significance
// outputs stay NaN (as in TRADE); atr_zigzag without `atr_key` uses a private Wilder ATR(14).
import { boolParam, enumParam, intParam, numParam, optNumParam, strParam } from './params.ts';
import { atrSource, B, defineStructure, E, F, fnv1a, I } from './series.ts';
import type { StructureContext, StructureOutput, StructureStepper } from './types.ts';

export const PAIR_DIRECTIONS = ['bullish', 'bearish'] as const;
export const PIVOT_TYPES = ['high', 'low'] as const;
const BULLISH = 0, BEARISH = 1;
/** An ENUM with no fixed list of values (an opaque id): compare only with == / != (e.g. against an offset). */
export const OPEN_ENUM = { type: 'ENUM' } as const;
const HIGH = 0, LOW = 1;

const OUTPUTS = {
  high_level: F,
  low_level: F,
  high_idx: I,
  low_idx: I,
  version: I,
  high_version: I,
  low_version: I,
  high_significance: F,
  low_significance: F,
  high_is_major: B,
  low_is_major: B,
  high_accepted: B,
  low_accepted: B,
  high_replaced_pending: B,
  low_replaced_pending: B,
  pair_high_level: F,
  pair_low_level: F,
  pair_high_idx: I,
  pair_low_idx: I,
  pair_direction: E(PAIR_DIRECTIONS),
  pair_version: I,
  pair_anchor_hash: OPEN_ENUM,
  last_confirmed_pivot_idx: I,
  last_confirmed_pivot_type: E(PIVOT_TYPES),
};

class SwingStepper implements StructureStepper {
  private readonly mode: 'fractal' | 'atr_zigzag';
  private readonly left: number;
  private readonly right: number;
  private readonly majorThreshold: number;
  private readonly minAtrMove: number | undefined;
  private readonly minPctMove: number | undefined;
  private readonly strictAlternation: boolean;
  private readonly atrMultiplier: number;
  private readonly atr: { at(i: number): number } | undefined;

  // individual pivots
  private highLevel = NaN;
  private highIdx = NaN;
  private lowLevel = NaN;
  private lowIdx = NaN;
  private version = 0;
  private highVersion = 0;
  private lowVersion = 0;
  private highSig = NaN;
  private lowSig = NaN;
  private lastType = NaN;
  private lastIdx = NaN;
  private replaced = false; // Gate 2: the pivot just accepted replaced a pending same-type one
  // previous accepted levels (significance and Gate 1 reference)
  private prevHigh = NaN;
  private prevLow = NaN;
  // Gate 2 alternation
  private altType = -1;
  private altLevel = NaN;
  // pairing state machine: pending first pivot of the next pair
  private pendingType = -1;
  private pendingLevel = NaN;
  private pendingIdx = NaN;
  private pairHigh = NaN;
  private pairLow = NaN;
  private pairHighIdx = NaN;
  private pairLowIdx = NaN;
  private pairDir = NaN;
  private pairVersion = 0;
  private pairHash = NaN;
  // atr_zigzag leg state
  private zzDir = 0;
  private zzExtreme = NaN;
  private zzExtremeIdx = -1;

  constructor(
    private readonly ctx: StructureContext,
    private readonly out: StructureOutput,
  ) {
    const p = ctx.params;
    this.mode = enumParam('swing', p, 'mode', ['fractal', 'atr_zigzag'] as const, 'fractal');
    // TRADE requires left/right in fractal mode; atr_zigzag plays still carry them (unused there).
    this.left = intParam('swing', p, 'left', this.mode === 'fractal' ? undefined : 1, 1);
    this.right = intParam('swing', p, 'right', this.mode === 'fractal' ? undefined : 1, 1);
    this.majorThreshold = numParam('swing', p, 'major_threshold', 1.5, 0);
    this.minAtrMove = optNumParam('swing', p, 'min_atr_move', 0);
    this.minPctMove = optNumParam('swing', p, 'min_pct_move', 0);
    this.strictAlternation = boolParam('swing', p, 'strict_alternation', false);
    this.atrMultiplier = numParam('swing', p, 'atr_multiplier', 2.0, Number.MIN_VALUE);
    const atrKey = strParam('swing', p, 'atr_key');
    this.atr = atrKey !== undefined || this.mode === 'atr_zigzag' ? atrSource(ctx, atrKey) : undefined;
  }

  step(i: number): void {
    const atr = this.atr ? this.atr.at(i) : NaN;
    let confirmedHigh = false, confirmedLow = false, highReplaced = false, lowReplaced = false;
    let highAt = -1, lowAt = -1;
    let highLevel = NaN, lowLevel = NaN;

    if (this.mode === 'fractal') {
      const span = this.left + this.right;
      if (i >= span) {
        const p = i - this.right;
        const { high, low } = this.ctx.input;
        if (isStrictMax(high, p, p - this.left, i)) {
          highAt = p;
          highLevel = high[p];
        }
        if (isStrictMin(low, p, p - this.left, i)) {
          lowAt = p;
          lowLevel = low[p];
        }
      }
    } else if (atr > 0) {
      // atr_zigzag: the first bar with a valid ATR starts an up leg at its high (TRADE's convention).
      const h = this.ctx.input.high[i], l = this.ctx.input.low[i];
      const threshold = atr * this.atrMultiplier;
      if (this.zzDir === 0) {
        this.zzDir = 1;
        this.zzExtreme = h;
        this.zzExtremeIdx = i;
      } else if (this.zzDir === 1) {
        if (h > this.zzExtreme) {
          this.zzExtreme = h;
          this.zzExtremeIdx = i;
        }
        if (l < this.zzExtreme - threshold) {
          highAt = this.zzExtremeIdx;
          highLevel = this.zzExtreme;
          this.zzDir = -1;
          this.zzExtreme = l;
          this.zzExtremeIdx = i;
        }
      } else {
        if (l < this.zzExtreme) {
          this.zzExtreme = l;
          this.zzExtremeIdx = i;
        }
        if (h > this.zzExtreme + threshold) {
          lowAt = this.zzExtremeIdx;
          lowLevel = this.zzExtreme;
          this.zzDir = 1;
          this.zzExtreme = h;
          this.zzExtremeIdx = i;
        }
      }
    }

    if (highAt >= 0 && this.accept(HIGH, highLevel, atr)) {
      this.highSig = significance(highLevel, this.prevHigh, atr);
      this.highLevel = highLevel;
      this.highIdx = highAt;
      this.prevHigh = highLevel;
      this.version++;
      this.highVersion++;
      this.lastType = HIGH;
      this.lastIdx = highAt;
      confirmedHigh = true;
      highReplaced = this.replaced;
    }
    if (lowAt >= 0 && this.accept(LOW, lowLevel, atr)) {
      this.lowSig = significance(lowLevel, this.prevLow, atr);
      this.lowLevel = lowLevel;
      this.lowIdx = lowAt;
      this.prevLow = lowLevel;
      this.version++;
      this.lowVersion++;
      this.lastType = LOW;
      this.lastIdx = lowAt;
      confirmedLow = true;
      lowReplaced = this.replaced;
    }
    if (confirmedHigh) this.pair(HIGH, this.highLevel, this.highIdx);
    if (confirmedLow) this.pair(LOW, this.lowLevel, this.lowIdx);

    const o = this.out;
    o.high_level[i] = this.highLevel;
    o.low_level[i] = this.lowLevel;
    o.high_idx[i] = this.highIdx;
    o.low_idx[i] = this.lowIdx;
    o.version[i] = this.version;
    o.high_version[i] = this.highVersion;
    o.low_version[i] = this.lowVersion;
    o.high_significance[i] = this.highSig;
    o.low_significance[i] = this.lowSig;
    o.high_is_major[i] = this.highSig >= this.majorThreshold ? 1 : 0;
    o.low_is_major[i] = this.lowSig >= this.majorThreshold ? 1 : 0;
    o.high_accepted[i] = confirmedHigh ? 1 : 0;
    o.low_accepted[i] = confirmedLow ? 1 : 0;
    o.high_replaced_pending[i] = highReplaced ? 1 : 0;
    o.low_replaced_pending[i] = lowReplaced ? 1 : 0;
    o.pair_high_level[i] = this.pairHigh;
    o.pair_low_level[i] = this.pairLow;
    o.pair_high_idx[i] = this.pairHighIdx;
    o.pair_low_idx[i] = this.pairLowIdx;
    o.pair_direction[i] = this.pairDir;
    o.pair_version[i] = this.pairVersion;
    o.pair_anchor_hash[i] = this.pairHash;
    o.last_confirmed_pivot_idx[i] = this.lastIdx;
    o.last_confirmed_pivot_type[i] = this.lastType;
  }

  /** Gate 1 (significance filters) then Gate 2 (strict alternation). */
  private accept(type: number, level: number, atr: number): boolean {
    this.replaced = false;
    if (this.minAtrMove !== undefined || this.minPctMove !== undefined) {
      const prev = type === HIGH ? this.prevHigh : this.prevLow;
      if (!Number.isNaN(prev)) {
        const move = Math.abs(level - prev);
        // Without a valid ATR the ATR filter cannot judge and lets the pivot through (TRADE's rule).
        if (this.minAtrMove !== undefined && atr > 0 && move < atr * this.minAtrMove) return false;
        if (this.minPctMove !== undefined && prev !== 0 && (move / prev) * 100 < this.minPctMove) return false;
      }
    }
    if (this.strictAlternation) {
      if (this.altType === type) {
        const moreExtreme = type === HIGH ? level > this.altLevel : level < this.altLevel;
        if (!moreExtreme) return false;
        this.replaced = true;
      }
      this.altType = type;
      this.altLevel = level;
    }
    return true;
  }

  /** Pairing: L then H completes a bullish pair, H then L a bearish one; same type replaces the pending pivot. */
  private pair(type: number, level: number, idx: number): void {
    if (this.pendingType === -1 || this.pendingType === type) {
      this.pendingType = type;
      this.pendingLevel = level;
      this.pendingIdx = idx;
      return;
    }
    if (type === HIGH) {
      this.pairHigh = level;
      this.pairHighIdx = idx;
      this.pairLow = this.pendingLevel;
      this.pairLowIdx = this.pendingIdx;
      this.pairDir = BULLISH;
    } else {
      this.pairHigh = this.pendingLevel;
      this.pairHighIdx = this.pendingIdx;
      this.pairLow = level;
      this.pairLowIdx = idx;
      this.pairDir = BEARISH;
    }
    this.pairVersion++;
    this.pairHash = fnv1a([this.pairHighIdx, this.pairLowIdx, this.pairDir]);
    this.pendingType = type;
    this.pendingLevel = level;
    this.pendingIdx = idx;
  }
}

/** high[p] strictly above every other value in [from, to]; NaN anywhere in the window rejects. */
function isStrictMax(a: Float64Array, p: number, from: number, to: number): boolean {
  const v = a[p];
  if (Number.isNaN(v)) return false;
  for (let j = from; j <= to; j++) if (j !== p && !(a[j] < v)) return false;
  return true;
}

function isStrictMin(a: Float64Array, p: number, from: number, to: number): boolean {
  const v = a[p];
  if (Number.isNaN(v)) return false;
  for (let j = from; j <= to; j++) if (j !== p && !(a[j] > v)) return false;
  return true;
}

/** |level - previous same-type level| in ATRs; NaN without a previous level or a valid ATR. */
function significance(level: number, prev: number, atr: number): number {
  if (!(atr > 0) || Number.isNaN(prev)) return NaN;
  return Math.abs(level - prev) / atr;
}

export const swing = defineStructure({
  type: 'swing',
  enums: { pair_direction: PAIR_DIRECTIONS, last_confirmed_pivot_type: PIVOT_TYPES },
  dependencies: { required: [], optional: [] },
  outputs: () => OUTPUTS,
  // TRADE: left + right (the confirmation delay). atr_zigzag also needs its ATR warm (14 bars).
  warmup: (p) =>
    p.mode === 'atr_zigzag' ? 14 : (typeof p.left === 'number' ? p.left : 5) + (typeof p.right === 'number' ? p.right : 5),
  createStepper: (ctx, out) => new SwingStepper(ctx, out),
});

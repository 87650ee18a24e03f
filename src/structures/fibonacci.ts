// fibonacci: retracement/extension levels from swing anchors.
//
// Semantics (TRADE docs/dsl/structures.md; meaning read from its fibonacci.py):
// - anchors: the swing's completed pair (use_paired_anchor, default true; recomputed when pair_version
//   changes), the latest individual high/low (use_paired_anchor: false; may be inverted), or trend-wave
//   anchoring (use_trend_anchor: true with `uses: [swing, trend]`): the pair, recomputed when the pair or the
//   trend's version changes, frozen while the trend is ranging, direction from the trend.
// - levels: retracement `high - r * range` for any ratio (r < 0 above the high, r > 1 below the low);
//   extension: bullish anchor `high + r * range`, bearish `low - r * range` (NaN without a direction);
//   extension_up `high + r * range`; extension_down `low - r * range`.
// - output names `level[<r>]` with r printed the shortest way (1.0 -> `level[1]`, 0.50 -> `level[0.5]`).
// - anchor_trend_direction (TRADE code-level output): the trend direction the anchors were taken in
//   (trend mode), else 0.
// Choices: anchor_direction is '' (its third value) when unknown (unpaired mode, or before any anchor), as in
// TRADE. anchor_hash (an opaque ENUM, no value list) is the swing's pair_anchor_hash (FNV-1a of the pair's
// pivot indices and direction): same anchors, same number; NaN when there is no pair (unpaired and trend
// modes, as TRADE's ''). Compare it only with itself (e.g. at an offset).
import { PlayforgeError } from '../common/errors.ts';
import { boolParam, depField, enumParam, numListParam, requireDep } from './params.ts';
import { defineStructure, E, F, I, swingSpan } from './series.ts';
import { OPEN_ENUM } from './swing.ts';
import type { OutputSpec, StructureContext, StructureOutput, StructureStepper } from './types.ts';

export const ANCHOR_DIRECTIONS = ['bullish', 'bearish', ''] as const;
const A_BULL = 0, A_BEAR = 1, A_NONE = 2;
const MODES = ['retracement', 'extension', 'extension_up', 'extension_down'] as const;
type Mode = (typeof MODES)[number];

/**
 * A ratio as the level key prints it: the shortest JS form (1.0 -> `1`, 0.50 -> `0.5`, like TRADE's `{:g}`
 * for usual ratios), the same spelling as the DSL registry's field names.
 */
export function formatRatio(r: number): string {
  return String(r);
}

export function fibLevelField(r: number): string {
  return `level[${formatRatio(r)}]`;
}

function outputs(params: Record<string, unknown>): Record<string, OutputSpec> {
  const specs: Record<string, OutputSpec> = {};
  const levels = Array.isArray(params.levels) ? (params.levels as unknown[]) : [];
  for (const r of levels) if (typeof r === 'number') specs[fibLevelField(r)] = F;
  specs.anchor_high = F;
  specs.anchor_low = F;
  specs.range = F;
  specs.anchor_direction = E(ANCHOR_DIRECTIONS);
  specs.anchor_hash = OPEN_ENUM;
  specs.anchor_trend_direction = I;
  return specs;
}

class FibonacciStepper implements StructureStepper {
  private readonly levels: number[];
  private readonly cols: Float64Array[];
  private readonly mode: Mode;
  private readonly anchor: 'paired' | 'unpaired' | 'trend';
  private readonly swing: StructureOutput;
  private readonly trendDirection: Float64Array | undefined;
  private readonly trendVersion: Float64Array | undefined;
  private readonly values: Float64Array;
  private lastKey1 = NaN;
  private lastKey2 = NaN;
  private high = NaN;
  private low = NaN;
  private dir = A_NONE;
  private hash = NaN;
  private trendDir = 0;

  constructor(
    ctx: StructureContext,
    private readonly out: StructureOutput,
  ) {
    const p = ctx.params;
    this.levels = numListParam('fibonacci', p, 'levels');
    this.mode = enumParam('fibonacci', p, 'mode', MODES, 'retracement');
    const useTrend = boolParam('fibonacci', p, 'use_trend_anchor', false);
    // use_trend_anchor implies pairing, so the paired default only applies without it.
    const usePaired = boolParam('fibonacci', p, 'use_paired_anchor', !useTrend);
    if (useTrend && usePaired) {
      throw new PlayforgeError('STRUCTURE_BAD_PARAM', 'fibonacci: use_trend_anchor requires use_paired_anchor: false', {
        path: 'params.use_trend_anchor',
      });
    }
    this.anchor = useTrend ? 'trend' : usePaired ? 'paired' : 'unpaired';
    this.swing = requireDep('fibonacci', ctx, 'swing');
    for (const f of ['pair_version', 'pair_high_level', 'pair_low_level', 'pair_direction', 'pair_anchor_hash', 'high_level', 'low_level', 'version']) {
      depField('fibonacci', this.swing, 'swing', f);
    }
    if (useTrend) {
      const trend = requireDep('fibonacci', ctx, 'trend');
      this.trendDirection = depField('fibonacci', trend, 'trend', 'direction');
      this.trendVersion = depField('fibonacci', trend, 'trend', 'version');
    }
    this.cols = this.levels.map((r) => out[fibLevelField(r)]);
    this.values = new Float64Array(this.levels.length).fill(NaN);
  }

  step(i: number): void {
    const s = this.swing;
    if (this.anchor === 'paired') {
      if (s.pair_version[i] !== this.lastKey1) {
        this.lastKey1 = s.pair_version[i];
        const dir = s.pair_direction[i];
        const d = dir === 0 ? A_BULL : dir === 1 ? A_BEAR : A_NONE;
        if (this.setAnchor(s.pair_high_level[i], s.pair_low_level[i], d)) this.hash = s.pair_anchor_hash[i];
      }
    } else if (this.anchor === 'unpaired') {
      if (s.version[i] !== this.lastKey1) {
        this.lastKey1 = s.version[i];
        this.setAnchor(s.high_level[i], s.low_level[i], A_NONE);
      }
    } else {
      const tv = this.trendVersion![i];
      if (s.pair_version[i] !== this.lastKey1 || tv !== this.lastKey2) {
        this.lastKey1 = s.pair_version[i];
        this.lastKey2 = tv;
        const td = this.trendDirection![i];
        // Ranging keeps the last anchors frozen (no flicker); otherwise the trend gives the direction.
        if (td !== 0 && this.setAnchor(s.pair_high_level[i], s.pair_low_level[i], td === 1 ? A_BULL : A_BEAR)) this.trendDir = td;
      }
    }
    const o = this.out;
    for (let k = 0; k < this.cols.length; k++) this.cols[k][i] = this.values[k];
    o.anchor_high[i] = this.high;
    o.anchor_low[i] = this.low;
    o.range[i] = this.high - this.low;
    o.anchor_direction[i] = this.dir;
    o.anchor_hash[i] = this.hash;
    o.anchor_trend_direction[i] = this.trendDir;
  }

  /** New anchors (ignored while either is missing); recomputes every level. */
  private setAnchor(high: number, low: number, dir: number): boolean {
    if (Number.isNaN(high) || Number.isNaN(low)) return false;
    this.high = high;
    this.low = low;
    this.dir = dir;
    const range = high - low;
    for (let k = 0; k < this.levels.length; k++) {
      const r = this.levels[k];
      let v: number;
      switch (this.mode) {
        case 'retracement':
          v = high - r * range;
          break;
        case 'extension':
          v = dir === A_BULL ? high + r * range : dir === A_BEAR ? low - r * range : NaN;
          break;
        case 'extension_up':
          v = high + r * range;
          break;
        default:
          v = low - r * range;
      }
      this.values[k] = v;
    }
    return true;
  }
}

export const fibonacci = defineStructure({
  type: 'fibonacci',
  enums: { anchor_direction: ANCHOR_DIRECTIONS },
  dependencies: { required: ['swing'], optional: ['trend'] },
  outputs,
  warmup: (_p, deps) => swingSpan(deps), // TRADE: left + right
  createStepper: (ctx, out) => new FibonacciStepper(ctx, out),
});

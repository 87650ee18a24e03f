// Anchor events for anchored_vwap / anchored_volume_profile, following TRADE: a new anchor starts at the
// bar where a swing pivot is CONFIRMED (pivot bar + `right`), never at the pivot bar itself, so no value
// depends on bars after it. Pivots: a swing high at bar p is confirmed at bar p+right when high[p] is
// strictly above every high in [p-left, p+right] except its own (swing low likewise, strictly below).
// A "pair" completes when a confirmed pivot follows one of the other type: low->high is a bullish pair
// (it ends on a high), high->low a bearish pair (ends on a low). If a high and a low confirm on the same
// bar, the high is processed first. The engine can override all of this by passing its own reset
// series (IndicatorContext.anchorResets), e.g. from the play's declared swing structure.

import { PlayforgeError } from '../common/errors.ts';

export const ANCHOR_SOURCES = ['swing_high', 'swing_low', 'swing_any', 'pair_high', 'pair_low', 'pair_any', 'manual'] as const;
export type AnchorSource = (typeof ANCHOR_SOURCES)[number];

/** TRADE's documented swing example and default: left = right = 5. */
export const DEFAULT_SWING_LEFT = 5;
export const DEFAULT_SWING_RIGHT = 5;

export function parseAnchorSource(value: unknown, path: string): AnchorSource {
  if (typeof value === 'string' && (ANCHOR_SOURCES as readonly string[]).includes(value)) return value as AnchorSource;
  throw new PlayforgeError('INDICATOR_BAD_PARAM', `anchor_source must be one of ${ANCHOR_SOURCES.join(', ')}, got ${JSON.stringify(value)}`, {
    path,
  });
}

function isPivot(series: Float64Array, p: number, left: number, right: number, high: boolean): boolean {
  const v = series[p];
  if (v !== v) return false;
  for (let j = p - left; j <= p + right; j++) {
    if (j === p) continue;
    const w = series[j];
    if (w !== w) return false;
    if (high ? w >= v : w <= v) return false;
  }
  return true;
}

/** 1 at every bar where a new anchor of `source` starts, else 0. `manual` never resets by itself. */
export function swingAnchorResets(
  high: Float64Array,
  low: Float64Array,
  source: AnchorSource,
  left = DEFAULT_SWING_LEFT,
  right = DEFAULT_SWING_RIGHT,
): Uint8Array {
  const n = high.length;
  const out = new Uint8Array(n);
  if (source === 'manual') return out;
  let last = 0; // 0 none, 1 high, -1 low
  for (let c = left + right; c < n; c++) {
    const p = c - right;
    const hi = isPivot(high, p, left, right, true);
    const lo = isPivot(low, p, left, right, false);
    let reset = false;
    if (hi) {
      if (source === 'swing_high' || source === 'swing_any') reset = true;
      if (last === -1 && (source === 'pair_high' || source === 'pair_any')) reset = true;
      last = 1;
    }
    if (lo) {
      if (source === 'swing_low' || source === 'swing_any') reset = true;
      if (last === 1 && (source === 'pair_low' || source === 'pair_any')) reset = true;
      last = -1;
    }
    if (reset) out[c] = 1;
  }
  return out;
}

// Anchor resets for anchored_vwap / anchored_volume_profile from the play's own swing structure (on the
// feature's timeframe), as TRADE anchors them on its swing detector. Without a swing structure there the
// indicators detect 5/5 fractal pivots themselves (src/indicators/anchors.ts).
import { STRUCTURE_IMPLS, type StructureOutput } from '../../structures/index.ts';

export const ANCHORED_INDICATORS: ReadonlySet<string> = new Set(['anchored_vwap', 'anchored_volume_profile']);

/** The anchor source an anchored indicator uses: its `anchor_source` param, or the swing pair for the profile. */
export function anchorSourceOf(indicator: string, params: Record<string, unknown>): string {
  if (indicator === 'anchored_volume_profile') return 'pair_any';
  return typeof params.anchor_source === 'string' ? params.anchor_source : 'swing_any';
}

/**
 * 1 where a new anchor starts: a confirmed swing high (`high_accepted`) or low (`low_accepted`), or a
 * completed swing pair (`pair_version` steps up; a bullish pair ends on a high, a bearish one on a low).
 * `manual` never resets. Reads bar t only (and t-1 for the pair version), so no look-ahead.
 */
export function swingResets(swing: StructureOutput, source: string, n: number): Uint8Array {
  const out = new Uint8Array(n);
  if (source === 'manual') return out;
  const hi = swing.high_accepted, lo = swing.low_accepted, pv = swing.pair_version, pd = swing.pair_direction;
  const directions = STRUCTURE_IMPLS.swing.enums.pair_direction;
  const BULLISH = directions.indexOf('bullish'), BEARISH = directions.indexOf('bearish');
  for (let t = 0; t < n; t++) {
    const high = hi[t] === 1, low = lo[t] === 1;
    const pair = t > 0 && pv[t] > pv[t - 1];
    const bullishPair = pair && pd[t] === BULLISH;
    const bearishPair = pair && pd[t] === BEARISH;
    let reset: boolean;
    switch (source) {
      case 'swing_high':
        reset = high;
        break;
      case 'swing_low':
        reset = low;
        break;
      case 'swing_any':
        reset = high || low;
        break;
      case 'pair_high':
        reset = bullishPair;
        break;
      case 'pair_low':
        reset = bearishPair;
        break;
      default: // pair_any
        reset = pair;
    }
    if (reset) out[t] = 1;
  }
  return out;
}

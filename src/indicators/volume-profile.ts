// Volume profile over a rolling window of bars (TRADE volume_profile) and its anchored variant.
//
// Definition (ours; TRADE's incremental version re-bins lazily, which makes its buckets depend on the
// whole path, so we use a deterministic rule that a reader can recompute from the window alone):
// - window: the last `lookback` bars up to and including t (anchored: never before the current anchor);
// - price range: lowest low .. highest high of the window, split into `num_buckets` equal buckets;
// - each bar spreads its volume equally over the buckets from the one holding its low to the one holding
//   its high (a price exactly on the top edge falls in the last bucket); bars with NaN or volume <= 0
//   add nothing but still count toward `lookback`;
// - poc = centre price of the bucket with most volume (ties: the lower bucket); poc_volume its volume;
// - value area: start at the POC bucket and repeatedly add the larger neighbouring bucket (ties: the
//   upper one, as TRADE), skipping empty buckets, until it holds value_area_pct of the volume;
//   vah/val = centre prices of its top and bottom buckets;
// - above_poc = 1 if close > poc else 0; in_value_area = 1 if val <= close <= vah else 0 (NaN if the
//   bar's close is NaN; the profile itself still describes the window);
// - a window whose high equals its low is one level: poc = vah = val = that price.
// All outputs are NaN until the window is full (plain) / from the anchor bar on (anchored), and NaN when
// the window holds no volume. Cost O(lookback * touched buckets) per bar.

import { nanArray } from './primitives.ts';

export interface VolumeProfileOutputs extends Record<string, Float64Array> {
  poc: Float64Array;
  vah: Float64Array;
  val: Float64Array;
  poc_volume: Float64Array;
  above_poc: Float64Array;
  in_value_area: Float64Array;
}

function profileInto(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  start: number,
  t: number,
  buckets: Float64Array,
  valueAreaPct: number,
  out: VolumeProfileOutputs,
): void {
  const nb = buckets.length;
  let lo = Infinity;
  let hi = -Infinity;
  for (let j = start; j <= t; j++) {
    const v = volume[j];
    if (!(v > 0) || high[j] !== high[j] || low[j] !== low[j]) continue;
    if (low[j] < lo) lo = low[j];
    if (high[j] > hi) hi = high[j];
  }
  if (lo === Infinity) return; // no volume in the window: outputs stay NaN
  const c = close[t];
  if (hi === lo) {
    let total = 0;
    for (let j = start; j <= t; j++) if (volume[j] > 0 && high[j] === high[j] && low[j] === low[j]) total += volume[j];
    out.poc[t] = lo;
    out.vah[t] = lo;
    out.val[t] = lo;
    out.poc_volume[t] = total;
    out.above_poc[t] = c !== c ? NaN : c > lo ? 1 : 0;
    out.in_value_area[t] = c !== c ? NaN : c === lo ? 1 : 0;
    return;
  }
  const width = (hi - lo) / nb;
  const last = nb - 1;
  buckets.fill(0);
  let total = 0;
  for (let j = start; j <= t; j++) {
    const v = volume[j];
    const hj = high[j];
    const lj = low[j];
    if (!(v > 0) || hj !== hj || lj !== lj) continue;
    // (p - lo) / width is >= 0 here, so truncation is floor
    let a = ((lj - lo) / width) | 0;
    let b = ((hj - lo) / width) | 0;
    if (a > last) a = last;
    if (b > last) b = last;
    const share = v / (b - a + 1);
    for (let k = a; k <= b; k++) buckets[k] += share;
    total += v;
  }
  let poc = 0;
  for (let k = 1; k < nb; k++) if (buckets[k] > buckets[poc]) poc = k;
  const target = total * valueAreaPct;
  let vaLo = poc;
  let vaHi = poc;
  let acc = buckets[poc];
  while (acc < target && (vaLo > 0 || vaHi < nb - 1)) {
    const down = vaLo > 0 ? buckets[vaLo - 1] : -1;
    const up = vaHi < nb - 1 ? buckets[vaHi + 1] : -1;
    if (up >= down) {
      vaHi++;
      acc += up;
    } else {
      vaLo--;
      acc += down;
    }
  }
  const pocPrice = lo + (poc + 0.5) * width;
  const vah = lo + (vaHi + 0.5) * width;
  const val = lo + (vaLo + 0.5) * width;
  out.poc[t] = pocPrice;
  out.vah[t] = vah;
  out.val[t] = val;
  out.poc_volume[t] = buckets[poc];
  out.above_poc[t] = c !== c ? NaN : c > pocPrice ? 1 : 0;
  out.in_value_area[t] = c !== c ? NaN : c >= val && c <= vah ? 1 : 0;
}

function emptyOutputs(n: number): VolumeProfileOutputs {
  return { poc: nanArray(n), vah: nanArray(n), val: nanArray(n), poc_volume: nanArray(n), above_poc: nanArray(n), in_value_area: nanArray(n) };
}

/** Rolling volume profile over the last `lookback` bars; first value at index lookback-1. */
export function volumeProfile(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  numBuckets: number,
  lookback: number,
  valueAreaPct: number,
): VolumeProfileOutputs {
  const n = close.length;
  const out = emptyOutputs(n);
  const buckets = new Float64Array(numBuckets);
  for (let t = lookback - 1; t < n; t++) profileInto(high, low, close, volume, t - lookback + 1, t, buckets, valueAreaPct, out);
  return out;
}

/**
 * Volume profile of the bars since the current anchor (resets[t] = 1 starts one; the series start is
 * the first), capped at the last `lookback` bars as TRADE does. Defined from bar 0.
 */
export function anchoredVolumeProfile(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  numBuckets: number,
  lookback: number,
  valueAreaPct: number,
  resets: ArrayLike<number>,
): VolumeProfileOutputs {
  const n = close.length;
  const out = emptyOutputs(n);
  const buckets = new Float64Array(numBuckets);
  let anchor = 0;
  for (let t = 0; t < n; t++) {
    if (resets[t] === 1) anchor = t;
    const start = Math.max(anchor, t - lookback + 1);
    profileInto(high, low, close, volume, start, t, buckets, valueAreaPct, out);
  }
  return out;
}

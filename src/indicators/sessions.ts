// UTC session calendar (day / Monday-based week / month) and session high/low levels.
// A bar belongs to the session that contains its own open timestamp (ts, ms UTC); nothing reads ahead.

import { PlayforgeError } from '../common/errors.ts';
import { nanArray } from './primitives.ts';

const MS_PER_DAY = 86_400_000;

export type SessionAnchor = 'D' | 'W' | 'M';

/** Days since 1970-01-01 UTC of a millisecond timestamp. */
function dayNumber(ts: number): number {
  return Math.floor(ts / MS_PER_DAY);
}

/** Monday-based week number (1970-01-01 was a Thursday, so shift by 3 days). */
function weekNumber(day: number): number {
  return Math.floor((day + 3) / 7);
}

/** year*12 + month0 for a day number (civil-from-days, Gregorian, no Date allocation). */
function monthNumber(day: number): number {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9; // 1..12
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return year * 12 + (month - 1);
}

/** Session id of a bar for an anchor: equal ids = same session. NaN timestamp gives NaN. */
export function sessionKey(ts: number, anchor: SessionAnchor): number {
  if (ts !== ts) return NaN;
  const day = dayNumber(ts);
  if (anchor === 'D') return day;
  if (anchor === 'W') return weekNumber(day);
  return monthNumber(day);
}

/** Validates a `vwap` anchor parameter ("D", "W", "M"; lower case accepted). */
export function parseSessionAnchor(value: unknown, path: string): SessionAnchor {
  const v = typeof value === 'string' ? value.toUpperCase() : value;
  if (v === 'D' || v === 'W' || v === 'M') return v;
  throw new PlayforgeError(
    'INDICATOR_BAD_PARAM',
    `anchor must be "D" (UTC day), "W" (UTC week from Monday) or "M" (UTC month), got ${JSON.stringify(value)}`,
    { path },
  );
}

/**
 * Session levels (TRADE session_levels): running high/low of the current UTC day including this bar,
 * and the final high/low of the previous UTC day and previous Monday-based UTC week. prev_* are NaN until
 * a session boundary has been seen (so the first, possibly partial, session of the data does count as
 * "previous" once it ends, as TRADE does). Bars with NaN high/low are skipped.
 */
export function sessionLevels(
  ts: Float64Array,
  high: Float64Array,
  low: Float64Array,
): {
  prev_day_high: Float64Array;
  prev_day_low: Float64Array;
  current_day_high: Float64Array;
  current_day_low: Float64Array;
  prev_week_high: Float64Array;
  prev_week_low: Float64Array;
} {
  const n = ts.length;
  const pdh = nanArray(n);
  const pdl = nanArray(n);
  const cdh = nanArray(n);
  const cdl = nanArray(n);
  const pwh = nanArray(n);
  const pwl = nanArray(n);
  let day = NaN;
  let week = NaN;
  let dh = NaN;
  let dl = NaN;
  let wh = NaN;
  let wl = NaN;
  let pdH = NaN;
  let pdL = NaN;
  let pwH = NaN;
  let pwL = NaN;
  for (let i = 0; i < n; i++) {
    const h = high[i];
    const l = low[i];
    const t = ts[i];
    if (h !== h || l !== l || t !== t) continue;
    const d = dayNumber(t);
    const w = weekNumber(d);
    if (d !== day) {
      if (day === day) {
        pdH = dh;
        pdL = dl;
      }
      day = d;
      dh = h;
      dl = l;
    } else {
      if (h > dh) dh = h;
      if (l < dl) dl = l;
    }
    if (w !== week) {
      if (week === week) {
        pwH = wh;
        pwL = wl;
      }
      week = w;
      wh = h;
      wl = l;
    } else {
      if (h > wh) wh = h;
      if (l < wl) wl = l;
    }
    pdh[i] = pdH;
    pdl[i] = pdL;
    cdh[i] = dh;
    cdl[i] = dl;
    pwh[i] = pwH;
    pwl[i] = pwL;
  }
  return {
    prev_day_high: pdh,
    prev_day_low: pdl,
    current_day_high: cdh,
    current_day_low: cdl,
    prev_week_high: pwh,
    prev_week_low: pwl,
  };
}

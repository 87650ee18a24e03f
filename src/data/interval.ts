// Bar intervals in the DSL's spelling, with UTC-aligned bucket arithmetic (calendar-aware for months).
import { PlayforgeError } from '../common/errors.ts';

export const INTERVALS = ['1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '12h', 'D', 'W', 'M'] as const;
export type Interval = (typeof INTERVALS)[number];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** 1970-01-05 was the first Monday after the epoch; weekly bars open on Monday 00:00 UTC (as Bybit's do). */
const WEEK_ANCHOR = 4 * DAY;

const FIXED_MS: Record<Exclude<Interval, 'M'>, number> = {
  '1m': MINUTE,
  '3m': 3 * MINUTE,
  '5m': 5 * MINUTE,
  '15m': 15 * MINUTE,
  '30m': 30 * MINUTE,
  '1h': HOUR,
  '2h': 2 * HOUR,
  '4h': 4 * HOUR,
  '6h': 6 * HOUR,
  '12h': 12 * HOUR,
  D: DAY,
  W: 7 * DAY,
};

const ALIASES: Record<string, Interval> = { '1d': 'D', '1D': 'D', '1w': 'W', '1W': 'W', '1M': 'M', '60m': '1h', '240m': '4h' };

export function isInterval(s: string): s is Interval {
  return (INTERVALS as readonly string[]).includes(s);
}

/** Accepts the DSL spelling plus the aliases `1d`/`1w` (and `1M` for a month); throws DATA_BAD_INTERVAL otherwise. */
export function parseInterval(s: string): Interval {
  const t = s.trim();
  if (isInterval(t)) return t;
  const alias = ALIASES[t];
  if (alias) return alias;
  throw new PlayforgeError('DATA_BAD_INTERVAL', `unknown interval "${s}"; use one of ${INTERVALS.join(', ')} (1d and 1w are accepted for D and W)`);
}

/**
 * Length of one bar in ms. Months have no fixed length: `M` returns a nominal 30 days, good for
 * annualising or sizing, never for alignment (use floorToInterval / nextBarStart for that).
 */
export function intervalMs(interval: Interval | string): number {
  const iv = parseInterval(interval);
  return iv === 'M' ? 30 * DAY : FIXED_MS[iv];
}

/** Open time of the bar of `interval` that contains `ts` (UTC boundaries; weeks start Monday). */
export function floorToInterval(ts: number, interval: Interval): number {
  if (interval === 'M') {
    const d = new Date(ts);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }
  const ms = FIXED_MS[interval];
  const anchor = interval === 'W' ? WEEK_ANCHOR : 0;
  return Math.floor((ts - anchor) / ms) * ms + anchor;
}

/** Open time of the bar after the one that opens at (or contains) `ts`. */
export function nextBarStart(ts: number, interval: Interval): number {
  if (interval === 'M') {
    const d = new Date(floorToInterval(ts, 'M'));
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  return floorToInterval(ts, interval) + FIXED_MS[interval];
}

export function isAligned(ts: number, interval: Interval): boolean {
  return floorToInterval(ts, interval) === ts;
}

/** Number of bars strictly between two aligned open times `a < b` (0 when b is the bar right after a). */
export function missingBarsBetween(a: number, b: number, interval: Interval): number {
  if (interval === 'M') {
    const da = new Date(a);
    const db = new Date(b);
    return (db.getUTCFullYear() - da.getUTCFullYear()) * 12 + (db.getUTCMonth() - da.getUTCMonth()) - 1;
  }
  return Math.round((b - a) / FIXED_MS[interval]) - 1;
}

/**
 * Whether bars of `from` nest exactly inside bars of `to` (every `to` boundary is a `from` boundary), so
 * `to` can be built by aggregation. Weeks do not nest in months.
 */
export function nestsIn(from: Interval, to: Interval): boolean {
  if (from === to) return false;
  if (to === 'M') return from !== 'W' && FIXED_MS[from as Exclude<Interval, 'M'>] <= DAY;
  if (from === 'M') return false;
  const f = FIXED_MS[from];
  const t = FIXED_MS[to];
  return t > f && t % f === 0;
}

/** The `interval` query value Bybit's V5 kline endpoint expects. */
export function bybitInterval(interval: Interval): string {
  if (interval === 'D' || interval === 'W' || interval === 'M') return interval;
  return String(FIXED_MS[interval] / MINUTE);
}

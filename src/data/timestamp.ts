// Timestamps in source files: epoch numbers in s / ms / us / ns (told apart by magnitude) or ISO-8601 text.
import { PlayforgeError } from '../common/errors.ts';

export type TimestampUnit = 's' | 'ms' | 'us' | 'ns' | 'iso';

/**
 * Magnitude bands of epoch numbers for dates between 1973-03 and 5138: a value's band names its unit.
 * Seconds reach 1e11 only in the year 5138 and milliseconds drop below 1e11 only before 1973.
 */
const BANDS: Array<[Exclude<TimestampUnit, 'iso'>, number, number, number]> = [
  ['s', 1e8, 1e11, 1000],
  ['ms', 1e11, 1e14, 1],
  ['us', 1e14, 1e17, 1e-3],
  ['ns', 1e17, 1e20, 1e-6],
];

export function numericUnitOf(v: number): Exclude<TimestampUnit, 'iso'> | undefined {
  const a = Math.abs(v);
  for (const [unit, lo, hi] of BANDS) if (a >= lo && a < hi) return unit;
  return undefined;
}

/** Epoch ms (integer) from an epoch number in `unit`, or NaN when the number is outside that unit's band. */
export function epochToMs(v: number, unit: Exclude<TimestampUnit, 'iso'>): number {
  if (!Number.isFinite(v) || numericUnitOf(v) !== unit) return NaN;
  const factor = BANDS.find((b) => b[0] === unit)![3];
  return Math.round(v * factor);
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|UTC|[+-]\d{2}(?::?\d{2})?)?$/;

/** Epoch ms from ISO-8601 text; no offset means UTC. NaN when the text is not a valid date-time. */
export function parseIsoMs(text: string): number {
  const m = ISO_RE.exec(text.trim());
  if (!m) return NaN;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', off] = m;
  const Y = Number(y), MO = Number(mo), D = Number(d), H = Number(h), MI = Number(mi), S = Number(s);
  if (MO < 1 || MO > 12 || D < 1 || D > 31 || H > 23 || MI > 59 || S > 59) return NaN;
  const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  let t = Date.UTC(Y, MO - 1, D, H, MI, S, ms);
  if (new Date(t).getUTCDate() !== D) return NaN; // 2024-02-30 and friends
  if (off && off !== 'Z' && off !== 'z' && off !== 'UTC') {
    const sign = off[0] === '-' ? -1 : 1;
    const digits = off.slice(1).replace(':', '');
    const offMin = Number(digits.slice(0, 2)) * 60 + (digits.length > 2 ? Number(digits.slice(2, 4)) : 0);
    t -= sign * offMin * 60_000;
  }
  return t;
}

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function looksNumeric(text: string): boolean {
  return NUMBER_RE.test(text.trim());
}

/**
 * Decides how a column of timestamp texts is written, from the median of its first 1000 non-empty
 * values (one corrupt early value cannot mislead it). Returns undefined when nothing there is a timestamp.
 */
export function detectTimestampUnit(samples: readonly string[]): TimestampUnit | undefined {
  const sample = samples.filter((s) => s.trim() !== '').slice(0, 1000);
  if (sample.length === 0) return undefined;
  const numeric = sample.filter(looksNumeric);
  if (numeric.length * 2 > sample.length) {
    const mags = numeric.map((s) => Math.abs(Number(s))).sort((a, b) => a - b);
    return numericUnitOf(mags[Math.floor(mags.length / 2)]);
  }
  const iso = sample.filter((s) => Number.isFinite(parseIsoMs(s)));
  return iso.length * 2 > sample.length ? 'iso' : undefined;
}

/** Epoch numbers already read as doubles (Parquet integer columns): median magnitude decides. */
export function detectNumericUnit(values: Float64Array): Exclude<TimestampUnit, 'iso'> | undefined {
  const mags: number[] = [];
  for (let i = 0; i < values.length && mags.length < 1000; i++) if (Number.isFinite(values[i])) mags.push(Math.abs(values[i]));
  if (mags.length === 0) return undefined;
  mags.sort((a, b) => a - b);
  return numericUnitOf(mags[Math.floor(mags.length / 2)]);
}

/** Epoch ms from one cell written in `unit`; NaN when it does not parse in that unit. */
export function timestampToMs(text: string, unit: TimestampUnit): number {
  if (unit === 'iso') return parseIsoMs(text);
  if (!looksNumeric(text)) return NaN;
  return epochToMs(Number(text), unit);
}

/** A date given on the command line: ISO-8601 (`2021-01-01`, `2021-01-01T12:00Z`) or an epoch number. */
export function parseDateArg(text: string, what = 'date'): number {
  const t = text.trim();
  if (looksNumeric(t)) {
    const unit = numericUnitOf(Number(t));
    if (unit) return epochToMs(Number(t), unit);
  } else {
    const ms = parseIsoMs(t);
    if (Number.isFinite(ms)) return ms;
  }
  throw new PlayforgeError('DATA_BAD_TIMESTAMP', `bad ${what} "${text}": use ISO-8601 (2021-01-01 or 2021-01-01T00:00:00Z) or epoch seconds/milliseconds`);
}

export function isoUtc(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms);
}

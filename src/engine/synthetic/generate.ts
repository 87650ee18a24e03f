// generatePattern: seeded synthetic candles for one of TRADE's named patterns on one interval.
import { PlayforgeError } from '../../common/errors.ts';
import { createRng } from '../../common/rng.ts';
import { allocateCandles, intervalMs, isAligned, nextBarStart, parseInterval, type Candles, type Interval } from '../../data/index.ts';
import { isPatternName, PATTERN_NAMES, planPattern, type PatternName } from './patterns.ts';
import { renderPlan } from './render.ts';

export interface GenerateOptions {
  bars: number;
  seed: number;
  /** Bar interval in the DSL spelling (1m ... D, W, M); `1d`/`1w` accepted. */
  interval: Interval | string;
  /** Open time of the first bar, ms UTC; moved forward to the interval's grid when not on it. Default 2025-01-01. */
  startTs?: number;
  /** Open of the first bar. Default 50,000 (TRADE's base price). */
  startPrice?: number;
}

export const DEFAULT_START_TS = Date.UTC(2025, 0, 1);
export const DEFAULT_START_PRICE = 50_000;
export const DEFAULT_SEED = 42;
/** Guard against a typo allocating gigabytes: 2M bars is 96 MB of columns. */
export const MAX_PATTERN_BARS = 2_000_000;

const MINUTE = 60_000;

/** Fast bar noise (log std) for an interval: about 0.1% on 15m, growing with sqrt(time), capped at 0.4%. */
export function barNoiseFor(interval: Interval): number {
  return Math.min(0.001 * Math.sqrt(intervalMs(interval) / (15 * MINUTE)), 0.004);
}

/** Mean volume of a normal bar in base units: 10 per minute of bar. */
export function baseVolumeFor(interval: Interval): number {
  return 10 * (intervalMs(interval) / MINUTE);
}

export function unknownPatternError(value: unknown, path: string, file?: string): PlayforgeError {
  return new PlayforgeError(
    'SYNTHETIC_UNKNOWN_PATTERN',
    `unknown synthetic pattern ${JSON.stringify(value)} at ${path}; valid patterns: ${PATTERN_NAMES.join(', ')}`,
    { ...(file ? { file } : {}), path },
  );
}

function badOption(path: string, message: string): PlayforgeError {
  return new PlayforgeError('SYNTHETIC_BAD_OPTION', message, { path });
}

/** The first open time on the interval's grid at or after ts. */
export function alignUp(ts: number, interval: Interval): number {
  return isAligned(ts, interval) ? ts : nextBarStart(ts, interval);
}

/**
 * `bars` candles of `pattern` on `interval`, the whole pattern spread over all of them. The same pattern,
 * seed, bar count, interval, start and price always give identical candles.
 */
export function generatePattern(pattern: PatternName | string, options: GenerateOptions): Candles {
  if (!isPatternName(pattern)) throw unknownPatternError(pattern, 'pattern');
  const { bars, seed } = options;
  if (!Number.isInteger(bars) || bars < 1 || bars > MAX_PATTERN_BARS) {
    throw badOption('bars', `bars must be a whole number from 1 to ${MAX_PATTERN_BARS}, got ${bars}`);
  }
  if (!Number.isInteger(seed)) throw badOption('seed', `seed must be a whole number, got ${seed}`);
  const interval = parseInterval(String(options.interval));
  const startPrice = options.startPrice ?? DEFAULT_START_PRICE;
  if (!(Number.isFinite(startPrice) && startPrice > 0)) throw badOption('startPrice', `startPrice must be a positive number, got ${startPrice}`);
  const start = options.startTs ?? DEFAULT_START_TS;
  if (!Number.isFinite(start)) throw badOption('startTs', `startTs must be epoch milliseconds, got ${start}`);

  const rng = createRng(seed);
  const plan = planPattern(pattern, rng.fork());
  const out = allocateCandles(bars);
  renderPlan(plan, bars, rng.fork(), { barNoise: barNoiseFor(interval), baseVolume: baseVolumeFor(interval), startPrice }, out);

  const first = alignUp(Math.floor(start), interval);
  if (interval === 'M') {
    // Calendar months differ in length; every other interval is a fixed step on the UTC grid.
    let ts = first;
    for (let i = 0; i < bars; i++, ts = nextBarStart(ts, interval)) out.ts[i] = ts;
  } else {
    const step = intervalMs(interval);
    for (let i = 0; i < bars; i++) out.ts[i] = first + i * step;
  }
  return out;
}

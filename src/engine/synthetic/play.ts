// syntheticDataForPlay: candles on a play's exec timeframe for its `synthetic:` / `validation:` pattern,
// long enough that the SLOWEST timeframe it reads gets the asked number of bars, with the pattern stretched
// over the whole span (TRADE's bar dilation: 500 daily bars on a 15m exec are 48,000 exec bars).
import { PlayforgeError } from '../../common/errors.ts';
import { intervalMs, nextBarStart, type Candles, type Interval } from '../../data/index.ts';
import { INTERVAL_MINUTES, isChoiceSet, isNumRange, locOf, type ParamValue, type Play } from '../../dsl/index.ts';
import { INDICATOR_IMPLS, type IndicatorParams } from '../../indicators/index.ts';
import { STRUCTURE_IMPLS } from '../../structures/index.ts';
import { alignUp, DEFAULT_SEED, DEFAULT_START_TS, generatePattern, unknownPatternError } from './generate.ts';
import { isPatternName, type PatternName } from './patterns.ts';

/** Exec bars never exceed this (memory and run time of one synthetic backtest). */
export const MAX_SYNTHETIC_EXEC_BARS = 300_000;
/** Slowest-timeframe bars added after the play's warm-up when no bar count is given. */
export const DEFAULT_EXTRA_BARS = 300;

/** What syntheticDataForPlay reads from a play: a loaded Play or a hand-written object with these fields. */
export type SyntheticPlay = Pick<Play, 'timeframes'> & Partial<Pick<Play, 'name' | 'features' | 'structures' | 'synthetic' | 'validation'>>;

export interface SyntheticPlayOptions {
  /** Bars of the slowest timeframe (CLI --synthetic-bars); overrides the play's block. */
  bars?: number;
  /** CLI --synthetic-seed. */
  seed?: number;
  /** CLI --synthetic-pattern. */
  pattern?: string;
  startTs?: number;
  startPrice?: number;
}

export interface SyntheticData {
  candles: Candles;
  /** The exec timeframe the candles are on. */
  interval: Interval;
  pattern: PatternName;
  seed: number;
  /** Complete bars of the slowest timeframe the candles span (less than asked only when capped). */
  bars: number;
  slowestInterval: Interval;
  execBars: number;
  /** The play's warm-up measured in slowest-timeframe bars (ranged params at their largest). */
  warmupBars: number;
  /** True when the exec bar count hit MAX_SYNTHETIC_EXEC_BARS. */
  capped: boolean;
  /** Human-readable remarks: capping, too few bars for warm-up. */
  notes: string[];
}

const minutes = (tf: Interval): number => INTERVAL_MINUTES[tf];

/** A ranged parameter at its largest value: the longest warm-up any genome of the play can need. */
function upper(v: ParamValue): unknown {
  if (isNumRange(v)) return v.max;
  if (isChoiceSet(v)) {
    const nums = v.choices.filter((c): c is number => typeof c === 'number');
    return nums.length ? Math.max(...nums) : v.choices[0];
  }
  return v;
}

function upperParams(params: Record<string, ParamValue>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, upper(v)]));
}

/** A warm-up formula that rejects the combination (ranges maxed independently): assume 3x its largest number. */
function safeWarmup(compute: () => number, params: Record<string, unknown>): number {
  try {
    const w = compute();
    if (Number.isFinite(w) && w >= 0) return w;
  } catch {
    // fall through to the estimate
  }
  const nums = Object.values(params).filter((x): x is number => typeof x === 'number');
  return 3 * Math.max(0, ...nums);
}

/** Warm-up bars of every timeframe the play computes on, in that timeframe's own bars. */
export function warmupByTimeframe(play: SyntheticPlay): Map<Interval, number> {
  const out = new Map<Interval, number>();
  const add = (tf: Interval, w: number) => out.set(tf, Math.max(out.get(tf) ?? 0, Math.ceil(w)));
  for (const f of play.features ?? []) {
    const impl = INDICATOR_IMPLS[f.indicator];
    if (!impl) continue;
    const p = upperParams(f.params);
    add(f.tf, safeWarmup(() => impl.warmup(p as IndicatorParams), p));
  }
  const byKey = new Map((play.structures ?? []).map((s) => [s.key, s]));
  for (const s of play.structures ?? []) {
    const impl = STRUCTURE_IMPLS[s.type];
    if (!impl) continue;
    const p = upperParams(s.params);
    const deps: Record<string, Record<string, unknown>> = {};
    for (const key of s.uses) {
      const d = byKey.get(key);
      if (d) deps[d.type] = upperParams(d.params);
    }
    add(s.tf, safeWarmup(() => impl.warmup(p, deps), p));
  }
  return out;
}

/** Every timeframe the play reads: its three roles, feature and structure timeframes. */
export function playTimeframes(play: SyntheticPlay): Interval[] {
  const t = play.timeframes;
  const set = new Set<Interval>([t.low_tf, t.med_tf, t.high_tf, t[t.exec]]);
  for (const f of play.features ?? []) set.add(f.tf);
  for (const s of play.structures ?? []) set.add(s.tf);
  return [...set].sort((a, b) => minutes(a) - minutes(b));
}

/** Open time `count` bars of `tf` after `start` (calendar months for M). */
function advance(start: number, count: number, tf: Interval): number {
  if (tf !== 'M') return start + count * intervalMs(tf);
  let ts = start;
  for (let i = 0; i < count; i++) ts = nextBarStart(ts, tf);
  return ts;
}

/** Bars of `tf` from `start` that end at or before `end`. */
function barsWithin(start: number, end: number, tf: Interval): number {
  if (tf !== 'M') return Math.floor((end - start) / intervalMs(tf));
  let n = 0;
  for (let ts = nextBarStart(start, tf); ts <= end; ts = nextBarStart(ts, tf)) n++;
  return n;
}

function wholeNumber(v: unknown, path: string, min: number, file: string | undefined): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new PlayforgeError('SYNTHETIC_BAD_OPTION', `${path} must be a whole number${min > -Infinity ? ` >= ${min}` : ''}, got ${JSON.stringify(v)}`, {
      ...(file ? { file } : {}),
      path,
    });
  }
  return v;
}

/**
 * Synthetic candles for a play. The pattern, bars and seed come from the options (CLI overrides), else from
 * the play's `synthetic:` block, else from its `validation:` block (bars and seed from the same block as
 * the play's pattern). Bars count the SLOWEST timeframe the play reads; by default its warm-up plus
 * DEFAULT_EXTRA_BARS. The exec bar count is capped at MAX_SYNTHETIC_EXEC_BARS (see `capped`, `notes`).
 */
export function syntheticDataForPlay(play: SyntheticPlay, options: SyntheticPlayOptions = {}): SyntheticData {
  const file = locOf(play)?.file;
  const block = play.synthetic ? { name: 'synthetic', cfg: play.synthetic } : play.validation ? { name: 'validation', cfg: play.validation } : undefined;

  let pattern: PatternName;
  if (options.pattern !== undefined) {
    if (!isPatternName(options.pattern)) throw unknownPatternError(options.pattern, 'options.pattern');
    pattern = options.pattern;
  } else if (block?.cfg.pattern !== undefined) {
    if (!isPatternName(block.cfg.pattern)) throw unknownPatternError(block.cfg.pattern, `${block.name}.pattern`, file);
    pattern = block.cfg.pattern;
  } else {
    throw new PlayforgeError(
      'SYNTHETIC_NO_PATTERN',
      `play ${play.name ?? '(unnamed)'} names no synthetic pattern: add \`validation: { pattern: trend_up_clean }\` (or a \`synthetic:\` block), or pass a pattern (--synthetic-pattern)`,
      { ...(file ? { file } : {}), path: 'validation.pattern' },
    );
  }
  const seed = options.seed !== undefined
    ? wholeNumber(options.seed, 'options.seed', -Infinity, undefined)
    : block?.cfg.seed !== undefined ? wholeNumber(block.cfg.seed, `${block.name}.seed`, -Infinity, file) : DEFAULT_SEED;

  const tfs = playTimeframes(play);
  const slowest = tfs[tfs.length - 1];
  const exec = play.timeframes[play.timeframes.exec];
  let warmupBars = 0;
  for (const [tf, w] of warmupByTimeframe(play)) warmupBars = Math.max(warmupBars, Math.ceil((w * minutes(tf)) / minutes(slowest)));

  const asked = options.bars !== undefined
    ? wholeNumber(options.bars, 'options.bars', 1, undefined)
    : block?.cfg.bars !== undefined ? wholeNumber(block.cfg.bars, `${block.name}.bars`, 1, file) : warmupBars + DEFAULT_EXTRA_BARS;

  // Start on the slowest timeframe's grid, so its first bar is complete when resampled from exec bars.
  const start = alignUp(alignUp(options.startTs ?? DEFAULT_START_TS, slowest), exec);
  const end = advance(start, asked, slowest);
  let execBars = Math.max(1, exec === 'M' ? barsWithin(start, end, 'M') : Math.ceil((end - start) / intervalMs(exec)));
  const notes: string[] = [];
  let capped = false;
  let bars = asked;
  if (execBars > MAX_SYNTHETIC_EXEC_BARS) {
    capped = true;
    execBars = MAX_SYNTHETIC_EXEC_BARS;
    bars = barsWithin(start, advance(start, execBars, exec), slowest);
    notes.push(`capped at ${MAX_SYNTHETIC_EXEC_BARS} ${exec} bars: the slowest timeframe ${slowest} gets ${bars} bars, not the ${asked} asked for`);
  }
  if (bars <= warmupBars) {
    notes.push(`${bars} ${slowest} bars do not cover the play's warm-up of ${warmupBars} ${slowest} bars: expect no trades`);
  }

  const candles = generatePattern(pattern, { bars: execBars, seed, interval: exec, startTs: start, ...(options.startPrice !== undefined ? { startPrice: options.startPrice } : {}) });
  return { candles, interval: exec, pattern, seed, bars, slowestInterval: slowest, execBars, warmupBars, capped, notes };
}

// INDICATOR_IMPLS: TRADE's 47 indicators by DSL name, with the DSL's exact param and output names.
// Param defaults follow TRADE's incremental factory (pandas_ta defaults). Indicators that read one price
// series use the feature's `source:`; the others read the candle columns they need.

import { PlayforgeError } from '../common/errors.ts';
import { parseAnchorSource, swingAnchorResets } from './anchors.ts';
import { bbands, donchian, kc, squeeze } from './bands.ts';
import { alma, dema, ema, kama, linreg, midprice, ohlc4, sma, tema, trima, wma, zlma } from './moving-averages.ts';
import { cci, cmo, fisher, macd, mom, ppo, roc, rsi, stoch, stochrsi, trix, tsi, uo, willr } from './oscillators.ts';
import { parseSessionAnchor, sessionLevels } from './sessions.ts';
import { adx, aroon, dm, psar, supertrend, vortex } from './trend.ts';
import type { IndicatorContext, IndicatorImpl, IndicatorParams, SeriesInput } from './types.ts';
import { atr, natr } from './volatility.ts';
import { anchoredVwap, cmf, kvo, mfi, obv, vwap } from './volume.ts';
import { anchoredVolumeProfile, volumeProfile } from './volume-profile.ts';

/** A whole-number parameter >= min (lengths, periods). Params arrive merged with the defaults. */
function int(params: IndicatorParams, name: string, min = 1): number {
  const v = params[name];
  const x = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(x) || x < min) {
    throw new PlayforgeError('INDICATOR_BAD_PARAM', `${name} must be a whole number >= ${min}, got ${JSON.stringify(v)}`, {
      path: `params.${name}`,
    });
  }
  return x;
}

/** A finite number parameter within [min, max] (exclusive min when `openMin`). */
function num(params: IndicatorParams, name: string, min = 0, max = Infinity, openMin = true): number {
  const v = params[name];
  const x = typeof v === 'number' ? v : Number(v);
  const ok = Number.isFinite(x) && (openMin ? x > min : x >= min) && x <= max;
  if (!ok) {
    const lo = openMin ? `> ${min}` : `>= ${min}`;
    throw new PlayforgeError('INDICATOR_BAD_PARAM', `${name} must be a number ${lo}${max < Infinity ? ` and <= ${max}` : ''}, got ${JSON.stringify(v)}`, {
      path: `params.${name}`,
    });
  }
  return x;
}

type Outputs = Record<string, Float64Array>;

/**
 * Declares one indicator. `defaults` names every parameter it accepts (TRADE's factory defaults);
 * compute and warmup see the caller's params merged over them, and an unknown name is an error.
 */
function def(
  name: string,
  outputs: readonly string[],
  defaults: Readonly<IndicatorParams>,
  compute: (input: SeriesInput, p: IndicatorParams, ctx?: IndicatorContext) => Outputs,
  warmup: (p: IndicatorParams) => number,
): IndicatorImpl {
  const merged = (params: IndicatorParams): IndicatorParams => {
    for (const key of Object.keys(params)) {
      if (!(key in defaults)) {
        const known = Object.keys(defaults);
        throw new PlayforgeError(
          'INDICATOR_BAD_PARAM',
          `${name} has no parameter "${key}"${known.length ? ` (it takes ${known.join(', ')})` : ' (it takes none)'}`,
          { path: `params.${key}` },
        );
      }
    }
    return { ...defaults, ...params };
  };
  return {
    name,
    outputs,
    defaults,
    compute: (input, params, ctx) => compute(input, merged(params), ctx),
    warmup: (params) => warmup(merged(params)),
  };
}

const V = ['value'] as const;
const len = (p: IndicatorParams): number => int(p, 'length');

/** Single-output helper over the source series with one `length` param. */
function lengthOnSource(name: string, d: number, f: (src: Float64Array, n: number) => Float64Array, warm: (n: number) => number): IndicatorImpl {
  return def(name, V, { length: d }, (i, p) => ({ value: f(i.source, len(p)) }), (p) => warm(len(p)));
}

function anchorResetsFor(input: SeriesInput, ctx: IndicatorContext | undefined, source: ReturnType<typeof parseAnchorSource>): ArrayLike<number> {
  if (ctx?.anchorResets) {
    if (ctx.anchorResets.length !== input.length) {
      throw new PlayforgeError('INDICATOR_BAD_CONTEXT', `anchorResets has ${ctx.anchorResets.length} bars but the input has ${input.length}`);
    }
    return ctx.anchorResets;
  }
  return swingAnchorResets(input.high, input.low, source);
}

const FSS = (fast: number, slow: number, signal: number): IndicatorParams => ({ fast, slow, signal });
const PROFILE = { num_buckets: 50, lookback: 50, value_area_pct: 0.7 };
const SIGNAL_WARM = (p: IndicatorParams): number => {
  const f = int(p, 'fast'), s = int(p, 'slow'), g = int(p, 'signal');
  return Math.max(3 * s + g, Math.max(f, s) + g - 1);
};

const list: IndicatorImpl[] = [
  // ---- single output (25)
  lengthOnSource('ema', 20, ema, (n) => 3 * n),
  lengthOnSource('sma', 20, sma, (n) => n),
  lengthOnSource('wma', 20, wma, (n) => n),
  lengthOnSource('dema', 20, dema, (n) => 3 * n),
  lengthOnSource('tema', 20, tema, (n) => 3 * n),
  lengthOnSource('trima', 20, trima, (n) => n),
  lengthOnSource('zlma', 20, zlma, (n) => Math.max(3 * n, Math.floor((n - 1) / 2) + n)),
  lengthOnSource('kama', 10, (s, n) => kama(s, n), (n) => Math.max(3 * n, n + 1)),
  def(
    'alma',
    V,
    { length: 10, sigma: 6, offset: 0.85 },
    (i, p) => ({ value: alma(i.source, len(p), num(p, 'sigma'), num(p, 'offset', 0, 1, false)) }),
    (p) => len(p),
  ),
  lengthOnSource('rsi', 14, rsi, (n) => n + 1),
  def('atr', V, { length: 14 }, (i, p) => ({ value: atr(i.high, i.low, i.close, len(p)) }), (p) => len(p) + 1),
  def('natr', V, { length: 14 }, (i, p) => ({ value: natr(i.high, i.low, i.close, len(p)) }), (p) => len(p) + 1),
  def('cci', V, { length: 14 }, (i, p) => ({ value: cci(i.high, i.low, i.close, len(p)) }), (p) => len(p)),
  def('willr', V, { length: 14 }, (i, p) => ({ value: willr(i.high, i.low, i.close, len(p)) }), (p) => len(p)),
  lengthOnSource('roc', 10, roc, (n) => n + 1),
  lengthOnSource('mom', 10, mom, (n) => n + 1),
  def('mfi', V, { length: 14 }, (i, p) => ({ value: mfi(i.high, i.low, i.close, i.volume, len(p)) }), (p) => len(p) + 1),
  def('obv', V, {}, (i) => ({ value: obv(i.close, i.volume) }), () => 1),
  def('cmf', V, { length: 20 }, (i, p) => ({ value: cmf(i.high, i.low, i.close, i.volume, len(p)) }), (p) => len(p)),
  lengthOnSource('cmo', 14, cmo, (n) => n + 1),
  lengthOnSource('linreg', 14, linreg, (n) => n),
  def('midprice', V, { length: 14 }, (i, p) => ({ value: midprice(i.high, i.low, len(p)) }), (p) => len(p)),
  def('ohlc4', V, {}, (i) => ({ value: ohlc4(i.open, i.high, i.low, i.close) }), () => 1),
  def(
    'uo',
    V,
    { fast: 7, medium: 14, slow: 28 },
    (i, p) => ({ value: uo(i.high, i.low, i.close, int(p, 'fast'), int(p, 'medium'), int(p, 'slow')) }),
    (p) => Math.max(int(p, 'fast'), int(p, 'medium'), int(p, 'slow')) + 1,
  ),
  def(
    'vwap',
    V,
    { anchor: 'D' },
    (i, p) => ({ value: vwap(i.ts, i.high, i.low, i.close, i.volume, parseSessionAnchor(p.anchor, 'params.anchor')) }),
    () => 1,
  ),

  // ---- multi output (22)
  def('macd', ['macd', 'signal', 'histogram'], FSS(12, 26, 9), (i, p) => macd(i.source, int(p, 'fast'), int(p, 'slow'), int(p, 'signal')), SIGNAL_WARM),
  def(
    'bbands',
    ['lower', 'middle', 'upper', 'bandwidth', 'percent_b'],
    { length: 20, std: 2 },
    (i, p) => bbands(i.source, len(p), num(p, 'std', 0, Infinity, false)),
    (p) => len(p),
  ),
  def(
    'stoch',
    ['k', 'd'],
    { k: 14, d: 3, smooth_k: 3 },
    (i, p) => stoch(i.high, i.low, i.close, int(p, 'k'), int(p, 'd'), int(p, 'smooth_k')),
    (p) => int(p, 'k') + int(p, 'smooth_k') + int(p, 'd'),
  ),
  def(
    'stochrsi',
    ['k', 'd'],
    { length: 14, rsi_length: 14, k: 3, d: 3 },
    (i, p) => stochrsi(i.source, len(p), int(p, 'rsi_length'), int(p, 'k'), int(p, 'd')),
    (p) => {
      const n = len(p), r = int(p, 'rsi_length'), k = int(p, 'k'), d = int(p, 'd');
      return Math.max(r + n + Math.max(k, d), r + n + k + d - 2);
    },
  ),
  def('adx', ['adx', 'dmp', 'dmn', 'adxr'], { length: 14 }, (i, p) => adx(i.high, i.low, i.close, len(p)), (p) => 3 * len(p) - 1),
  def('aroon', ['up', 'down', 'osc'], { length: 25 }, (i, p) => aroon(i.high, i.low, len(p)), (p) => len(p) + 1),
  def(
    'kc',
    ['lower', 'basis', 'upper'],
    { length: 20, scalar: 2 },
    (i, p) => kc(i.high, i.low, i.close, len(p), num(p, 'scalar', 0, Infinity, false)),
    (p) => 3 * len(p) + 1,
  ),
  def(
    'donchian',
    ['lower', 'middle', 'upper'],
    { lower_length: 20, upper_length: 20 },
    (i, p) => donchian(i.high, i.low, int(p, 'lower_length'), int(p, 'upper_length')),
    (p) => Math.max(int(p, 'lower_length'), int(p, 'upper_length')),
  ),
  def(
    'supertrend',
    ['trend', 'direction', 'long', 'short'],
    { length: 10, multiplier: 3 },
    (i, p) => supertrend(i.high, i.low, i.close, len(p), num(p, 'multiplier')),
    (p) => len(p) + 1,
  ),
  def(
    'psar',
    ['long', 'short', 'af', 'reversal'],
    { af0: 0.02, af: 0.02, max_af: 0.2 },
    (i, p) => psar(i.high, i.low, i.close, num(p, 'af0'), num(p, 'af'), num(p, 'max_af')),
    () => 2,
  ),
  def(
    'squeeze',
    ['sqz', 'on', 'off', 'no_sqz'],
    { bb_length: 20, bb_std: 2, kc_length: 20, kc_scalar: 1.5 },
    (i, p) =>
      squeeze(i.high, i.low, i.close, int(p, 'bb_length'), num(p, 'bb_std', 0, Infinity, false), int(p, 'kc_length'), num(p, 'kc_scalar', 0, Infinity, false)),
    (p) => Math.max(int(p, 'bb_length'), int(p, 'kc_length') + 1, 12 + 6),
  ),
  def('vortex', ['vip', 'vim'], { length: 14 }, (i, p) => vortex(i.high, i.low, i.close, len(p)), (p) => len(p) + 1),
  def('dm', ['dmp', 'dmn'], { length: 14 }, (i, p) => dm(i.high, i.low, len(p)), (p) => len(p)),
  def('fisher', ['fisher', 'signal'], { length: 9 }, (i, p) => fisher(i.high, i.low, len(p)), (p) => len(p) + 1),
  def(
    'tsi',
    ['tsi', 'signal'],
    FSS(13, 25, 13),
    (i, p) => tsi(i.source, int(p, 'fast'), int(p, 'slow'), int(p, 'signal')),
    (p) => int(p, 'fast') + int(p, 'slow') + int(p, 'signal'),
  ),
  def(
    'kvo',
    ['kvo', 'signal'],
    FSS(34, 55, 13),
    (i, p) => kvo(i.high, i.low, i.close, i.volume, int(p, 'fast'), int(p, 'slow'), int(p, 'signal')),
    (p) => int(p, 'fast') + int(p, 'slow') + int(p, 'signal'),
  ),
  def('ppo', ['ppo', 'histogram', 'signal'], FSS(12, 26, 9), (i, p) => ppo(i.source, int(p, 'fast'), int(p, 'slow'), int(p, 'signal')), SIGNAL_WARM),
  def(
    'trix',
    ['trix', 'signal'],
    { length: 18, signal: 9 },
    (i, p) => trix(i.source, len(p), int(p, 'signal')),
    (p) => Math.max(3 * len(p), 3 * (len(p) - 1) + int(p, 'signal') + 1),
  ),
  def(
    'anchored_vwap',
    ['value', 'bars_since_anchor'],
    { anchor_source: 'swing_any' },
    (i, p, ctx) => {
      const source = parseAnchorSource(p.anchor_source, 'params.anchor_source');
      return anchoredVwap(i.high, i.low, i.close, i.volume, anchorResetsFor(i, ctx, source));
    },
    () => 1,
  ),

  // ---- advanced (3)
  def(
    'volume_profile',
    ['poc', 'vah', 'val', 'poc_volume', 'above_poc', 'in_value_area'],
    PROFILE,
    (i, p) => volumeProfile(i.high, i.low, i.close, i.volume, int(p, 'num_buckets'), int(p, 'lookback'), num(p, 'value_area_pct', 0, 1)),
    (p) => int(p, 'lookback'),
  ),
  def(
    'anchored_volume_profile',
    ['poc', 'vah', 'val', 'poc_volume', 'above_poc', 'in_value_area'],
    PROFILE,
    (i, p, ctx) =>
      anchoredVolumeProfile(
        i.high,
        i.low,
        i.close,
        i.volume,
        int(p, 'num_buckets'),
        int(p, 'lookback'),
        num(p, 'value_area_pct', 0, 1),
        // TRADE resets its anchored profile whenever the swing pair version changes
        anchorResetsFor(i, ctx, 'pair_any'),
      ),
    () => 1,
  ),
  def(
    'session_levels',
    ['prev_day_high', 'prev_day_low', 'current_day_high', 'current_day_low', 'prev_week_high', 'prev_week_low'],
    {},
    (i) => sessionLevels(i.ts, i.high, i.low),
    () => 1,
  ),
];

export const INDICATOR_IMPLS: Record<string, IndicatorImpl> = Object.freeze(Object.fromEntries(list.map((d) => [d.name, d])));

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

function raw(params: IndicatorParams, name: string, fallback: number | string): number | string {
  const v = params[name];
  return v === undefined ? fallback : v;
}

/** A whole-number parameter >= min (lengths, periods). */
function int(params: IndicatorParams, name: string, fallback: number, min = 1): number {
  const v = raw(params, name, fallback);
  const x = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(x) || x < min) {
    throw new PlayforgeError('INDICATOR_BAD_PARAM', `${name} must be a whole number >= ${min}, got ${JSON.stringify(v)}`, {
      path: `params.${name}`,
    });
  }
  return x;
}

/** A finite number parameter within [min, max] (exclusive min when `openMin`). */
function num(params: IndicatorParams, name: string, fallback: number, min = 0, max = Infinity, openMin = true): number {
  const v = raw(params, name, fallback);
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

function def(
  name: string,
  outputs: readonly string[],
  compute: (input: SeriesInput, p: IndicatorParams, ctx?: IndicatorContext) => Outputs,
  warmup: (p: IndicatorParams) => number,
): IndicatorImpl {
  return { name, outputs, compute, warmup };
}

const V = ['value'] as const;
const len = (p: IndicatorParams, d: number): number => int(p, 'length', d);

/** Single-output helper over the source series with one `length` param. */
function lengthOnSource(name: string, d: number, f: (src: Float64Array, n: number) => Float64Array, warm: (n: number) => number): IndicatorImpl {
  return def(name, V, (i, p) => ({ value: f(i.source, len(p, d)) }), (p) => warm(len(p, d)));
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

const list: IndicatorImpl[] = [
  // ---- single output (25)
  lengthOnSource('ema', 20, ema, (n) => 3 * n),
  lengthOnSource('sma', 20, sma, (n) => n),
  lengthOnSource('wma', 20, wma, (n) => n),
  lengthOnSource('dema', 20, dema, (n) => 3 * n),
  lengthOnSource('tema', 20, tema, (n) => 3 * n),
  lengthOnSource('trima', 20, trima, (n) => n),
  lengthOnSource('zlma', 20, zlma, (n) => Math.max(3 * n, Math.floor((n - 1) / 2) + n)),
  lengthOnSource('kama', 10, (s, n) => kama(s, n), (n) => 3 * n + 1),
  def(
    'alma',
    V,
    (i, p) => ({ value: alma(i.source, len(p, 10), num(p, 'sigma', 6), num(p, 'offset', 0.85, 0, 1, false)) }),
    (p) => len(p, 10),
  ),
  lengthOnSource('rsi', 14, rsi, (n) => n + 1),
  def('atr', V, (i, p) => ({ value: atr(i.high, i.low, i.close, len(p, 14)) }), (p) => len(p, 14) + 1),
  def('natr', V, (i, p) => ({ value: natr(i.high, i.low, i.close, len(p, 14)) }), (p) => len(p, 14) + 1),
  def('cci', V, (i, p) => ({ value: cci(i.high, i.low, i.close, len(p, 14)) }), (p) => len(p, 14)),
  def('willr', V, (i, p) => ({ value: willr(i.high, i.low, i.close, len(p, 14)) }), (p) => len(p, 14)),
  lengthOnSource('roc', 10, roc, (n) => n + 1),
  lengthOnSource('mom', 10, mom, (n) => n + 1),
  def('mfi', V, (i, p) => ({ value: mfi(i.high, i.low, i.close, i.volume, len(p, 14)) }), (p) => len(p, 14) + 1),
  def('obv', V, (i) => ({ value: obv(i.close, i.volume) }), () => 1),
  def('cmf', V, (i, p) => ({ value: cmf(i.high, i.low, i.close, i.volume, len(p, 20)) }), (p) => len(p, 20)),
  lengthOnSource('cmo', 14, cmo, (n) => n + 1),
  lengthOnSource('linreg', 14, linreg, (n) => n),
  def('midprice', V, (i, p) => ({ value: midprice(i.high, i.low, len(p, 14)) }), (p) => len(p, 14)),
  def('ohlc4', V, (i) => ({ value: ohlc4(i.open, i.high, i.low, i.close) }), () => 1),
  def(
    'uo',
    V,
    (i, p) => ({ value: uo(i.high, i.low, i.close, int(p, 'fast', 7), int(p, 'medium', 14), int(p, 'slow', 28)) }),
    (p) => Math.max(int(p, 'fast', 7), int(p, 'medium', 14), int(p, 'slow', 28)) + 1,
  ),
  def(
    'vwap',
    V,
    (i, p) => ({ value: vwap(i.ts, i.high, i.low, i.close, i.volume, parseSessionAnchor(raw(p, 'anchor', 'D'), 'params.anchor')) }),
    () => 1,
  ),

  // ---- multi output (22)
  def(
    'macd',
    ['macd', 'signal', 'histogram'],
    (i, p) => macd(i.source, int(p, 'fast', 12), int(p, 'slow', 26), int(p, 'signal', 9)),
    (p) => {
      const f = int(p, 'fast', 12), s = int(p, 'slow', 26), g = int(p, 'signal', 9);
      return Math.max(3 * s + g, Math.max(f, s) + g - 1);
    },
  ),
  def(
    'bbands',
    ['lower', 'middle', 'upper', 'bandwidth', 'percent_b'],
    (i, p) => bbands(i.source, len(p, 20), num(p, 'std', 2, 0, Infinity, false)),
    (p) => len(p, 20),
  ),
  def(
    'stoch',
    ['k', 'd'],
    (i, p) => stoch(i.high, i.low, i.close, int(p, 'k', 14), int(p, 'd', 3), int(p, 'smooth_k', 3)),
    (p) => int(p, 'k', 14) + int(p, 'smooth_k', 3) + int(p, 'd', 3),
  ),
  def(
    'stochrsi',
    ['k', 'd'],
    (i, p) => stochrsi(i.source, len(p, 14), int(p, 'rsi_length', 14), int(p, 'k', 3), int(p, 'd', 3)),
    (p) => {
      const n = len(p, 14), r = int(p, 'rsi_length', 14), k = int(p, 'k', 3), d = int(p, 'd', 3);
      return Math.max(r + n + Math.max(k, d), r + n + k + d - 2);
    },
  ),
  def('adx', ['adx', 'dmp', 'dmn', 'adxr'], (i, p) => adx(i.high, i.low, i.close, len(p, 14)), (p) => 3 * len(p, 14) - 1),
  def('aroon', ['up', 'down', 'osc'], (i, p) => aroon(i.high, i.low, len(p, 25)), (p) => len(p, 25) + 1),
  def(
    'kc',
    ['lower', 'basis', 'upper'],
    (i, p) => kc(i.high, i.low, i.close, len(p, 20), num(p, 'scalar', 2, 0, Infinity, false)),
    (p) => 3 * len(p, 20) + 1,
  ),
  def(
    'donchian',
    ['lower', 'middle', 'upper'],
    (i, p) => donchian(i.high, i.low, int(p, 'lower_length', 20), int(p, 'upper_length', 20)),
    (p) => Math.max(int(p, 'lower_length', 20), int(p, 'upper_length', 20)),
  ),
  def(
    'supertrend',
    ['trend', 'direction', 'long', 'short'],
    (i, p) => supertrend(i.high, i.low, i.close, len(p, 10), num(p, 'multiplier', 3)),
    (p) => len(p, 10) + 1,
  ),
  def(
    'psar',
    ['long', 'short', 'af', 'reversal'],
    (i, p) => psar(i.high, i.low, i.close, num(p, 'af0', 0.02), num(p, 'af', 0.02), num(p, 'max_af', 0.2)),
    () => 2,
  ),
  def(
    'squeeze',
    ['sqz', 'on', 'off', 'no_sqz'],
    (i, p) =>
      squeeze(i.high, i.low, i.close, int(p, 'bb_length', 20), num(p, 'bb_std', 2, 0, Infinity, false), int(p, 'kc_length', 20), num(p, 'kc_scalar', 1.5, 0, Infinity, false)),
    (p) => Math.max(int(p, 'bb_length', 20), int(p, 'kc_length', 20) + 1, 12 + 6),
  ),
  def('vortex', ['vip', 'vim'], (i, p) => vortex(i.high, i.low, i.close, len(p, 14)), (p) => len(p, 14) + 1),
  def('dm', ['dmp', 'dmn'], (i, p) => dm(i.high, i.low, len(p, 14)), (p) => len(p, 14)),
  def('fisher', ['fisher', 'signal'], (i, p) => fisher(i.high, i.low, len(p, 9)), (p) => len(p, 9) + 1),
  def(
    'tsi',
    ['tsi', 'signal'],
    (i, p) => tsi(i.source, int(p, 'fast', 13), int(p, 'slow', 25), int(p, 'signal', 13)),
    (p) => int(p, 'fast', 13) + int(p, 'slow', 25) + int(p, 'signal', 13),
  ),
  def(
    'kvo',
    ['kvo', 'signal'],
    (i, p) => kvo(i.high, i.low, i.close, i.volume, int(p, 'fast', 34), int(p, 'slow', 55), int(p, 'signal', 13)),
    (p) => int(p, 'fast', 34) + int(p, 'slow', 55) + int(p, 'signal', 13),
  ),
  def(
    'ppo',
    ['ppo', 'histogram', 'signal'],
    (i, p) => ppo(i.source, int(p, 'fast', 12), int(p, 'slow', 26), int(p, 'signal', 9)),
    (p) => {
      const f = int(p, 'fast', 12), s = int(p, 'slow', 26), g = int(p, 'signal', 9);
      return Math.max(3 * s + g, Math.max(f, s) + g - 1);
    },
  ),
  def(
    'trix',
    ['trix', 'signal'],
    (i, p) => trix(i.source, len(p, 18), int(p, 'signal', 9)),
    (p) => Math.max(3 * len(p, 18), 3 * (len(p, 18) - 1) + int(p, 'signal', 9) + 1),
  ),
  def(
    'anchored_vwap',
    ['value', 'bars_since_anchor'],
    (i, p, ctx) => {
      const source = parseAnchorSource(raw(p, 'anchor_source', 'swing_any'), 'params.anchor_source');
      return anchoredVwap(i.high, i.low, i.close, i.volume, anchorResetsFor(i, ctx, source));
    },
    () => 1,
  ),

  // ---- advanced (3)
  def(
    'volume_profile',
    ['poc', 'vah', 'val', 'poc_volume', 'above_poc', 'in_value_area'],
    (i, p) =>
      volumeProfile(i.high, i.low, i.close, i.volume, int(p, 'num_buckets', 50), int(p, 'lookback', 50), num(p, 'value_area_pct', 0.7, 0, 1)),
    (p) => int(p, 'lookback', 50),
  ),
  def(
    'anchored_volume_profile',
    ['poc', 'vah', 'val', 'poc_volume', 'above_poc', 'in_value_area'],
    (i, p, ctx) =>
      anchoredVolumeProfile(
        i.high,
        i.low,
        i.close,
        i.volume,
        int(p, 'num_buckets', 50),
        int(p, 'lookback', 50),
        num(p, 'value_area_pct', 0.7, 0, 1),
        // TRADE resets its anchored profile whenever the swing pair version changes
        anchorResetsFor(i, ctx, 'pair_any'),
      ),
    () => 1,
  ),
  def('session_levels', ['prev_day_high', 'prev_day_low', 'current_day_high', 'current_day_low', 'prev_week_high', 'prev_week_low'], (i) => sessionLevels(i.ts, i.high, i.low), () => 1),
];

export const INDICATOR_IMPLS: Record<string, IndicatorImpl> = Object.freeze(Object.fromEntries(list.map((d) => [d.name, d])));

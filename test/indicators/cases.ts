// One table of every indicator with the params we exercise and its slow textbook reference.
import type { CandleColumns, IndicatorParams } from '../../src/indicators/index.ts';
import { sourceSeries } from '../../src/indicators/index.ts';
import * as R from './reference.ts';

export interface Case {
  name: string;
  params: IndicatorParams;
  source?: string;
  /** Reference outputs keyed by the DSL output names ('value' for single-output indicators). */
  ref: (c: CandleColumns, src: Float64Array) => Record<string, ArrayLike<number>>;
}

const v = (a: ArrayLike<number>): Record<string, ArrayLike<number>> => ({ value: a });

function lengthCases(name: string, lengths: number[], ref: (src: Float64Array, len: number) => ArrayLike<number>, sources = ['close']): Case[] {
  const out: Case[] = [];
  for (const length of lengths) for (const source of sources) out.push({ name, params: { length }, source, ref: (_c, s) => v(ref(s, length)) });
  return out;
}

export const CASES: Case[] = [
  ...lengthCases('sma', [1, 9, 50], R.refSma, ['close', 'hl2']),
  ...lengthCases('ema', [1, 9, 50], R.refEma, ['close', 'ohlc4']),
  ...lengthCases('wma', [1, 9, 30], R.refWma, ['close', 'volume']),
  ...lengthCases('dema', [1, 10, 30], R.refDema),
  ...lengthCases('tema', [1, 10, 30], R.refTema),
  ...lengthCases('trima', [1, 2, 9, 10, 30], R.refTrima),
  ...lengthCases('zlma', [1, 10, 21], R.refZlma),
  ...lengthCases('kama', [1, 10, 30], (s, len) => R.refKama(s, len)),
  { name: 'alma', params: { length: 10, sigma: 6, offset: 0.85 }, ref: (_c, s) => v(R.refAlma(s, 10, 6, 0.85)) },
  { name: 'alma', params: { length: 21, sigma: 4, offset: 0.5 }, source: 'hlc3', ref: (_c, s) => v(R.refAlma(s, 21, 4, 0.5)) },
  { name: 'alma', params: { length: 1 }, ref: (_c, s) => v(R.refAlma(s, 1, 6, 0.85)) },
  ...lengthCases('rsi', [1, 2, 14, 50], R.refRsi, ['close', 'high']),
  ...['atr', 'natr'].flatMap((name) =>
    [1, 14, 30].map(
      (length): Case => ({
        name,
        params: { length },
        ref: (c) => {
          const a = R.refAtr(c.high, c.low, c.close, length);
          return v(name === 'atr' ? a : a.map((x, i) => (100 * x) / c.close[i]));
        },
      }),
    ),
  ),
  ...[2, 14, 40].map((length): Case => ({ name: 'cci', params: { length }, ref: (c) => v(R.refCci(c.high, c.low, c.close, length)) })),
  ...[1, 14, 40].map((length): Case => ({ name: 'willr', params: { length }, ref: (c) => v(R.refWillr(c.high, c.low, c.close, length)) })),
  ...lengthCases('roc', [1, 10], (s, len) => Array.from(s, (x, i) => (i >= len ? (100 * (x - s[i - len])) / s[i - len] : NaN))),
  ...lengthCases('mom', [1, 10], (s, len) => Array.from(s, (x, i) => (i >= len ? x - s[i - len] : NaN))),
  ...[1, 14, 30].map((length): Case => ({ name: 'mfi', params: { length }, ref: (c) => v(R.refMfi(c.high, c.low, c.close, c.volume, length)) })),
  { name: 'obv', params: {}, ref: (c) => v(R.refObv(c.close, c.volume)) },
  ...[1, 20, 50].map((length): Case => ({ name: 'cmf', params: { length }, ref: (c) => v(R.refCmf(c.high, c.low, c.close, c.volume, length)) })),
  ...lengthCases('cmo', [1, 14, 30], R.refCmo),
  ...lengthCases('linreg', [1, 2, 14, 50], R.refLinreg),
  ...[1, 14].map((length): Case => ({ name: 'midprice', params: { length }, ref: (c) => v(R.refMidprice(c.high, c.low, length)) })),
  { name: 'ohlc4', params: {}, ref: (c) => v(Array.from(c.close, (x, i) => (c.open[i] + c.high[i] + c.low[i] + x) / 4)) },
  { name: 'uo', params: { fast: 7, medium: 14, slow: 28 }, ref: (c) => v(R.refUo(c.high, c.low, c.close, 7, 14, 28)) },
  { name: 'uo', params: { fast: 1, medium: 3, slow: 5 }, ref: (c) => v(R.refUo(c.high, c.low, c.close, 1, 3, 5)) },
  ...(['D', 'W', 'M'] as const).map((anchor): Case => ({ name: 'vwap', params: { anchor }, ref: (c) => v(R.refVwap(c.ts, c.high, c.low, c.close, c.volume, anchor)) })),
  { name: 'macd', params: { fast: 12, slow: 26, signal: 9 }, ref: (_c, s) => R.refMacd(s, 12, 26, 9) },
  { name: 'macd', params: { fast: 5, slow: 3, signal: 1 }, source: 'hl2', ref: (_c, s) => R.refMacd(s, 5, 3, 1) },
  { name: 'bbands', params: { length: 20, std: 2 }, ref: (_c, s) => R.refBbands(s, 20, 2) },
  { name: 'bbands', params: { length: 5, std: 1.5 }, source: 'open', ref: (_c, s) => R.refBbands(s, 5, 1.5) },
  { name: 'stoch', params: { k: 14, d: 3, smooth_k: 3 }, ref: (c) => R.refStoch(c.high, c.low, c.close, 14, 3, 3) },
  { name: 'stoch', params: { k: 5, d: 1, smooth_k: 1 }, ref: (c) => R.refStoch(c.high, c.low, c.close, 5, 1, 1) },
  { name: 'stochrsi', params: { length: 14, rsi_length: 14, k: 3, d: 3 }, ref: (_c, s) => R.refStochRsi(s, 14, 14, 3, 3) },
  { name: 'stochrsi', params: { length: 7, rsi_length: 5, k: 2, d: 4 }, ref: (_c, s) => R.refStochRsi(s, 7, 5, 2, 4) },
  ...[1, 2, 14, 20].map((length): Case => ({ name: 'adx', params: { length }, ref: (c) => R.refAdx(c.high, c.low, c.close, length) })),
  ...[1, 14, 25].map((length): Case => ({ name: 'aroon', params: { length }, ref: (c) => R.refAroon(c.high, c.low, length) })),
  { name: 'kc', params: { length: 20, scalar: 2 }, ref: (c) => R.refKc(c.high, c.low, c.close, 20, 2) },
  { name: 'kc', params: { length: 1, scalar: 1 }, ref: (c) => R.refKc(c.high, c.low, c.close, 1, 1) },
  { name: 'donchian', params: { lower_length: 20, upper_length: 20 }, ref: (c) => R.refDonchian(c.high, c.low, 20, 20) },
  { name: 'donchian', params: { lower_length: 5, upper_length: 13 }, ref: (c) => R.refDonchian(c.high, c.low, 5, 13) },
  { name: 'supertrend', params: { length: 10, multiplier: 3 }, ref: (c) => R.refSupertrend(c.high, c.low, c.close, 10, 3) },
  { name: 'supertrend', params: { length: 7, multiplier: 1.5 }, ref: (c) => R.refSupertrend(c.high, c.low, c.close, 7, 1.5) },
  { name: 'psar', params: { af0: 0.02, af: 0.02, max_af: 0.2 }, ref: (c) => R.refPsar(c.high, c.low, c.close, 0.02, 0.02, 0.2) },
  { name: 'psar', params: { af0: 0.01, af: 0.03, max_af: 0.3 }, ref: (c) => R.refPsar(c.high, c.low, c.close, 0.01, 0.03, 0.3) },
  {
    name: 'squeeze',
    params: { bb_length: 20, bb_std: 2, kc_length: 20, kc_scalar: 1.5 },
    ref: (c) => R.refSqueeze(c.high, c.low, c.close, 20, 2, 20, 1.5),
  },
  {
    name: 'squeeze',
    params: { bb_length: 10, bb_std: 1, kc_length: 30, kc_scalar: 2 },
    ref: (c) => R.refSqueeze(c.high, c.low, c.close, 10, 1, 30, 2),
  },
  ...[1, 14].map((length): Case => ({ name: 'vortex', params: { length }, ref: (c) => R.refVortex(c.high, c.low, c.close, length) })),
  ...[1, 2, 14].map((length): Case => ({ name: 'dm', params: { length }, ref: (c) => R.refDm(c.high, c.low, length) })),
  ...[1, 9, 20].map((length): Case => ({ name: 'fisher', params: { length }, ref: (c) => R.refFisher(c.high, c.low, length) })),
  { name: 'tsi', params: { fast: 13, slow: 25, signal: 13 }, ref: (_c, s) => R.refTsi(s, 13, 25, 13) },
  { name: 'tsi', params: { fast: 1, slow: 1, signal: 1 }, ref: (_c, s) => R.refTsi(s, 1, 1, 1) },
  { name: 'kvo', params: { fast: 34, slow: 55, signal: 13 }, ref: (c) => R.refKvo(c.high, c.low, c.close, c.volume, 34, 55, 13) },
  { name: 'kvo', params: { fast: 3, slow: 2, signal: 1 }, ref: (c) => R.refKvo(c.high, c.low, c.close, c.volume, 3, 2, 1) },
  { name: 'ppo', params: { fast: 12, slow: 26, signal: 9 }, ref: (_c, s) => R.refPpo(s, 12, 26, 9) },
  { name: 'ppo', params: { fast: 1, slow: 4, signal: 2 }, ref: (_c, s) => R.refPpo(s, 1, 4, 2) },
  { name: 'trix', params: { length: 18, signal: 9 }, ref: (_c, s) => R.refTrix(s, 18, 9) },
  { name: 'trix', params: { length: 1, signal: 1 }, ref: (_c, s) => R.refTrix(s, 1, 1) },
  ...['swing_any', 'swing_high', 'swing_low', 'pair_any', 'pair_high', 'pair_low', 'manual'].map(
    (anchor_source): Case => ({
      name: 'anchored_vwap',
      params: { anchor_source },
      ref: (c) => R.refAnchoredVwap(c.high, c.low, c.close, c.volume, R.refAnchorResets(c.high, c.low, anchor_source)),
    }),
  ),
  {
    name: 'volume_profile',
    params: { num_buckets: 50, lookback: 50, value_area_pct: 0.7 },
    ref: (c) => R.refVolumeProfile(c.high, c.low, c.close, c.volume, 50, 50, 0.7),
  },
  {
    name: 'volume_profile',
    params: { num_buckets: 7, lookback: 3, value_area_pct: 0.5 },
    ref: (c) => R.refVolumeProfile(c.high, c.low, c.close, c.volume, 7, 3, 0.5),
  },
  {
    name: 'anchored_volume_profile',
    params: { num_buckets: 24, lookback: 100, value_area_pct: 0.68 },
    ref: (c) => R.refVolumeProfile(c.high, c.low, c.close, c.volume, 24, 100, 0.68, R.refAnchorResets(c.high, c.low, 'pair_any')),
  },
  { name: 'session_levels', params: {}, ref: (c) => R.refSessionLevels(c.ts, c.high, c.low) },
];

/** The source series a case is computed on. */
export function caseSource(c: CandleColumns, k: Case): Float64Array {
  return sourceSeries(c, k.source ?? 'close');
}

export const caseLabel = (k: Case): string =>
  `${k.name}(${Object.entries(k.params)
    .map(([a, b]) => `${a}=${b}`)
    .join(',')}${k.source && k.source !== 'close' ? `; source=${k.source}` : ''})`;


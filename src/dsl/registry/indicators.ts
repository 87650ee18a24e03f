// The 47 indicators of TRADE's Play DSL v3.0.0 (docs/dsl/indicators.md): parameters with defaults and
// bounds, outputs with their types. Computations live in src/indicators behind the same names.
import type { IndicatorSpec, OutputSpec, ParamSpec } from './types.ts';

const MAX_LENGTH = 5000;

const length = (def: number, description = 'lookback period in bars'): ParamSpec => ({
  kind: 'int', description, default: def, min: 1, max: MAX_LENGTH,
});
const positive = (def: number, description: string, max = 1000): ParamSpec => ({
  kind: 'float', description, default: def, min: 0, minExclusive: true, max,
});

const FLOAT: OutputSpec = { type: 'FLOAT' };
const INT: OutputSpec = { type: 'INT' };
const BOOL: OutputSpec = { type: 'BOOL' };

type Inputs = IndicatorSpec['inputs'];
const C: Inputs = ['close'];
const HL: Inputs = ['high', 'low'];
const HLC: Inputs = ['high', 'low', 'close'];
const HLCV: Inputs = ['high', 'low', 'close', 'volume'];

function single(name: string, description: string, inputs: Inputs, params: Record<string, ParamSpec>): IndicatorSpec {
  return { name, description, inputs, params, outputs: { value: FLOAT }, multiOutput: false };
}

function multi(
  name: string,
  description: string,
  inputs: Inputs,
  params: Record<string, ParamSpec>,
  outputs: Record<string, OutputSpec>,
): IndicatorSpec {
  return { name, description, inputs, params, outputs, multiOutput: true };
}

const fastSlowSignal = (fast: number, slow: number, signal: number): Record<string, ParamSpec> => ({
  fast: length(fast, 'fast period'),
  slow: length(slow, 'slow period'),
  signal: length(signal, 'signal smoothing period'),
});

const profileParams: Record<string, ParamSpec> = {
  num_buckets: { kind: 'int', description: 'price buckets', default: 50, min: 2, max: 1000 },
  lookback: length(50, 'bars in the profile window'),
  value_area_pct: { kind: 'float', description: 'share of volume in the value area (0-1)', default: 0.7, min: 0, minExclusive: true, max: 1 },
};
const profileOutputs: Record<string, OutputSpec> = {
  poc: FLOAT, vah: FLOAT, val: FLOAT, poc_volume: FLOAT, above_poc: BOOL, in_value_area: BOOL,
};

const list: IndicatorSpec[] = [
  // Single-output (25)
  single('ema', 'exponential moving average', C, { length: length(20) }),
  single('sma', 'simple moving average', C, { length: length(20) }),
  single('wma', 'weighted moving average', C, { length: length(20) }),
  single('dema', 'double exponential moving average', C, { length: length(20) }),
  single('tema', 'triple exponential moving average', C, { length: length(20) }),
  single('trima', 'triangular moving average', C, { length: length(20) }),
  single('zlma', 'zero-lag moving average', C, { length: length(20) }),
  single('kama', 'Kaufman adaptive moving average', C, { length: length(10) }),
  single('alma', 'Arnaud Legoux moving average', C, {
    length: length(10),
    sigma: positive(6, 'Gaussian width', 100),
    offset: { kind: 'float', description: 'Gaussian centre (0-1)', default: 0.85, min: 0, max: 1 },
  }),
  single('rsi', 'relative strength index, range [0,100]', C, { length: length(14) }),
  single('atr', 'average true range', HLC, { length: length(14) }),
  single('natr', 'normalized average true range (%)', HLC, { length: length(14) }),
  single('cci', 'commodity channel index', HLC, { length: length(14) }),
  single('willr', 'Williams %R, range [-100,0]', HLC, { length: length(14) }),
  single('roc', 'rate of change (%)', C, { length: length(10) }),
  single('mom', 'momentum (close - close[n])', C, { length: length(10) }),
  single('mfi', 'money flow index, range [0,100]', HLCV, { length: length(14) }),
  single('obv', 'on-balance volume', ['close', 'volume'], {}),
  single('cmf', 'Chaikin money flow', HLCV, { length: length(20) }),
  single('cmo', 'Chande momentum oscillator', C, { length: length(14) }),
  single('linreg', 'linear regression value', C, { length: length(14) }),
  single('midprice', '(highest high + lowest low) / 2 over the period', HL, { length: length(14) }),
  single('ohlc4', '(open + high + low + close) / 4', ['open', 'high', 'low', 'close'], {}),
  single('uo', 'ultimate oscillator', HLC, {
    fast: length(7, 'fast period'), medium: length(14, 'medium period'), slow: length(28, 'slow period'),
  }),
  single('vwap', 'session VWAP, reset at each anchor boundary', HLCV, {
    anchor: { kind: 'enum', description: 'session reset', default: 'D', values: ['D', 'W', 'M'] },
  }),
  // Multi-output (19)
  multi('macd', 'moving average convergence divergence', C, fastSlowSignal(12, 26, 9), {
    macd: FLOAT, signal: FLOAT, histogram: FLOAT,
  }),
  multi('bbands', 'Bollinger bands', C, { length: length(20), std: positive(2, 'band width in standard deviations', 10) }, {
    lower: FLOAT, middle: FLOAT, upper: FLOAT, bandwidth: FLOAT, percent_b: FLOAT,
  }),
  multi('stoch', 'stochastic oscillator', HLC, {
    k: length(14, '%K period'), d: length(3, '%D smoothing'), smooth_k: length(3, '%K smoothing'),
  }, { k: FLOAT, d: FLOAT }),
  multi('stochrsi', 'stochastic RSI', C, {
    length: length(14, 'stochastic period'), rsi_length: length(14, 'RSI period'), k: length(3, '%K smoothing'), d: length(3, '%D smoothing'),
  }, { k: FLOAT, d: FLOAT }),
  multi('adx', 'average directional index', HLC, { length: length(14) }, { adx: FLOAT, dmp: FLOAT, dmn: FLOAT, adxr: FLOAT }),
  multi('aroon', 'Aroon up/down/oscillator', HL, { length: length(25) }, { up: FLOAT, down: FLOAT, osc: FLOAT }),
  multi('kc', 'Keltner channels', HLC, { length: length(20), scalar: positive(2, 'ATR multiple', 20) }, {
    lower: FLOAT, basis: FLOAT, upper: FLOAT,
  }),
  multi('donchian', 'Donchian channels', HL, {
    lower_length: length(20, 'lookback of the lower band'), upper_length: length(20, 'lookback of the upper band'),
  }, { lower: FLOAT, middle: FLOAT, upper: FLOAT }),
  multi('supertrend', 'SuperTrend', HLC, { length: length(10, 'ATR period'), multiplier: positive(3, 'ATR multiple', 20) }, {
    trend: FLOAT, direction: { type: 'INT', description: '1 up, -1 down' }, long: FLOAT, short: FLOAT,
  }),
  multi('psar', 'parabolic SAR', HLC, {
    af0: positive(0.02, 'initial acceleration factor', 1),
    af: positive(0.02, 'acceleration factor step', 1),
    max_af: positive(0.2, 'maximum acceleration factor', 1),
  }, { long: FLOAT, short: FLOAT, af: FLOAT, reversal: { type: 'INT', description: '1 on a reversal bar, else 0' } }),
  multi('squeeze', 'TTM squeeze (Bollinger inside Keltner)', HLC, {
    bb_length: length(20, 'Bollinger period'), bb_std: positive(2, 'Bollinger width', 10),
    kc_length: length(20, 'Keltner period'), kc_scalar: positive(1.5, 'Keltner ATR multiple', 20),
  }, { sqz: FLOAT, on: BOOL, off: BOOL, no_sqz: BOOL }),
  multi('vortex', 'vortex indicator', HLC, { length: length(14) }, { vip: FLOAT, vim: FLOAT }),
  multi('dm', 'directional movement', HL, { length: length(14) }, { dmp: FLOAT, dmn: FLOAT }),
  multi('fisher', 'Fisher transform', HL, { length: length(9) }, { fisher: FLOAT, signal: FLOAT }),
  multi('tsi', 'true strength index', C, fastSlowSignal(13, 25, 13), { tsi: FLOAT, signal: FLOAT }),
  multi('kvo', 'Klinger volume oscillator', HLCV, fastSlowSignal(34, 55, 13), { kvo: FLOAT, signal: FLOAT }),
  multi('ppo', 'percentage price oscillator', C, fastSlowSignal(12, 26, 9), { ppo: FLOAT, histogram: FLOAT, signal: FLOAT }),
  multi('trix', 'triple-smoothed EMA rate of change', C, { length: length(18), signal: length(9, 'signal smoothing period') }, {
    trix: FLOAT, signal: FLOAT,
  }),
  multi('anchored_vwap', 'VWAP reset on swing events', HLCV, {
    anchor_source: {
      kind: 'enum', description: 'which swing event resets the VWAP', default: 'swing_any',
      values: ['swing_high', 'swing_low', 'swing_any', 'pair_high', 'pair_low', 'pair_any', 'manual'],
    },
  }, { value: FLOAT, bars_since_anchor: INT }),
  // Advanced multi-output (3)
  multi('volume_profile', 'rolling volume profile', HLCV, profileParams, profileOutputs),
  multi('anchored_volume_profile', 'volume profile since the last swing anchor', HLCV, profileParams, profileOutputs),
  multi('session_levels', 'previous/current day and previous week highs and lows', HL, {}, {
    prev_day_high: FLOAT, prev_day_low: FLOAT, current_day_high: FLOAT, current_day_low: FLOAT,
    prev_week_high: FLOAT, prev_week_low: FLOAT,
  }),
];

export const INDICATORS: Readonly<Record<string, IndicatorSpec>> = Object.freeze(
  Object.fromEntries(list.map((s) => [s.name, s])),
);

export const INDICATOR_NAMES: readonly string[] = Object.freeze(list.map((s) => s.name));

// INDICATOR_IMPLS against TRADE's DSL table (docs/dsl/indicators.md), warm-up promises, params, sources.
import { describe, expect, it } from 'vitest';
import { isPlayforgeError } from '../../src/common/errors.ts';
import { INDICATOR_IMPLS, SOURCE_NAMES, seriesInput, sourceSeries } from '../../src/indicators/index.ts';
import { firstValid, realCandles, realInput } from './helpers.ts';

/** The DSL table, transcribed: indicator -> [params, outputs]. Single-output indicators expose `value`. */
const TRADE_TABLE: Record<string, [string[], string[]]> = {
  ema: [['length'], ['value']],
  sma: [['length'], ['value']],
  wma: [['length'], ['value']],
  dema: [['length'], ['value']],
  tema: [['length'], ['value']],
  trima: [['length'], ['value']],
  zlma: [['length'], ['value']],
  kama: [['length'], ['value']],
  alma: [['length', 'sigma', 'offset'], ['value']],
  rsi: [['length'], ['value']],
  atr: [['length'], ['value']],
  natr: [['length'], ['value']],
  cci: [['length'], ['value']],
  willr: [['length'], ['value']],
  roc: [['length'], ['value']],
  mom: [['length'], ['value']],
  mfi: [['length'], ['value']],
  obv: [[], ['value']],
  cmf: [['length'], ['value']],
  cmo: [['length'], ['value']],
  linreg: [['length'], ['value']],
  midprice: [['length'], ['value']],
  ohlc4: [[], ['value']],
  uo: [['fast', 'medium', 'slow'], ['value']],
  vwap: [['anchor'], ['value']],
  macd: [['fast', 'slow', 'signal'], ['macd', 'signal', 'histogram']],
  bbands: [['length', 'std'], ['lower', 'middle', 'upper', 'bandwidth', 'percent_b']],
  stoch: [['k', 'd', 'smooth_k'], ['k', 'd']],
  stochrsi: [['length', 'rsi_length', 'k', 'd'], ['k', 'd']],
  adx: [['length'], ['adx', 'dmp', 'dmn', 'adxr']],
  aroon: [['length'], ['up', 'down', 'osc']],
  kc: [['length', 'scalar'], ['lower', 'basis', 'upper']],
  donchian: [['lower_length', 'upper_length'], ['lower', 'middle', 'upper']],
  supertrend: [['length', 'multiplier'], ['trend', 'direction', 'long', 'short']],
  psar: [['af0', 'af', 'max_af'], ['long', 'short', 'af', 'reversal']],
  squeeze: [['bb_length', 'bb_std', 'kc_length', 'kc_scalar'], ['sqz', 'on', 'off', 'no_sqz']],
  vortex: [['length'], ['vip', 'vim']],
  dm: [['length'], ['dmp', 'dmn']],
  fisher: [['length'], ['fisher', 'signal']],
  tsi: [['fast', 'slow', 'signal'], ['tsi', 'signal']],
  kvo: [['fast', 'slow', 'signal'], ['kvo', 'signal']],
  ppo: [['fast', 'slow', 'signal'], ['ppo', 'histogram', 'signal']],
  trix: [['length', 'signal'], ['trix', 'signal']],
  anchored_vwap: [['anchor_source'], ['value', 'bars_since_anchor']],
  volume_profile: [['num_buckets', 'lookback', 'value_area_pct'], ['poc', 'vah', 'val', 'poc_volume', 'above_poc', 'in_value_area']],
  anchored_volume_profile: [['num_buckets', 'lookback', 'value_area_pct'], ['poc', 'vah', 'val', 'poc_volume', 'above_poc', 'in_value_area']],
  session_levels: [[], ['prev_day_high', 'prev_day_low', 'current_day_high', 'current_day_low', 'prev_week_high', 'prev_week_low']],
};

/** Outputs that are NaN on the side a trend is not on, by design (TRADE: mutually exclusive outputs). */
const ONE_SIDED = new Set(['supertrend.long', 'supertrend.short', 'psar.long', 'psar.short']);
/** Outputs defined by the calendar, not by a bar count: NaN until the first UTC day/week boundary. */
const CALENDAR = new Set(['session_levels.prev_day_high', 'session_levels.prev_day_low', 'session_levels.prev_week_high', 'session_levels.prev_week_low']);

function expectPlayforgeError(fn: () => unknown, code: string, path?: string): void {
  try {
    fn();
  } catch (e) {
    expect(isPlayforgeError(e), String(e)).toBe(true);
    if (isPlayforgeError(e)) {
      expect(e.code).toBe(code);
      if (path) expect(e.location.path).toBe(path);
    }
    return;
  }
  throw new Error('expected a PlayforgeError');
}

describe('INDICATOR_IMPLS', () => {
  it('has exactly the 47 DSL indicators with the DSL table param and output names', () => {
    expect(Object.keys(INDICATOR_IMPLS).sort()).toEqual(Object.keys(TRADE_TABLE).sort());
    for (const [name, [params, outputs]] of Object.entries(TRADE_TABLE)) {
      const impl = INDICATOR_IMPLS[name];
      expect(impl.name).toBe(name);
      expect([...impl.outputs], name).toEqual(outputs);
      expect(Object.keys(impl.defaults).sort(), name).toEqual([...params].sort());
    }
  });

  const input = realInput();
  for (const [name, impl] of Object.entries(INDICATOR_IMPLS)) {
    it(`${name}: outputs appear by warmup() and stay defined after it on real data`, () => {
      const w = impl.warmup({});
      expect(Number.isInteger(w) && w >= 1).toBe(true);
      const out = impl.compute(input, {});
      for (const o of impl.outputs) {
        const a = out[o];
        expect(a).toBeInstanceOf(Float64Array);
        expect(a.length).toBe(input.length);
        const key = `${name}.${o}`;
        if (ONE_SIDED.has(key) || CALENDAR.has(key)) {
          expect(firstValid(a), key).toBeGreaterThanOrEqual(0);
          continue;
        }
        const f = firstValid(a);
        expect(f, `${key} first value`).toBeGreaterThanOrEqual(0);
        expect(f, `${key} first value index < warmup ${w}`).toBeLessThan(w);
        for (let i = w; i < a.length; i++) if (!Number.isFinite(a[i])) throw new Error(`${key} not finite at ${i} after warmup ${w}: ${a[i]}`);
      }
    });
  }

  it('one-sided outputs partition the bars: exactly one of long/short is defined after warm-up', () => {
    for (const name of ['supertrend', 'psar']) {
      const out = INDICATOR_IMPLS[name].compute(input, {});
      const w = INDICATOR_IMPLS[name].warmup({});
      let longs = 0;
      let both = -1;
      for (let i = w; i < input.length; i++) {
        if (Number.isNaN(out.long[i]) === Number.isNaN(out.short[i]) && both < 0) both = i;
        if (!Number.isNaN(out.long[i])) longs++;
      }
      expect(both, `${name}: first bar with both or neither side`).toBe(-1);
      expect(longs).toBeGreaterThan(0);
      expect(longs).toBeLessThan(input.length - w);
    }
  });

  it('uses the feature source for one-series indicators and the candles for the rest', () => {
    const c = realCandles();
    const byHigh = INDICATOR_IMPLS.ema.compute(seriesInput(c, 'high'), { length: 5 }).value;
    const byClose = INDICATOR_IMPLS.ema.compute(seriesInput(c, 'close'), { length: 5 }).value;
    expect(byHigh[100]).not.toBe(byClose[100]);
    const atrHigh = INDICATOR_IMPLS.atr.compute(seriesInput(c, 'high'), {}).value;
    const atrClose = INDICATOR_IMPLS.atr.compute(seriesInput(c, 'close'), {}).value;
    expect(Array.from(atrHigh)).toEqual(Array.from(atrClose));
  });

  it('rejects bad parameters with INDICATOR_BAD_PARAM and the parameter path', () => {
    expectPlayforgeError(() => INDICATOR_IMPLS.sma.compute(input, { length: 0 }), 'INDICATOR_BAD_PARAM', 'params.length');
    expectPlayforgeError(() => INDICATOR_IMPLS.sma.compute(input, { length: 2.5 }), 'INDICATOR_BAD_PARAM', 'params.length');
    expectPlayforgeError(() => INDICATOR_IMPLS.sma.compute(input, { length: 'ten' }), 'INDICATOR_BAD_PARAM', 'params.length');
    expectPlayforgeError(() => INDICATOR_IMPLS.sma.warmup({ length: -3 }), 'INDICATOR_BAD_PARAM', 'params.length');
    expectPlayforgeError(() => INDICATOR_IMPLS.sma.compute(input, { lenght: 5 }), 'INDICATOR_BAD_PARAM', 'params.lenght');
    expectPlayforgeError(() => INDICATOR_IMPLS.bbands.compute(input, { std: -1 }), 'INDICATOR_BAD_PARAM', 'params.std');
    expectPlayforgeError(() => INDICATOR_IMPLS.alma.compute(input, { offset: 1.5 }), 'INDICATOR_BAD_PARAM', 'params.offset');
    expectPlayforgeError(() => INDICATOR_IMPLS.vwap.compute(input, { anchor: 'H' }), 'INDICATOR_BAD_PARAM', 'params.anchor');
    expectPlayforgeError(() => INDICATOR_IMPLS.anchored_vwap.compute(input, { anchor_source: 'swing' }), 'INDICATOR_BAD_PARAM', 'params.anchor_source');
    expectPlayforgeError(() => INDICATOR_IMPLS.volume_profile.compute(input, { value_area_pct: 0 }), 'INDICATOR_BAD_PARAM', 'params.value_area_pct');
    expectPlayforgeError(() => INDICATOR_IMPLS.obv.compute(input, { length: 3 }), 'INDICATOR_BAD_PARAM', 'params.length');
    // numeric strings are accepted (YAML may hand them over as text)
    expect(INDICATOR_IMPLS.sma.compute(input, { length: '5' }).value[4]).toBeCloseTo((input.close[0] + input.close[1] + input.close[2] + input.close[3] + input.close[4]) / 5, 6);
    expect(INDICATOR_IMPLS.vwap.compute(input, { anchor: 'w' }).value.length).toBe(input.length);
  });

  it('anchored indicators take the engine\'s anchor resets when given, and check their length', () => {
    const resets = new Uint8Array(input.length);
    resets[100] = 1;
    resets[2000] = 1;
    const out = INDICATOR_IMPLS.anchored_vwap.compute(input, { anchor_source: 'manual' }, { anchorResets: resets });
    expect(out.bars_since_anchor[99]).toBe(100);
    expect(out.bars_since_anchor[100]).toBe(1);
    expect(out.bars_since_anchor[1999]).toBe(1900);
    expect(out.bars_since_anchor[2000]).toBe(1);
    expect(out.value[100]).toBeCloseTo((input.high[100] + input.low[100] + input.close[100]) / 3, 6);
    const manual = INDICATOR_IMPLS.anchored_vwap.compute(input, { anchor_source: 'manual' });
    expect(manual.bars_since_anchor[2999]).toBe(3000);
    expectPlayforgeError(() => INDICATOR_IMPLS.anchored_vwap.compute(input, {}, { anchorResets: new Uint8Array(5) }), 'INDICATOR_BAD_CONTEXT');
    // on an anchor bar the profile holds that one bar: its range is the whole price axis, so every one of
    // the 50 buckets gets 1/50 of its volume, the POC is the lowest bucket (ties) and the value area grows
    // upward (ties) over 35 buckets to reach 69% (0.69 * 50 = 34.5 buckets; 70% would sit on a rounding edge)
    const vp = INDICATOR_IMPLS.anchored_volume_profile.compute(input, { lookback: 500, value_area_pct: 0.69 }, { anchorResets: resets });
    const width = (input.high[100] - input.low[100]) / 50;
    expect(vp.poc_volume[100]).toBeCloseTo(input.volume[100] / 50, 9);
    expect(vp.poc[100]).toBeCloseTo(input.low[100] + 0.5 * width, 6);
    expect(vp.val[100]).toBe(vp.poc[100]);
    expect(vp.vah[100]).toBeCloseTo(input.low[100] + 34.5 * width, 6);
  });
});

describe('sourceSeries', () => {
  const c = realCandles();
  it('returns the raw columns as they are and derives hl2/hlc3/ohlc4', () => {
    expect(sourceSeries(c, 'close')).toBe(c.close);
    expect(sourceSeries(c, 'open')).toBe(c.open);
    expect(sourceSeries(c, 'high')).toBe(c.high);
    expect(sourceSeries(c, 'low')).toBe(c.low);
    expect(sourceSeries(c, 'volume')).toBe(c.volume);
    const i = 1234;
    expect(sourceSeries(c, 'hl2')[i]).toBe((c.high[i] + c.low[i]) / 2);
    expect(sourceSeries(c, 'hlc3')[i]).toBe((c.high[i] + c.low[i] + c.close[i]) / 3);
    expect(sourceSeries(c, 'ohlc4')[i]).toBe((c.open[i] + c.high[i] + c.low[i] + c.close[i]) / 4);
    expect([...SOURCE_NAMES].sort()).toEqual(['close', 'high', 'hl2', 'hlc3', 'low', 'ohlc4', 'open', 'volume']);
  });

  it('rejects an unknown source with INDICATOR_BAD_SOURCE', () => {
    expectPlayforgeError(() => sourceSeries(c, 'typical'), 'INDICATOR_BAD_SOURCE', 'source');
  });
});

// Edge cases for every indicator: length 1, length longer than the data, NaN inside the input,
// a constant market (zero denominators give NaN, never ±Infinity), zero volume, empty input.
import { describe, expect, it } from 'vitest';
import { INDICATOR_IMPLS, seriesInput, type CandleColumns, type IndicatorParams, type SeriesInput } from '../../src/indicators/index.ts';
import { prefixInput, realCandles, realInput } from './helpers.ts';

const NAMES = Object.keys(INDICATOR_IMPLS);

/** Every whole-number parameter (lengths, periods, buckets) of an indicator set to `value`. */
function intParams(name: string, value: number): IndicatorParams {
  const out: IndicatorParams = {};
  for (const [k, d] of Object.entries(INDICATOR_IMPLS[name].defaults)) if (typeof d === 'number' && Number.isInteger(d) && k !== 'sigma') out[k] = value;
  return out;
}

function noInfinity(name: string, out: Record<string, Float64Array>): void {
  for (const [k, a] of Object.entries(out)) for (let i = 0; i < a.length; i++) if (a[i] === Infinity || a[i] === -Infinity) throw new Error(`${name}.${k}[${i}] = ${a[i]}`);
}

function flatCandles(n: number, price: number, volume: number): CandleColumns {
  const ts = Float64Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, 1) + i * 3_600_000);
  const f = (v: number): Float64Array => new Float64Array(n).fill(v);
  return { ts, open: f(price), high: f(price), low: f(price), close: f(price), volume: f(volume) };
}

function withNaN(input: SeriesInput, at: number, cols: (keyof CandleColumns)[]): SeriesInput {
  const copy = prefixInput(input, input.length);
  for (const c of cols) copy[c][at] = NaN;
  if (cols.includes('close')) copy.source[at] = NaN;
  return copy;
}

describe('edge cases', () => {
  const input = realInput();

  it('every whole-number parameter at 1 computes finite, non-trivial values', () => {
    for (const name of NAMES) {
      const out = INDICATOR_IMPLS[name].compute(input, intParams(name, 1));
      noInfinity(name, out);
      // CCI over one bar, and a stochastic of one RSI value, are 0/0 by definition (the bar is its own
      // mean / its own range): all NaN
      if (name === 'cci' || name === 'stochrsi') {
        for (const o of INDICATOR_IMPLS[name].outputs) expect(out[o].every(Number.isNaN), `${name}.${o}`).toBe(true);
        continue;
      }
      const defined = INDICATOR_IMPLS[name].outputs.some((o) => out[o].some((v) => Number.isFinite(v)));
      expect(defined, name).toBe(true);
    }
  });

  it('length 1 reduces to the input where the definition says so', () => {
    const x = input.close;
    for (const name of ['sma', 'ema', 'wma', 'dema', 'tema', 'trima', 'linreg', 'alma', 'zlma']) {
      const v = INDICATOR_IMPLS[name].compute(input, { length: 1 }).value;
      let worst = 0;
      for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(v[i] - x[i]) / x[i]);
      expect(worst, name).toBeLessThan(1e-12);
    }
    expect(Array.from(INDICATOR_IMPLS.midprice.compute(input, { length: 1 }).value.subarray(0, 5))).toEqual(
      Array.from({ length: 5 }, (_, i) => (input.high[i] + input.low[i]) / 2),
    );
  });

  it('a length longer than the data gives all-NaN outputs (and no error)', () => {
    const short = prefixInput(input, 40);
    // outputs defined from the first bar whatever the lengths: cumulative, calendar or anchor-based
    const noWindow = new Set(['obv', 'ohlc4', 'vwap', 'psar', 'anchored_vwap', 'anchored_volume_profile', 'session_levels']);
    for (const name of NAMES) {
      const out = INDICATOR_IMPLS[name].compute(short, intParams(name, 50));
      for (const o of INDICATOR_IMPLS[name].outputs) {
        expect(out[o].length).toBe(40);
        // squeeze's momentum uses pandas_ta's fixed 12/6 bars, not a parameter
        if (!noWindow.has(name) && `${name}.${o}` !== 'squeeze.sqz') expect(out[o].every(Number.isNaN), `${name}.${o}`).toBe(true);
      }
    }
  });

  it('empty input gives empty outputs', () => {
    const empty = prefixInput(input, 0);
    for (const name of NAMES) {
      const out = INDICATOR_IMPLS[name].compute(empty, {});
      for (const o of INDICATOR_IMPLS[name].outputs) expect(out[o].length, `${name}.${o}`).toBe(0);
    }
  });

  it('a NaN bar is not fatal: values before it are unchanged, NaN or defined at it, and they recover', () => {
    const at = 1500;
    const dirty = withNaN(input, at, ['open', 'high', 'low', 'close', 'volume']);
    for (const name of NAMES) {
      const impl = INDICATOR_IMPLS[name];
      const clean = impl.compute(input, {});
      const out = impl.compute(dirty, {});
      noInfinity(name, out);
      const recovered = at + 3 * impl.warmup({}) + 100;
      for (const o of impl.outputs) {
        let changedBefore = -1;
        for (let i = 0; i < at && changedBefore < 0; i++) if (!Object.is(out[o][i], clean[o][i])) changedBefore = i;
        expect(changedBefore, `${name}.${o}: first change before the NaN bar`).toBe(-1);
        // NaN in high/low/close/volume leaves nothing to compute at that bar, except state carried from before
        // (psar's state, bars_since_anchor and fisher's signal = the previous bar's fisher)
        // (volume profiles describe the whole window, which still holds other bars)
        const windowLevel = ['poc', 'vah', 'val', 'poc_volume'].includes(o) && name.endsWith('volume_profile');
        const carried = windowLevel || ['anchored_vwap.bars_since_anchor', 'fisher.signal'].includes(`${name}.${o}`);
        if (!carried && name !== 'psar') expect(Number.isNaN(out[o][at]), `${name}.${o} at the NaN bar`).toBe(true);
        // where the clean run has a value at the end, the dirty run has one too
        let lost = -1;
        for (let i = recovered; i < input.length && lost < 0; i++) if (Number.isFinite(clean[o][i]) && !Number.isFinite(out[o][i])) lost = i;
        expect(lost, `${name}.${o}: first bar still undefined after ${recovered}`).toBe(-1);
      }
    }
  });

  it('a constant market: zero ranges give NaN (never Infinity); levels equal the price', () => {
    const flat = seriesInput(flatCandles(400, 100, 5), 'close');
    const at = 399;
    const get = (name: string, o = 'value', p: IndicatorParams = {}): number => INDICATOR_IMPLS[name].compute(flat, p)[o][at];
    for (const name of NAMES) noInfinity(name, INDICATOR_IMPLS[name].compute(flat, {}));
    for (const name of ['sma', 'ema', 'wma', 'dema', 'tema', 'trima', 'zlma', 'kama', 'alma', 'linreg', 'midprice', 'ohlc4', 'vwap']) {
      expect(get(name), name).toBeCloseTo(100, 9);
    }
    // 0/0 ratios: no movement, no range
    for (const name of ['rsi', 'cmo', 'willr', 'cci', 'uo', 'mfi']) expect(get(name), name).toBeNaN();
    expect(get('stoch', 'k')).toBeNaN();
    expect(get('stochrsi', 'k')).toBeNaN();
    expect(get('bbands', 'percent_b')).toBeNaN();
    expect(get('bbands', 'bandwidth')).toBe(0);
    expect(get('vortex', 'vip')).toBeNaN();
    expect(get('adx', 'adx')).toBeNaN();
    expect(get('adx', 'dmp')).toBeNaN();
    expect(get('tsi', 'tsi')).toBeNaN();
    // genuine zeros
    for (const name of ['atr', 'natr', 'mom', 'roc', 'cmf']) expect(get(name), name).toBe(0);
    expect(get('obv')).toBe(5); // only the first bar's volume: no close ever moved
    expect(get('macd', 'macd')).toBeCloseTo(0, 9);
    expect(get('ppo', 'ppo')).toBe(0);
    expect(get('trix', 'trix')).toBe(0);
    expect(get('kvo', 'kvo')).toBe(0);
    expect(get('dm', 'dmp')).toBe(0);
    expect(get('aroon', 'osc')).toBe(0);
    expect(get('supertrend', 'trend')).toBe(100);
    expect(get('supertrend', 'direction')).toBe(1);
    expect(get('squeeze', 'sqz')).toBe(0);
    expect(get('volume_profile', 'poc')).toBe(100);
    expect(get('volume_profile', 'poc_volume')).toBe(250);
    expect(get('volume_profile', 'in_value_area')).toBe(1);
    expect(get('session_levels', 'prev_day_high')).toBe(100);
    expect(Number.isFinite(get('fisher', 'fisher'))).toBe(true);
    expect(Number.isFinite(get('psar', 'af'))).toBe(true);
  });

  it('zero volume: volume-weighted values are NaN, volume sums are 0', () => {
    const c = realCandles();
    const none = seriesInput({ ...c, volume: new Float64Array(c.close.length) }, 'close');
    const at = 2500;
    for (const name of NAMES) noInfinity(name, INDICATOR_IMPLS[name].compute(none, {}));
    const get = (name: string, o = 'value'): number => INDICATOR_IMPLS[name].compute(none, {})[o][at];
    for (const name of ['vwap', 'cmf', 'mfi']) expect(get(name), name).toBeNaN();
    expect(get('anchored_vwap')).toBeNaN();
    expect(get('volume_profile', 'poc')).toBeNaN();
    expect(get('anchored_volume_profile', 'poc')).toBeNaN();
    expect(get('obv')).toBe(0);
    expect(get('kvo', 'kvo')).toBe(0);
    // price-only indicators do not care
    expect(Number.isFinite(get('rsi'))).toBe(true);
    // a session that starts with zero-volume bars is NaN until volume arrives, then a real VWAP
    const partly = Float64Array.from(c.volume);
    for (let i = 0; i < 30; i++) partly[i] = 0;
    const v = INDICATOR_IMPLS.vwap.compute(seriesInput({ ...c, volume: partly }, 'close'), { anchor: 'M' }).value;
    expect(v[29]).toBeNaN();
    expect(v[30]).toBeCloseTo((c.high[30] + c.low[30] + c.close[30]) / 3, 6);
  });
});

// generatePattern: valid candles for every pattern and interval, determinism per seed, options and errors,
// and agreement with the DSL's list of pattern names.
import { describe, expect, it } from 'vitest';
import { isPlayforgeError, type PlayforgeError } from '../../../src/common/errors.ts';
import { isAligned, nextBarStart, type Candles, type Interval } from '../../../src/data/index.ts';
import { loadPlay, playJsonSchema } from '../../../src/dsl/index.ts';
import {
  DEFAULT_START_PRICE, DEFAULT_START_TS, generatePattern, isPatternName, PATTERN_INFO, PATTERN_NAMES,
} from '../../../src/engine/synthetic/index.ts';

/** Every structural property a candle series must have; returns the first problem found. */
function problems(c: Candles, interval: Interval): string | undefined {
  for (let i = 0; i < c.length; i++) {
    const [o, h, l, cl, v, t] = [c.open[i], c.high[i], c.low[i], c.close[i], c.volume[i], c.ts[i]];
    if (![o, h, l, cl, v, t].every(Number.isFinite)) return `bar ${i}: non-finite value`;
    if (!(l > 0 && o > 0 && cl > 0)) return `bar ${i}: non-positive price`;
    if (!(v > 0)) return `bar ${i}: volume ${v}`;
    if (h < Math.max(o, cl)) return `bar ${i}: high ${h} below body`;
    if (l > Math.min(o, cl)) return `bar ${i}: low ${l} above body`;
    if (!isAligned(t, interval)) return `bar ${i}: ts ${t} not on the ${interval} grid`;
    if (i > 0 && t !== nextBarStart(c.ts[i - 1], interval)) return `bar ${i}: ts ${t} does not follow ${c.ts[i - 1]}`;
    if (i > 0 && o !== c.close[i - 1]) return `bar ${i}: open is not the previous close`;
  }
  return undefined;
}

function sameCandles(a: Candles, b: Candles): boolean {
  if (a.length !== b.length) return false;
  for (const k of ['ts', 'open', 'high', 'low', 'close', 'volume'] as const) {
    for (let i = 0; i < a.length; i++) if (!Object.is(a[k][i], b[k][i])) return false;
  }
  return true;
}

function thrown(f: () => unknown): PlayforgeError {
  try {
    f();
  } catch (e) {
    if (isPlayforgeError(e)) return e;
    throw e;
  }
  throw new Error('expected a PlayforgeError');
}

describe('generatePattern: valid candles', () => {
  it.each(PATTERN_NAMES)('%s: OHLC consistent, aligned, finite, positive (1h, 15m, D)', (pattern) => {
    for (const [interval, bars] of [['1h', 500], ['15m', 2000], ['D', 250]] as const) {
      const c = generatePattern(pattern, { bars, seed: 11, interval });
      expect(c.length).toBe(bars);
      expect(problems(c, interval)).toBeUndefined();
      expect(c.ts[0]).toBe(DEFAULT_START_TS);
      expect(c.open[0]).toBe(DEFAULT_START_PRICE);
    }
  });

  it('fills one SharedArrayBuffer (workers read it without a copy)', () => {
    const c = generatePattern('trend_up_clean', { bars: 100, seed: 1, interval: '1h' });
    expect(c.close.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(c.ts.buffer).toBe(c.volume.buffer);
  });

  it.each(['1m', '3m', '5m', '30m', '2h', '4h', '6h', '12h', 'W', 'M'] as const)('every interval: %s', (interval) => {
    for (const pattern of ['breakout_clean', 'ob_retest', 'equal_highs_lows'] as const) {
      expect(problems(generatePattern(pattern, { bars: 200, seed: 3, interval }), interval)).toBeUndefined();
    }
  });

  it('monthly bars open on the 1st of each calendar month, weekly bars on Mondays', () => {
    const m = generatePattern('ranging', { bars: 14, seed: 1, interval: 'M' });
    expect(Array.from(m.ts.subarray(0, 3), (t) => new Date(t).toISOString().slice(0, 10))).toEqual(['2025-01-01', '2025-02-01', '2025-03-01']);
    expect(new Date(m.ts[13]).toISOString().slice(0, 10)).toBe('2026-02-01');
    const w = generatePattern('ranging', { bars: 3, seed: 1, interval: 'W' });
    expect(new Date(w.ts[0]).toISOString().slice(0, 10)).toBe('2025-01-06');
    expect(new Date(w.ts[0]).getUTCDay()).toBe(1);
  });

  it('moves an off-grid start to the next bar open; keeps an on-grid one', () => {
    const t = Date.UTC(2024, 5, 3, 10, 7, 30);
    expect(generatePattern('trending', { bars: 5, seed: 1, interval: '1h', startTs: t }).ts[0]).toBe(Date.UTC(2024, 5, 3, 11));
    expect(generatePattern('trending', { bars: 5, seed: 1, interval: '15m', startTs: t }).ts[0]).toBe(Date.UTC(2024, 5, 3, 10, 15));
    expect(generatePattern('trending', { bars: 5, seed: 1, interval: '1h', startTs: Date.UTC(2024, 5, 3, 10) }).ts[0]).toBe(Date.UTC(2024, 5, 3, 10));
  });

  it('handles tiny series (1, 2 and 5 bars)', () => {
    for (const bars of [1, 2, 5]) {
      for (const pattern of PATTERN_NAMES) {
        const c = generatePattern(pattern, { bars, seed: 9, interval: '4h' });
        expect(c.length).toBe(bars);
        expect(problems(c, '4h')).toBeUndefined();
      }
    }
  });

  it('accepts the 1d / 1w spellings', () => {
    const a = generatePattern('trending', { bars: 50, seed: 1, interval: '1d' });
    const b = generatePattern('trending', { bars: 50, seed: 1, interval: 'D' });
    expect(sameCandles(a, b)).toBe(true);
  });
});

describe('generatePattern: determinism', () => {
  it.each(PATTERN_NAMES)('%s: the same seed gives identical bars; other seeds differ', (pattern) => {
    const opts = { bars: 400, interval: '1h' } as const;
    const a = generatePattern(pattern, { ...opts, seed: 5 });
    const b = generatePattern(pattern, { ...opts, seed: 5 });
    expect(sameCandles(a, b)).toBe(true);
    for (const other of [6, 7, -5]) {
      const c = generatePattern(pattern, { ...opts, seed: other });
      let differing = 0;
      for (let i = 1; i < c.length; i++) if (Math.abs(c.close[i] / a.close[i] - 1) > 1e-6) differing++;
      expect(differing).toBeGreaterThan(c.length / 2);
    }
  });

  it('scales with the start price and nothing else changes', () => {
    const a = generatePattern('breakout_retest', { bars: 300, seed: 8, interval: '1h' });
    const b = generatePattern('breakout_retest', { bars: 300, seed: 8, interval: '1h', startPrice: 100 });
    const k = 100 / DEFAULT_START_PRICE;
    for (let i = 0; i < a.length; i++) {
      for (const col of ['open', 'high', 'low', 'close'] as const) expect(b[col][i]).toBeCloseTo(a[col][i] * k, 8);
      // Volume reads log returns, which rescaled floats reproduce to rounding only.
      expect(Math.abs(b.volume[i] / a.volume[i] - 1)).toBeLessThan(1e-9);
    }
  });

  it('does not depend on the start time (only ts moves)', () => {
    const a = generatePattern('vol_squeeze_expand', { bars: 300, seed: 8, interval: '1h' });
    const b = generatePattern('vol_squeeze_expand', { bars: 300, seed: 8, interval: '1h', startTs: Date.UTC(2030, 0, 1) });
    expect(Array.from(b.close)).toEqual(Array.from(a.close));
    expect(b.ts[0]).toBe(Date.UTC(2030, 0, 1));
  });
});

describe('generatePattern: options and errors', () => {
  it('rejects an unknown pattern, naming the field and listing every valid name', () => {
    const e = thrown(() => generatePattern('trend_sideways', { bars: 10, seed: 1, interval: '1h' }));
    expect(e.code).toBe('SYNTHETIC_UNKNOWN_PATTERN');
    expect(e.location.path).toBe('pattern');
    expect(e.message).toContain('"trend_sideways"');
    for (const name of PATTERN_NAMES) expect(e.message).toContain(name);
  });

  it.each([
    [{ bars: 0 }, 'bars'],
    [{ bars: 2.5 }, 'bars'],
    [{ bars: 3_000_000 }, 'bars'],
    [{ seed: 1.5 }, 'seed'],
    [{ startPrice: 0 }, 'startPrice'],
    [{ startPrice: Number.NaN }, 'startPrice'],
    [{ startTs: Number.POSITIVE_INFINITY }, 'startTs'],
  ])('rejects %j', (bad, path) => {
    const e = thrown(() => generatePattern('ranging', { bars: 10, seed: 1, interval: '1h', ...bad }));
    expect(e.code).toBe('SYNTHETIC_BAD_OPTION');
    expect(e.location.path).toBe(path);
  });

  it('rejects an unknown interval with the data stage error', () => {
    expect(thrown(() => generatePattern('ranging', { bars: 10, seed: 1, interval: '7m' })).code).toBe('DATA_BAD_INTERVAL');
  });
});

describe('pattern catalog', () => {
  it('lists the same 38 patterns the DSL accepts in synthetic/validation blocks', () => {
    expect(PATTERN_NAMES).toHaveLength(38);
    const json = JSON.stringify(playJsonSchema());
    const m = /"synthetic":\{"type":"object","properties":\{"pattern":\{"type":"string","enum":(\[[^\]]*\])/.exec(json);
    expect(m).not.toBeNull();
    expect([...(JSON.parse(m![1]) as string[])].sort()).toEqual([...PATTERN_NAMES].sort());
  });

  it('every name loads in a play; a misspelt one does not', () => {
    const play = (pattern: string) => `name: p\nactions:\n  entry_long:\n    all:\n      - [close, ">", open]\nvalidation:\n  pattern: ${pattern}\n`;
    for (const name of PATTERN_NAMES) expect(loadPlay(play(name)).errors).toEqual([]);
    expect(loadPlay(play('trend_up_dirty')).errors.length).toBeGreaterThan(0);
  });

  it('has a family and a description for every pattern', () => {
    for (const name of PATTERN_NAMES) {
      expect(isPatternName(name)).toBe(true);
      expect(PATTERN_INFO[name].description.length).toBeGreaterThan(10);
    }
    expect(isPatternName('nope')).toBe(false);
    expect(new Set(PATTERN_NAMES.map((n) => PATTERN_INFO[n].family))).toEqual(
      new Set(['trend', 'range', 'reversal', 'breakout', 'volatility', 'liquidity', 'multi_tf', 'ict', 'legacy']),
    );
  });
});

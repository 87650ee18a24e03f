// Cross-timeframe forward fill on real 1h BTC bars: a 4h value is known only once its 4h bar has closed,
// offset 1 on a 4h reference is the previous CLOSED 4h value, crosses of 4h values fire once, when the new
// 4h value becomes visible; a 15m feature (given candles) is read at its bar closing with the hour; funding
// is the last settled rate. 4h bars are rebuilt by hand here, independently of the data stage's resampler.
import { describe, expect, it } from 'vitest';
import { candlesFromArrays, type Candles } from '../../../src/data/index.ts';
import { compilePlay, lastClosedIndex, forwardFill } from '../../../src/engine/index.ts';
import { INDICATOR_IMPLS, seriesInput } from '../../../src/indicators/index.ts';
import { STRUCTURE_IMPLS } from '../../../src/structures/index.ts';
import { btc15m, btc1h, btcFunding, play1h, sameValues } from './helpers.ts';

const HOUR = 3_600_000;
const H4 = 4 * HOUR;

/** Complete 4h buckets of 1h bars, aggregated by hand. */
function byHand4h(c: Candles): Candles {
  const rows: number[][] = [];
  for (let i = 0; i + 3 < c.length; i++) {
    if (c.ts[i] % H4 !== 0 || c.ts[i + 3] !== c.ts[i] + 3 * HOUR) continue;
    const s = [i, i + 1, i + 2, i + 3];
    rows.push([c.ts[i], c.open[i], Math.max(...s.map((k) => c.high[k])), Math.min(...s.map((k) => c.low[k])), c.close[i + 3], s.reduce((a, k) => a + c.volume[k], 0)]);
  }
  const col = (j: number) => rows.map((r) => r[j]);
  return candlesFromArrays({ ts: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) });
}

/** Index of the 4h bar an exec 1h bar sees: the last one with close <= the 1h bar's close, or -1. */
function seen4h(h4: Candles, execTs: number): number {
  let j = -1;
  for (let k = 0; k < h4.length; k++) if (h4.ts[k] + H4 <= execTs + HOUR) j = k;
  return j;
}

const BODY = `
features:
  close_4h: { indicator: sma, tf: high_tf, params: { length: 1 } }
  ema_4h: { indicator: ema, tf: high_tf, params: { length: 5 } }
structures:
  high_tf:
    - type: trend
      key: trend_4h
      params: { ema_length: 10 }
actions:
  entry_long:
    - [close_4h, cross_above, ema_4h]
  exit_long:
    - lhs: close_4h
      op: ">"
      rhs: { feature_id: close_4h, offset: 1 }
`;

describe('1h exec reading 4h features and structures', () => {
  const exec = btc1h();
  const compiled = compilePlay(play1h(BODY), { exec, execInterval: '1h' });
  const h4 = byHand4h(exec);
  const close4h = compiled.column('close_4h');

  it('the fixture starts at 16:00 UTC: bars 0-2 see no closed 4h bar, bar 3 (closing 20:00) sees 16:00-20:00', () => {
    expect(new Date(exec.ts[0]).toISOString()).toBe('2025-01-18T16:00:00.000Z');
    expect(Number.isNaN(close4h[0]) && Number.isNaN(close4h[1]) && Number.isNaN(close4h[2])).toBe(true);
    // sma(1) of 4h bars is the 4h close = the close of the bucket's last 1h bar
    expect(close4h[3]).toBe(exec.close[3]);
    expect([close4h[4], close4h[5], close4h[6]]).toEqual([exec.close[3], exec.close[3], exec.close[3]]);
    expect(close4h[7]).toBe(exec.close[7]);
    expect(close4h[8]).toBe(exec.close[7]);
  });

  it('every exec bar holds the value of the last CLOSED 4h bar (features and structure fields)', () => {
    const ema4h = INDICATOR_IMPLS.ema.compute(seriesInput(h4, 'close'), { length: 5 }).value;
    const trend4h = STRUCTURE_IMPLS.trend.compute({ input: seriesInput(h4, 'close'), params: { ema_length: 10, transition_bars: 5 }, deps: {}, features: {} });
    const ema = compiled.column('ema_4h');
    const state = compiled.column('trend_4h.state');
    const transition = compiled.column('trend_4h.transition');
    for (let i = 0; i < exec.length; i++) {
      const j = seen4h(h4, exec.ts[i]);
      const want = (col: Float64Array) => (j < 0 ? NaN : col[j]);
      expect(Object.is(ema[i], want(ema4h)), `ema_4h at bar ${i}`).toBe(true);
      expect(Object.is(state[i], want(trend4h.state)), `trend_4h.state at bar ${i}`).toBe(true);
      expect(Object.is(transition[i], want(trend4h.transition)), `trend_4h.transition at bar ${i}`).toBe(true);
    }
    expect(compiled.enumValues('trend_4h.state')).toEqual(['trending_up', 'trending_down', 'ranging']);
    // The qualified spelling names the same column.
    expect(sameValues(compiled.column('high_tf_4h.trend_4h.state'), state)).toBe(-1);
  });

  it('offset 1 on a 4h reference is the previous closed 4h value', () => {
    const prev = compiled.column('close_4h', 1);
    for (let i = 0; i < exec.length; i++) {
      const j = seen4h(h4, exec.ts[i]) - 1;
      expect(Object.is(prev[i], j < 0 ? NaN : h4.close[j]), `bar ${i}`).toBe(true);
    }
    // close_4h > its previous closed value: true on every 1h bar of a 4h bar that closed up
    const up = compiled.signals.exit_long;
    for (let i = 0; i < exec.length; i++) {
      const j = seen4h(h4, exec.ts[i]);
      expect(up[i], `bar ${i}`).toBe(j >= 1 && h4.close[j] > h4.close[j - 1] ? 1 : 0);
    }
  });

  it('a cross of two 4h values fires once, on the exec bar whose close is the 4h close', () => {
    const ema4h = INDICATOR_IMPLS.ema.compute(seriesInput(h4, 'close'), { length: 5 }).value;
    let crosses4h = 0;
    for (let j = 1; j < h4.length; j++) if (h4.close[j - 1] <= ema4h[j - 1] && h4.close[j] > ema4h[j]) crosses4h++;
    const fired = [...compiled.signals.entry_long.keys()].filter((i) => compiled.signals.entry_long[i] === 1);
    expect(crosses4h).toBeGreaterThan(20);
    expect(fired.length).toBe(crosses4h);
    for (const i of fired) expect((exec.ts[i] + HOUR) % H4).toBe(0);
  });
});

describe('timeframe alignment', () => {
  it('lastClosedIndex and forwardFill on a hand-made grid', () => {
    // exec closes 1..8; a slower series closes at 4 and 8
    const map = lastClosedIndex(Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8), Float64Array.of(4, 8));
    expect([...map]).toEqual([-1, -1, -1, 0, 0, 0, 0, 1]);
    expect([...forwardFill(Float64Array.of(10, 20), map)]).toEqual([NaN, NaN, NaN, 10, 10, 10, 10, 20]);
    expect([...forwardFill(Float64Array.of(10, 20), map, 1)]).toEqual([NaN, NaN, NaN, NaN, NaN, NaN, NaN, 10]);
  });

  it('a faster timeframe needs its candles; with them, the 15m bar closing with the hour is read', () => {
    const body = `
features:
  close_15m: { indicator: sma, tf: low_tf, params: { length: 1 } }
actions:
  entry_long: [[close_15m, ">", 0]]
`;
    const exec = btc1h();
    expect(() => compilePlay(play1h(body), { exec, execInterval: '1h' })).toThrow(expect.objectContaining({ code: 'ENGINE_TIMEFRAME_UNAVAILABLE' }));
    const m15 = btc15m();
    const compiled = compilePlay(play1h(body), { exec, execInterval: '1h', candlesByInterval: { '15m': m15 } });
    const col = compiled.column('close_15m');
    const covered = Math.floor(m15.length / 4); // the 15m slice covers the first 2,000 hours
    // The bundled 15m bars aggregate exactly to the 1h bars, so the hour's last 15m close is the 1h close.
    expect(sameValues(col, exec.close, covered)).toBe(-1);
    expect(col.subarray(covered).every((v) => v === m15.close[m15.length - 1])).toBe(true);
  });
});

describe('funding_rate', () => {
  it('is the last settled rate, forward-filled, NaN before the first settlement', () => {
    const exec = btc1h();
    const funding = btcFunding(exec);
    const body = `
features:
  funding_avg: { indicator: sma, source: funding_rate, params: { length: 3 } }
actions:
  entry_long: [[funding_rate, ">", 0.0001]]
`;
    const compiled = compilePlay(play1h(body), { exec, execInterval: '1h', funding });
    const col = compiled.column('funding_rate');
    // Settlements at 00:00, 08:00 and 16:00 UTC; the fixture opens at 16:00, so bar 0 carries one.
    expect(Number.isNaN(funding[0])).toBe(false);
    expect(Number.isNaN(funding[1])).toBe(true);
    expect(Number.isNaN(funding[8])).toBe(false);
    expect([col[0], col[1], col[7]]).toEqual([funding[0], funding[0], funding[0]]);
    expect(col[8]).toBe(funding[8]);
    let last = NaN;
    for (let i = 0; i < exec.length; i++) {
      if (!Number.isNaN(funding[i])) last = funding[i];
      expect(Object.is(col[i], last)).toBe(true);
    }
    // as an indicator source: sma over the forward-filled series
    const avg = compiled.column('funding_avg');
    expect(avg[2]).toBeCloseTo((col[0] + col[1] + col[2]) / 3, 15);
    // without funding data every bar is missing: the condition is never true
    const none = compilePlay(play1h(body), { exec, execInterval: '1h' });
    expect(none.column('funding_rate').every(Number.isNaN)).toBe(true);
    expect(none.signals.entry_long.every((x) => x === 0)).toBe(true);
  });
});

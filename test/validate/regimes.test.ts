import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.ts';
import { efficiencyRatio, RegimeSplitter } from '../../src/validate/regimes.ts';

const HOUR = 3_600_000;

describe('efficiency ratio', () => {
  it('is 1 on a straight line, 0 on a back-and-forth, NaN before a full window', () => {
    const line = efficiencyRatio([1, 2, 3, 4, 5, 6], 3);
    expect(Number.isNaN(line[2])).toBe(true);
    expect(Array.from(line.subarray(3))).toEqual([1, 1, 1]);
    const zigzag = efficiencyRatio([1, 2, 1, 2, 1, 2, 1], 2);
    expect(Array.from(zigzag.subarray(2))).toEqual([0, 0, 0, 0, 0]);
    // Net move 2 over a path of 4 (up 2, down 1, up 1): 0.5.
    expect(efficiencyRatio([0, 2, 1, 2], 3)[3]).toBeCloseTo(2 / 4, 14);
  });
});

describe('regime split', () => {
  it('puts a play that earns in trends into the trending bucket', () => {
    // 10 trending legs then 10 choppy stretches of 20 bars; the play earns 0.1 % per trending bar only.
    const close: number[] = [];
    const returns: number[] = [];
    let p = 100;
    for (let leg = 0; leg < 20; leg++) {
      for (let i = 0; i < 20; i++) {
        const trending = leg < 10;
        p += trending ? 1 : i % 2 === 0 ? 1 : -1;
        close.push(p);
        returns.push(trending ? 0.001 : (i % 2 === 0 ? -0.0005 : 0.0004));
      }
    }
    const s = new RegimeSplitter(HOUR, { window: 10 });
    s.add(close, returns);
    const r = s.result();
    expect(r.trending.bars).toBeGreaterThan(150);
    expect(r.ranging.bars).toBeGreaterThan(150);
    expect(r.trending.returnPct).toBeGreaterThan(10);
    expect(r.ranging.returnPct).toBeLessThan(0);
    expect(r.window).toBe(10);
  });

  it('classes each bar by the window ending at the previous close, returns aligned at their offset', () => {
    const s = new RegimeSplitter(HOUR, { window: 2 });
    // Efficiency ratios (window 2) of the closes: bar 2: 1, bar 3: 1, bar 4: 0, bar 5: 0, bar 6: 0.
    // Returns start at bar 3 of the closes; bar k is classed by the ratio at bar k - 1:
    // bar 3 (ratio at 2: trending), bar 4 (at 3: trending), bars 5 and 6 (at 4 and 5: ranging).
    s.add([1, 2, 3, 4, 3, 4, 3], [0.01, 0.01, -0.01, -0.01], 3);
    const r = s.result();
    expect(r.trending.bars).toBe(2);
    expect(r.ranging.bars).toBe(2);
    expect(r.trending.returnPct).toBeCloseTo((1.01 ** 2 - 1) * 100, 10);
    expect(r.ranging.returnPct).toBeCloseTo((0.99 ** 2 - 1) * 100, 10);
  });

  it('does not let a bar\'s own move decide its class', () => {
    // Flat-ish chop, then one huge up bar: the ratio ending AT that bar is high, but the bar is classed by the
    // window before it, which was choppy.
    const close = [10, 11, 10, 11, 10, 11, 10, 30];
    const s = new RegimeSplitter(HOUR, { window: 3, threshold: 0.5 });
    s.add(close, [0, 0, 0, 0, 0, 0, 0, 0.5]);
    const r = s.result();
    expect(r.trending.bars).toBe(0);
    expect(r.ranging.returnPct).toBeCloseTo(50, 10);
  });
});

describe('default trending threshold', () => {
  it('is twice the efficiency ratio of a random walk, so noise is mostly ranging', () => {
    const rng = createRng(12);
    const close: number[] = [];
    let p = 100;
    for (let i = 0; i < 20_000; i++) close.push((p += rng.normal()));
    const s = new RegimeSplitter(HOUR);
    expect(s.window).toBe(24);
    expect(s.threshold).toBeCloseTo(2 / Math.sqrt(24), 12);
    s.add(close, new Array(close.length).fill(0));
    const r = s.result();
    const share = r.trending.bars / (r.trending.bars + r.ranging.bars);
    expect(share).toBeGreaterThan(0.01);
    expect(share).toBeLessThan(0.2);
  });
});

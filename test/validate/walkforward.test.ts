import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.ts';
import type { Trade } from '../../src/engine/index.ts';
import { runWalkForward, stitchSegments, walkForwardWindows, type SegmentResult, type TimeWindow } from '../../src/validate/walkforward.ts';

const trade = (entryTs: number, exitTs: number, pnl: number): Trade => ({
  side: 'long', entryBar: 0, entryTs, entryPrice: 100, exitBar: 1, exitTs, exitPrice: 101, quantity: 1, notional: 100, margin: 100,
  fees: 1, funding: 0, pnl, returnPct: pnl / 10, exitReason: 'signal', barsHeld: 1,
});

describe('walk-forward windows', () => {
  it('rolls a fixed training window forward by the test length', () => {
    const w = walkForwardWindows({ span: { from: 0, to: 100 }, trainMs: 40, testMs: 20 });
    expect(w.map((x) => [x.train.from, x.train.to, x.test.from, x.test.to])).toEqual([
      [0, 40, 40, 60], [20, 60, 60, 80], [40, 80, 80, 100],
    ]);
  });

  it('anchors the training window at the start and grows it', () => {
    const w = walkForwardWindows({ span: { from: 0, to: 100 }, trainMs: 40, testMs: 20, mode: 'anchored' });
    expect(w.map((x) => [x.train.from, x.train.to, x.test.from, x.test.to])).toEqual([
      [0, 40, 40, 60], [0, 60, 60, 80], [0, 80, 80, 100],
    ]);
  });

  it('keeps a short last test window only when it is at least half a window', () => {
    expect(walkForwardWindows({ span: { from: 0, to: 95 }, trainMs: 40, testMs: 20 }).at(-1)!.test).toEqual({ from: 80, to: 95 });
    expect(walkForwardWindows({ span: { from: 0, to: 88 }, trainMs: 40, testMs: 20 }).at(-1)!.test).toEqual({ from: 60, to: 80 });
  });

  it('never lets test windows overlap and never trains past a test start', () => {
    expect(() => walkForwardWindows({ span: { from: 0, to: 100 }, trainMs: 40, testMs: 20, stepMs: 10 })).toThrow(/overlap/);
    for (const mode of ['rolling', 'anchored'] as const) {
      const w = walkForwardWindows({ span: { from: 0, to: 1000 }, trainMs: 200, testMs: 50, stepMs: 70, mode });
      for (const x of w) expect(x.train.to).toBeLessThanOrEqual(x.test.from);
      for (let i = 1; i < w.length; i++) expect(w[i].test.from).toBeGreaterThanOrEqual(w[i - 1].test.to);
    }
  });
});

describe('stitching test windows', () => {
  it('chains returns as if one account traded the windows back to back', () => {
    // Window 1: 1000 -> 1100 (+10 %); window 2 starts again at 1000 and ends at 950 (−5 %).
    const a: SegmentResult = { ts: [0, 1], equity: Float64Array.from([1050, 1100]), startingEquity: 1000, trades: [trade(0, 1, 100)], inPosition: Uint8Array.from([1, 0]) };
    const b: SegmentResult = { ts: [2, 3], equity: Float64Array.from([1000, 950]), startingEquity: 1000, trades: [trade(2, 3, -50)], inPosition: Uint8Array.from([1, 0]) };
    const s = stitchSegments([a, b], 10_000);
    expect(Array.from(s.equity)).toEqual([10_500, 11_000, 11_000, 10_450]);
    expect(s.trades.map((t) => t.pnl)).toEqual([1000, -550]);
    expect(s.trades.map((t) => t.returnPct)).toEqual([10, -5]);
    expect(s.totalFees).toBeCloseTo(10 + 11, 12);
    expect(Array.from(s.ts)).toEqual([0, 1, 2, 3]);
    expect(() => stitchSegments([b, a], 10_000)).toThrow(/out of order/);
  });
});

describe('running a walk-forward', () => {
  // A market of per-bar returns and a one-parameter "strategy": hold +1 or −1 units. The optimiser picks the
  // sign of the training window's mean return; the evaluator trades that sign over the test window.
  const BAR = 1;
  function harness(returns: Float64Array) {
    const seen: TimeWindow[] = [];
    return {
      seen,
      callbacks: {
        async optimise(train: TimeWindow) {
          seen.push(train);
          let sum = 0;
          for (let t = train.from; t < train.to; t++) sum += returns[t];
          return Math.sign(sum) || 1;
        },
        async evaluate(side: number, test: TimeWindow): Promise<SegmentResult> {
          const n = test.to - test.from;
          const equity = new Float64Array(n);
          let e = 1000;
          for (let i = 0; i < n; i++) equity[i] = e *= 1 + side * returns[test.from + i];
          return { ts: Array.from({ length: n }, (_, i) => test.from + i), equity, startingEquity: 1000, trades: [], inPosition: new Uint8Array(n).fill(1) };
        },
      },
    };
  }

  it('profits out of sample from a persistent drift and never optimises on test data', async () => {
    const rng = createRng(4);
    const returns = Float64Array.from({ length: 1200 }, () => 0.0005 + 0.002 * rng.normal());
    const windows = walkForwardWindows({ span: { from: 0, to: 1200 }, trainMs: 300, testMs: 100 });
    const h = harness(returns);
    const r = await runWalkForward(windows, h.callbacks, { barMs: BAR, startingEquity: 1000 });
    expect(r.segments).toHaveLength(9);
    expect(r.segments.every((s) => s.params === 1)).toBe(true);
    expect(h.seen.map((w) => w.to)).toEqual(windows.map((w) => w.test.from));
    // The stitched curve is exactly the compounded test-window returns.
    let e = 1000;
    for (let t = 300; t < 1200; t++) e *= 1 + returns[t];
    expect(r.stitched.equity.at(-1)).toBeCloseTo(e, 6);
    expect(r.metrics.totalReturnPct).toBeCloseTo((e / 1000 - 1) * 100, 6);
    expect(r.stitched.ts[0]).toBe(300);
  });

  it('exposes a regime that flips every window: out-of-sample losses despite in-sample fit', async () => {
    // The drift changes sign every 100 bars, so whatever the last 100-bar training window says is wrong next.
    const returns = Float64Array.from({ length: 1000 }, (_, t) => (Math.floor(t / 100) % 2 === 0 ? 0.001 : -0.001));
    const windows = walkForwardWindows({ span: { from: 0, to: 1000 }, trainMs: 100, testMs: 100 });
    const r = await runWalkForward(windows, harness(returns).callbacks, { barMs: BAR, startingEquity: 1000 });
    expect(r.metrics.totalReturnPct).toBeLessThan(0);
    expect(r.profitableSegmentsShare).toBe(0);
  });

  it('refuses an empty window list', async () => {
    await expect(runWalkForward([], harness(new Float64Array(10)).callbacks, { barMs: BAR, startingEquity: 1000 })).rejects.toThrow(/at least one window/);
  });
});

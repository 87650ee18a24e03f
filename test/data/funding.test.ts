import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alignFunding, CandleStore, candlesFromArrays, importFile, loadFunding, resampleCandles } from '../../src/data/index.ts';
import { cleanup, example, tempDir } from './support/helpers.ts';

const dir = tempDir();
let store: CandleStore;
beforeAll(async () => {
  store = await CandleStore.open(dir);
  await importFile(store, example('BYBIT_BTCUSDT_1h.csv'));
  await importFile(store, example('BYBIT_BTCUSDT_funding.csv'));
});
afterAll(() => {
  store.close();
  cleanup(dir);
});

describe('funding aligned to bars', () => {
  it('puts each 8-hourly settlement on the 1h bar that opens at it, NaN elsewhere', async () => {
    const bars = await store.loadCandles('bybit:BTCUSDT:1h');
    const f = await loadFunding(store, 'bybit', 'BTCUSDT');
    const per = alignFunding(bars, f);
    expect(per.length).toBe(bars.length);
    const inRange = Array.from(f.ts).filter((t) => t >= bars.ts[0] && t < bars.ts[bars.length - 1] + 3_600_000).length;
    let n = 0;
    for (let i = 0; i < bars.length; i++) {
      const hour = new Date(bars.ts[i]).getUTCHours();
      if (Number.isNaN(per[i])) {
        continue;
      }
      n++;
      expect([0, 8, 16]).toContain(hour);
    }
    expect(n).toBe(inRange);
    // A known value: the first settlement of 2024.
    const i = Array.from(bars.ts).indexOf(Date.UTC(2024, 0, 1, 0));
    const j = Array.from(f.ts).indexOf(Date.UTC(2024, 0, 1, 0));
    expect(per[i]).toBe(f.rate[j]);
    expect(Number.isNaN(per[i + 1])).toBe(true);
  });

  it('sums the settlements inside a coarser bar', async () => {
    const bars = await store.loadCandles('bybit:BTCUSDT:1h', { from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 0, 8) });
    const daily = resampleCandles(bars, 'D');
    const f = await loadFunding(store, 'bybit', 'BTCUSDT', { from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 0, 8) });
    const per = alignFunding(daily, f, { interval: 'D' });
    expect(daily.length).toBe(7);
    for (let d = 0; d < 7; d++) expect(per[d]).toBeCloseTo(f.rate[3 * d] + f.rate[3 * d + 1] + f.rate[3 * d + 2], 15);
  });

  it('does not attribute settlements that fall in a hole between bars', () => {
    const H = 3_600_000;
    const bars = candlesFromArrays({ ts: [0, H, 5 * H, 6 * H], open: [1, 1, 1, 1], high: [1, 1, 1, 1], low: [1, 1, 1, 1], close: [1, 1, 1, 1], volume: [1, 1, 1, 1] });
    const per = alignFunding(bars, [{ ts: H + 1, rate: 0.1 }, { ts: 3 * H, rate: 0.2 }, { ts: 6 * H, rate: 0.3 }, { ts: 9 * H, rate: 0.4 }], { interval: '1h' });
    expect(Array.from(per)).toEqual([NaN, 0.1, NaN, 0.3]);
  });
});

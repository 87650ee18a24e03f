import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BybitClient, CandleStore, fetchBybitHistory, loadFunding, type FetchProgress } from '../../src/data/index.ts';
import { barsFromCsv, fundingFromCsv, startFakeBybit, type Fault, type FakeBar, type FakeBybit } from './support/fake-bybit.ts';
import { cleanup, example, tempDir } from './support/helpers.ts';

const H = 3_600_000;
const bars = barsFromCsv(example('BYBIT_BTCUSDT_1h.csv'), 3000);
const funding = fundingFromCsv(example('BYBIT_BTCUSDT_funding.csv'));
/** "Now" is half an hour into the last bar the server has: that bar is still forming. */
const NOW = bars[2999].ts + H / 2;

const dirs: string[] = [];
let store: CandleStore;
let server: FakeBybit | undefined;
beforeEach(async () => {
  const dir = tempDir();
  dirs.push(dir);
  store = await CandleStore.open(dir);
});
afterEach(async () => {
  store.close();
  await server?.close();
  server = undefined;
});
afterAll(() => dirs.forEach(cleanup));

async function serve(opts: { bars?: FakeBar[]; faults?: Fault[]; maxKlines?: number } = {}) {
  server = await startFakeBybit({ bars: { '60': opts.bars ?? bars }, funding, faults: opts.faults, maxKlines: opts.maxKlines });
  const sleeps: number[] = [];
  const client = new BybitClient({ baseUrl: server.url, sleep: async (ms) => void sleeps.push(ms), timeoutMs: 2000 });
  return { client, sleeps, server };
}

async function expectStoredEqualsServer(count: number): Promise<void> {
  const c = await store.loadCandles('bybit:BTCUSDT:1h');
  expect(c.length).toBe(count);
  for (let i = 0; i < count; i++) {
    const b = bars[i];
    if (c.ts[i] !== b.ts || c.open[i] !== b.open || c.high[i] !== b.high || c.low[i] !== b.low || c.close[i] !== b.close || c.volume[i] !== b.volume) {
      throw new Error(`bar ${i} differs`);
    }
  }
}

describe('Bybit downloader (local fake server)', () => {
  it('downloads history in windows of 1000 bars, never storing the bar still forming', async () => {
    const { client, server } = await serve();
    const progress: FetchProgress[] = [];
    const r = await fetchBybitHistory(store, { client, symbol: 'BTCUSDT', interval: '1h', from: bars[0].ts, now: () => NOW, onProgress: (p) => progress.push(p) });
    expect(r.dataset).toBe('bybit:BTCUSDT:1h');
    expect(r.bars).toMatchObject({ received: 2999, inserted: 2999 });
    expect(r.stored).toMatchObject({ rows: 2999, gapCount: 0, first: bars[0].ts, last: bars[2998].ts });
    await expectStoredEqualsServer(2999);
    const kline = server.requests.filter((q) => q.path === '/v5/market/kline');
    expect(kline).toHaveLength(3);
    expect(kline[0].query).toMatchObject({ category: 'linear', symbol: 'BTCUSDT', interval: '60', start: String(bars[0].ts), end: String(bars[0].ts + 1000 * H - 1), limit: '1000' });
    const klineProgress = progress.filter((p) => p.phase === 'klines');
    expect(klineProgress[klineProgress.length - 1]).toEqual({ phase: 'klines', done: 2999, total: 2999 });
    // Funding: 200 per page, newest first, all settlements in [from, now).
    const f = await loadFunding(store, 'bybit', 'BTCUSDT');
    const expected = funding.filter((x) => x.ts >= bars[0].ts && x.ts < NOW);
    expect(Array.from(f.ts)).toEqual(expected.map((x) => x.ts));
    expect(Array.from(f.rate)).toEqual(expected.map((x) => x.rate));
    const fq = server.requests.filter((q) => q.path === '/v5/market/funding/history');
    expect(fq.length).toBeGreaterThanOrEqual(Math.ceil(expected.length / 200));
    expect(fq.every((q) => q.query.startTime !== undefined && q.query.endTime !== undefined)).toBe(true);
  });

  it('resumes from the last stored bar', async () => {
    const { client, server } = await serve();
    await fetchBybitHistory(store, { client, symbol: 'BTCUSDT', interval: '1h', from: bars[0].ts, to: bars[1500].ts, now: () => NOW, funding: false });
    const before = server.requests.length;
    const r = await fetchBybitHistory(store, { client, symbol: 'BTCUSDT', interval: '1h', from: bars[0].ts, now: () => NOW, funding: false });
    const later = server.requests.slice(before);
    expect(later[0].query.start).toBe(String(bars[1500].ts));
    expect(r.ranges).toEqual([{ from: bars[1500].ts, to: bars[2999].ts }]);
    expect(r.bars.inserted).toBe(1499);
    await expectStoredEqualsServer(2999);
    // Nothing left: a third run asks for nothing.
    const again = await fetchBybitHistory(store, { client, symbol: 'BTCUSDT', interval: '1h', from: bars[0].ts, now: () => NOW, funding: false });
    expect(again.requests).toBe(0);
  });

  it('fills in history before the stored bars, newest window first, without holes', async () => {
    const { client } = await serve();
    await fetchBybitHistory(store, { client, symbol: 'BTCUSDT', interval: '1h', from: bars[2100].ts, to: bars[2500].ts, now: () => NOW, funding: false });
    const r = await fetchBybitHistory(store, { client, symbol: 'BTCUSDT', interval: '1h', from: bars[0].ts, to: bars[2500].ts, now: () => NOW, funding: false });
    expect(r.ranges).toEqual([{ from: bars[0].ts, to: bars[2100].ts }]);
    expect(r.stored.gapCount).toBe(0);
    await expectStoredEqualsServer(2500);
  });

  it('survives a rate-limited page, 5xx answers and truncated bodies mid-download', async () => {
    const faults: Fault[] = [
      { kind: 'rateLimit', path: '/v5/market/kline' },
      { kind: 'http5xx', status: 500, path: '/v5/market/kline' },
      { kind: 'truncated', path: '/v5/market/kline' },
      { kind: 'cut', path: '/v5/market/funding/history' },
      { kind: 'rateLimit', path: '/v5/market/funding/history' },
    ];
    const { client, sleeps, server } = await serve({ faults });
    const r = await fetchBybitHistory(store, { client, symbol: 'BTCUSDT', interval: '1h', from: bars[0].ts, now: () => NOW });
    expect(server.faults).toEqual([]);
    expect(sleeps).toHaveLength(5);
    expect(r.bars.inserted).toBe(2999);
    await expectStoredEqualsServer(2999);
    expect(r.funding!.inserted).toBe(funding.filter((x) => x.ts >= bars[0].ts && x.ts < NOW).length);
  });

  it('pages backwards inside a window when the server caps pages below the limit', async () => {
    const { client, server } = await serve({ maxKlines: 300 });
    const r = await fetchBybitHistory(store, { client, symbol: 'BTCUSDT', interval: '1h', from: bars[0].ts, to: bars[1000].ts, now: () => NOW, funding: false });
    expect(r.bars.inserted).toBe(1000);
    const ends = server.requests.map((q) => Number(q.query.end));
    expect(ends).toEqual([bars[999].ts + H - 1, bars[700].ts - 1, bars[400].ts - 1, bars[100].ts - 1]);
    await expectStoredEqualsServer(1000);
  });

  it('refuses a hole in the exchange data by default, keeping the windows before it; drop accepts and reports it', async () => {
    const holed = bars.filter((_, i) => i < 1500 || i >= 1505);
    const { client } = await serve({ bars: holed });
    await expect(fetchBybitHistory(store, { client, symbol: 'BTCUSDT', interval: '1h', from: bars[0].ts, now: () => NOW, funding: false })).rejects.toMatchObject({
      code: 'DATA_GAP',
      message: expect.stringContaining(`5 1h bar(s) missing between ${new Date(bars[1499].ts).toISOString()} and ${new Date(bars[1505].ts).toISOString()}`),
    });
    expect((await store.datasetInfo('bybit:BTCUSDT:1h'))?.rows).toBe(1000);
    const r = await fetchBybitHistory(store, { client, symbol: 'BTCUSDT', interval: '1h', from: bars[0].ts, now: () => NOW, funding: false, policy: 'drop' });
    expect(r.stored).toMatchObject({ rows: 2994, gapCount: 1, missingBars: 5 });
  });

  it('refuses an empty range', async () => {
    const { client } = await serve();
    await expect(fetchBybitHistory(store, { client, symbol: 'BTCUSDT', interval: '1h', from: NOW + 10 * H, now: () => NOW })).rejects.toMatchObject({ code: 'DATA_BAD_RANGE' });
  });
});

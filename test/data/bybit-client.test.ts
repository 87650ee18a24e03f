import { afterEach, describe, expect, it } from 'vitest';
import { BybitClient, type RetryInfo } from '../../src/data/index.ts';
import { barsFromCsv, startFakeBybit, type Fault, type FakeBybit } from './support/fake-bybit.ts';
import { example } from './support/helpers.ts';

const bars = barsFromCsv(example('BYBIT_BTCUSDT_1h.csv'), 3000);
let server: FakeBybit | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(faults: Fault[] = [], clientOpts: { maxRetries?: number; timeoutMs?: number } = {}) {
  server = await startFakeBybit({ bars: { '60': bars }, funding: [{ ts: bars[8].ts, rate: 0.0001 }, { ts: bars[16].ts, rate: -0.00002 }], faults });
  const sleeps: number[] = [];
  const retries: RetryInfo[] = [];
  const client = new BybitClient({
    baseUrl: server.url,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    timeoutMs: clientOpts.timeoutMs ?? 2000,
    maxRetries: clientOpts.maxRetries,
    onRetry: (r) => retries.push(r),
  });
  return { client, sleeps, retries, server };
}

describe('Bybit V5 client against a local fake server', () => {
  it('reads a kline page as Bybit sends it: newest first, strings to numbers', async () => {
    const { client, server } = await setup();
    const page = await client.getKlines({ category: 'linear', symbol: 'BTCUSDT', interval: '1h', start: bars[0].ts, end: bars[9].ts, limit: 1000 });
    expect(page.map((k) => k.ts)).toEqual(bars.slice(0, 10).map((b) => b.ts).reverse());
    expect(page[9]).toMatchObject({ open: bars[0].open, high: bars[0].high, low: bars[0].low, close: bars[0].close, volume: bars[0].volume });
    expect(server.requests[0]).toEqual({
      path: '/v5/market/kline',
      query: { category: 'linear', symbol: 'BTCUSDT', interval: '60', start: String(bars[0].ts), end: String(bars[9].ts), limit: '1000' },
    });
  });

  it('reads funding history', async () => {
    const { client } = await setup();
    const f = await client.getFundingHistory({ category: 'linear', symbol: 'BTCUSDT', startTime: bars[0].ts, endTime: bars[20].ts });
    expect(f).toEqual([{ ts: bars[16].ts, rate: -0.00002 }, { ts: bars[8].ts, rate: 0.0001 }]);
  });

  it('retries the rate-limit answer (retCode 10006), waiting for the reset time Bybit gives', async () => {
    const { client, sleeps, retries } = await setup([{ kind: 'rateLimit' }]);
    const page = await client.getKlines({ category: 'linear', symbol: 'BTCUSDT', interval: '1h', start: bars[0].ts, end: bars[2].ts });
    expect(page.length).toBe(3);
    expect(retries).toHaveLength(1);
    expect(retries[0].reason).toMatch(/10006/);
    // The fake server sets X-Bapi-Limit-Reset-Timestamp one second ahead: the wait is longer than the 500 ms backoff.
    expect(sleeps[0]).toBeGreaterThan(500);
    expect(sleeps[0]).toBeLessThanOrEqual(1000);
  });

  it('retries HTTP 5xx, retCode 10016, truncated and cut-off bodies with doubling delays', async () => {
    const { client, sleeps, retries, server } = await setup([{ kind: 'http5xx', status: 502 }, { kind: 'http5xx', status: 503 }, { kind: 'serverError' }, { kind: 'truncated' }, { kind: 'cut' }]);
    const page = await client.getKlines({ category: 'linear', symbol: 'BTCUSDT', interval: '1h', start: bars[0].ts, end: bars[4].ts });
    expect(page.length).toBe(5);
    expect(retries.map((r) => r.reason)).toEqual([
      'HTTP 502',
      'HTTP 503',
      expect.stringMatching(/retCode 10016/),
      expect.stringMatching(/unreadable body/),
      expect.stringMatching(/network error/),
    ]);
    expect(sleeps).toEqual([500, 1000, 2000, 4000, 8000]);
    expect(server.requests).toHaveLength(6);
  });

  it('retries a request that times out', async () => {
    const { client, retries } = await setup([{ kind: 'hang' }], { timeoutMs: 200 });
    const page = await client.getKlines({ category: 'linear', symbol: 'BTCUSDT', interval: '1h', start: bars[0].ts, end: bars[1].ts });
    expect(page.length).toBe(2);
    expect(retries[0].reason).toMatch(/timed out after 200 ms/);
  });

  it('gives up after maxRetries with BYBIT_RETRIES_EXHAUSTED', async () => {
    const { client } = await setup(Array.from({ length: 5 }, () => ({ kind: 'http5xx' as const })), { maxRetries: 2 });
    await expect(client.getKlines({ category: 'linear', symbol: 'BTCUSDT', interval: '1h' })).rejects.toMatchObject({
      code: 'BYBIT_RETRIES_EXHAUSTED',
      message: expect.stringMatching(/failed 3 times; last: HTTP 502/),
    });
  });

  it('does not retry a parameter error', async () => {
    const { client, retries } = await setup();
    await expect(client.getFundingHistory({ category: 'linear', symbol: 'BTCUSDT', startTime: bars[0].ts })).rejects.toMatchObject({ code: 'BYBIT_API', message: expect.stringMatching(/10001/) });
    expect(retries).toEqual([]);
  });

  it('takes the base URL from BYBIT_BASE_URL', () => {
    const saved = process.env.BYBIT_BASE_URL;
    process.env.BYBIT_BASE_URL = 'http://127.0.0.1:9/';
    try {
      expect(new BybitClient().baseUrl).toBe('http://127.0.0.1:9');
      expect(new BybitClient({ baseUrl: 'http://127.0.0.1:8' }).baseUrl).toBe('http://127.0.0.1:8');
    } finally {
      if (saved === undefined) delete process.env.BYBIT_BASE_URL;
      else process.env.BYBIT_BASE_URL = saved;
    }
    const saved2 = process.env.BYBIT_BASE_URL;
    delete process.env.BYBIT_BASE_URL;
    expect(new BybitClient().baseUrl).toBe('https://api.bybit.com');
    if (saved2 !== undefined) process.env.BYBIT_BASE_URL = saved2;
  });
});

// Datasets travel as bytes: every section must come back equal (same hash), and a worker's cache fetches
// each hash once and stays within its byte cap.
import { describe, expect, it } from 'vitest';
import { allocateCandles, candlesFromArrays, type Candles } from '../../../src/data/index.ts';
import type { MarketData } from '../../../src/engine/index.ts';
import { datasetHash } from '../../../src/evolve/dataset.ts';
import { packMarketData, unpackMarketData } from '../../../src/evolve/cluster/dataset-blob.ts';
import { DatasetCache } from '../../../src/evolve/cluster/dataset-cache.ts';
import { fixtureMarketData } from './helpers.ts';

function candles(n: number, t0: number, stepMs: number, seed: number): Candles {
  const ts = Array.from({ length: n }, (_, i) => t0 + i * stepMs);
  const close = ts.map((_, i) => 100 + Math.sin(i * 0.3 + seed) * 5);
  return candlesFromArrays({ ts, open: close.map((c) => c - 0.5), high: close.map((c) => c + 1), low: close.map((c) => c - 1), close, volume: close.map((c, i) => (i % 3) * c) });
}

function fullData(): MarketData {
  const data = fixtureMarketData(200);
  return {
    ...data,
    subCandles: candles(800, data.exec.ts[0], 15 * 60_000, 1),
    subInterval: '15m',
    candlesByInterval: { '4h': candles(50, data.exec.ts[0], 4 * 3_600_000, 2), D: candles(9, data.exec.ts[0], 86_400_000, 3) },
  };
}

describe('dataset blob', () => {
  it('packs exec, funding, finer bars and other timeframes and rebuilds them in shared memory', () => {
    const data = fullData();
    const hash = datasetHash(data);
    const { meta, bytes } = packMarketData(data, hash);
    expect(meta.sections.map((s) => s.name)).toEqual(['exec', 'funding', 'sub', 'tf:4h', 'tf:D']);
    expect(bytes.length).toBe(meta.totalBytes);
    const back = unpackMarketData(JSON.parse(JSON.stringify(meta)), Buffer.from(bytes));
    expect(datasetHash(back)).toBe(hash);
    expect(back.exec).toEqual(data.exec);
    expect(back.funding).toEqual(data.funding);
    expect(Number.isNaN(back.funding?.[1])).toBe(true);
    expect(back.subCandles).toEqual(data.subCandles);
    expect(back.subInterval).toBe('15m');
    expect(back.candlesByInterval?.['4h']).toEqual(data.candlesByInterval?.['4h']);
    expect(back.candlesByInterval?.D).toEqual(data.candlesByInterval?.D);
    expect(back.dataset).toEqual(data.dataset);
    expect(back.exec.close.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(back.funding?.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('packs minimal data (no funding, no other timeframes) and empty candles', () => {
    const data: MarketData = { exec: allocateCandles(0), execInterval: '1h', dataset: { exchange: 'bybit', symbol: 'BTCUSDT', interval: '1h' } };
    const { meta, bytes } = packMarketData(data, datasetHash(data));
    const back = unpackMarketData(meta, bytes);
    expect(back.exec.length).toBe(0);
    expect(back.funding).toBeUndefined();
    expect(datasetHash(back)).toBe(datasetHash(data));
  });

  it('refuses bytes that do not match the meta', () => {
    const data = fixtureMarketData(50);
    const { meta, bytes } = packMarketData(data, datasetHash(data));
    expect(() => unpackMarketData(meta, bytes.subarray(8))).toThrow(/bytes, its meta says/);
    expect(() => unpackMarketData({ ...meta, format: 2 }, bytes)).toThrow(/format 2/);
    expect(() => unpackMarketData({ ...meta, endianness: meta.endianness === 'LE' ? 'BE' : 'LE' }, bytes)).toThrow(/machine/);
  });
});

describe('worker dataset cache', () => {
  const datasets: Record<string, MarketData> = { a: fixtureMarketData(10), b: fixtureMarketData(20), c: fixtureMarketData(30) };
  const fetcher = (fetched: string[]) => async (hash: string) => {
    fetched.push(hash);
    await new Promise((resolve) => setImmediate(resolve));
    return { data: datasets[hash], bytes: 100 };
  };

  it('fetches a hash once, even when asked concurrently', async () => {
    const fetched: string[] = [];
    const cache = new DatasetCache(fetcher(fetched), 1000);
    const [x, y] = await Promise.all([cache.get('a'), cache.get('a')]);
    expect(x).toBe(datasets.a);
    expect(y).toBe(datasets.a);
    expect(await cache.get('a')).toBe(datasets.a);
    expect(fetched).toEqual(['a']);
    expect(cache.stats()).toMatchObject({ fetches: 1, hits: 2, entries: 1, bytes: 100 });
  });

  it('evicts the least recently used dataset beyond its byte cap, keeping the newest even when alone too big', async () => {
    const fetched: string[] = [];
    const cache = new DatasetCache(fetcher(fetched), 200);
    await cache.get('a');
    await cache.get('b');
    await cache.get('a'); // a is now the most recent
    await cache.get('c'); // evicts b
    await cache.get('a');
    await cache.get('b');
    expect(fetched).toEqual(['a', 'b', 'c', 'b']);
    expect(cache.stats()).toMatchObject({ evictions: 2, entries: 2, bytes: 200 });
    const tiny = new DatasetCache(fetcher([]), 50);
    expect(await tiny.get('a')).toBe(datasets.a);
    expect(tiny.stats()).toMatchObject({ entries: 1, bytes: 100 });
  });

  it('forgets a failed fetch so the next request tries again', async () => {
    let calls = 0;
    const cache = new DatasetCache(async () => {
      calls++;
      if (calls === 1) throw new Error('redis went away');
      return { data: datasets.a, bytes: 1 };
    }, 100);
    await expect(cache.get('a')).rejects.toThrow('redis went away');
    expect(await cache.get('a')).toBe(datasets.a);
    expect(calls).toBe(2);
  });
});

// Several stores on one file in one process share a DuckDB instance, closed only with the last store.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { candlesFromArrays, CandleStore } from '../../src/data/index.ts';

describe('stores sharing one file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pf-inst-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const bars = (n: number) => {
    const t0 = Date.UTC(2024, 0, 1);
    const col = (f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));
    return candlesFromArrays({
      ts: col((i) => t0 + i * 3_600_000), open: col(() => 100), high: col(() => 101), low: col(() => 99), close: col(() => 100), volume: col(() => 1),
    });
  };

  it('closing one store leaves the other working; the file reopens after both closed', async () => {
    const a = await CandleStore.open(dir);
    const b = await CandleStore.open(dir);
    await a.writeBars('test:AAA:1h', bars(24));
    a.close();
    expect((await b.loadCandles('test:AAA:1h')).length).toBe(24);
    b.close();
    for (let k = 0; k < 5; k++) {
      const c = await CandleStore.open(dir);
      expect((await c.loadCandles('test:AAA:1h')).length).toBe(24);
      c.close();
    }
  });

  it('a closed store refuses work with a clear error', async () => {
    const s = await CandleStore.open(dir);
    s.close();
    await expect(s.loadCandles('test:AAA:1h')).rejects.toMatchObject({ code: 'DATA_STORE_CLOSED' });
  });
});

// Seeded synthetic 1m bars for benchmarks: a log-normal random walk with valid OHLC and volume.
import { createRng } from '../../src/common/rng.ts';
import { allocateCandles, type Candles } from '../../src/data/index.ts';

export function randomWalkCandles(n: number, seed = 42, stepMs = 60_000): Candles {
  const rng = createRng(seed);
  const c = allocateCandles(n);
  let p = 30_000;
  const t0 = Date.UTC(2020, 0, 1);
  for (let i = 0; i < n; i++) {
    const o = p;
    const cl = o * Math.exp(rng.normal() * 0.0008);
    c.ts[i] = t0 + i * stepMs;
    c.open[i] = o;
    c.close[i] = cl;
    c.high[i] = Math.max(o, cl) * (1 + rng.next() * 0.0005);
    c.low[i] = Math.min(o, cl) * (1 - rng.next() * 0.0005);
    c.volume[i] = 1 + rng.next() * 50;
    p = cl;
  }
  return c;
}

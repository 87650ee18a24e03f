// Indicator speed: each of the 47 indicators (default params) over 1,000,000 synthetic bars, as a ratio
// to a plain EMA(20) loop over the same closes measured in the same run. The baseline writes into a
// freshly allocated Float64Array, as every indicator must (a fresh 8 MB array costs its page faults).
import { createRng } from '../../src/common/rng.ts';
import { INDICATOR_IMPLS, seriesInput, type CandleColumns } from '../../src/indicators/index.ts';
import { timeMedian, type BenchSuite, type Figure } from '../harness.ts';

const BARS = 1_000_000;

/** Random-walk hourly candles: ~0.6% log-returns, wicks beyond the body, lognormal volume. */
function syntheticCandles(n: number, seed: number): CandleColumns {
  const rng = createRng(seed);
  const ts = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  let price = 40_000;
  const t0 = Date.UTC(2020, 0, 1);
  for (let i = 0; i < n; i++) {
    const o = price;
    const c = o * Math.exp(0.006 * rng.normal());
    ts[i] = t0 + i * 3_600_000;
    open[i] = o;
    close[i] = c;
    high[i] = Math.max(o, c) * (1 + 0.003 * Math.abs(rng.normal()));
    low[i] = Math.min(o, c) * (1 - 0.003 * Math.abs(rng.normal()));
    volume[i] = 1_000 * Math.exp(0.8 * rng.normal());
    price = c;
  }
  return { ts, open, high, low, close, volume };
}

/** The baseline: the simplest correct EMA loop (SMA seed, then one multiply-add per bar). */
function plainEma(src: Float64Array, length: number): Float64Array {
  const out = new Float64Array(src.length);
  const alpha = 2 / (length + 1);
  let sum = 0;
  for (let i = 0; i < length - 1; i++) {
    sum += src[i];
    out[i] = NaN;
  }
  sum += src[length - 1];
  let e = sum / length;
  out[length - 1] = e;
  for (let i = length; i < src.length; i++) {
    e += alpha * (src[i] - e);
    out[i] = e;
  }
  return out;
}

export const suite: BenchSuite = {
  name: 'indicators',
  async run(): Promise<Figure[]> {
    const candles = syntheticCandles(BARS, 20240101);
    const input = seriesInput(candles, 'close');
    let sink = 0; // keeps results observable so nothing is optimised away
    const baselineMs = await timeMedian(() => {
      sink += plainEma(candles.close, 20)[BARS - 1];
    }, 9, 3);
    const baseline = 'plain EMA(20) loop, 1M closes';
    const figures: Figure[] = [];
    const fig = (name: string, ms: number, note?: string): Figure => ({
      name,
      value: ms,
      unit: 'ms',
      baseline,
      baselineValue: baselineMs,
      ratio: ms / baselineMs,
      note: note ?? 'lower is better',
    });
    for (const [name, impl] of Object.entries(INDICATOR_IMPLS)) {
      const once = (): void => {
        const out = impl.compute(input, {});
        sink += out[impl.outputs[0]][BARS - 1] || 0;
      };
      // the first run warms the JIT; slow indicators (the volume profiles, seconds per run) then get one
      // timed run so the whole suite stays near a minute, the rest the median of three after one more warm-up
      const t0 = performance.now();
      once();
      const slow = performance.now() - t0 > 400;
      const ms = slow ? await timeMedian(once, 1, 0) : await timeMedian(once, 3, 1);
      figures.push(fig(`${name} (defaults), 1M bars`, ms, slow ? 'lower is better; one timed run' : undefined));
    }
    const total = figures.reduce((a, f) => a + f.value, 0);
    figures.push(fig('all 47 indicators (defaults), 1M bars', total, 'sum of the medians above'));
    if (!Number.isFinite(sink)) console.error('bench sink', sink);
    return figures;
  },
};

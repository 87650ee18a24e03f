// Structure speed: each detector over 1,000,000 synthetic bars, as a ratio to a plain EMA(20) loop over the
// same closes measured in the same run. Dependencies (swing, order_block, ...) are computed once beforehand,
// so each figure is the detector alone. hmm_regime refits a model every `refit_every` bars, so it runs on a
// smaller series (HMM_BARS) and its ratio is per bar against the same baseline scaled to that size.
import { createRng } from '../../src/common/rng.ts';
import { atr } from '../../src/indicators/index.ts';
import { STRUCTURE_IMPLS, type SeriesInput, type StructureOutput } from '../../src/structures/index.ts';
import { timeMedian, type BenchSuite, type Figure } from '../harness.ts';

const BARS = 1_000_000;
const HMM_BARS = 20_000;

/** Random-walk hourly candles: ~0.6% log-returns with wicks beyond the body. */
function syntheticInput(n: number, seed: number): SeriesInput {
  const rng = createRng(seed);
  const cols = Array.from({ length: 6 }, () => new Float64Array(n));
  const [ts, open, high, low, close, volume] = cols;
  let price = 40_000;
  for (let i = 0; i < n; i++) {
    const o = price;
    const c = o * Math.exp(0.006 * rng.normal());
    ts[i] = i * 3_600_000;
    open[i] = o;
    close[i] = c;
    high[i] = Math.max(o, c) * (1 + 0.003 * Math.abs(rng.normal()));
    low[i] = Math.min(o, c) * (1 - 0.003 * Math.abs(rng.normal()));
    volume[i] = 1_000 * Math.exp(0.8 * rng.normal());
    price = c;
  }
  return { ts, open, high, low, close, volume, source: close, length: n };
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

interface Case {
  name: string;
  type: string;
  params: Record<string, unknown>;
  deps?: (d: Record<string, StructureOutput>) => Record<string, StructureOutput>;
}

const CASES: Case[] = [
  { name: 'swing left=5 right=5', type: 'swing', params: { left: 5, right: 5 } },
  { name: 'swing atr_zigzag x2', type: 'swing', params: { mode: 'atr_zigzag', atr_key: 'atr_14', atr_multiplier: 2 } },
  { name: 'rolling_window size=20 max', type: 'rolling_window', params: { size: 20, source: 'high', mode: 'max' } },
  { name: 'displacement', type: 'displacement', params: { atr_key: 'atr_14' } },
  { name: 'fair_value_gap', type: 'fair_value_gap', params: { atr_key: 'atr_14' } },
  { name: 'trend (uses swing)', type: 'trend', params: {}, deps: (d) => ({ swing: d.swing }) },
  { name: 'trend standalone ema_length=50', type: 'trend', params: { ema_length: 50 } },
  { name: 'market_structure', type: 'market_structure', params: {}, deps: (d) => ({ swing: d.swing }) },
  { name: 'fibonacci 3 levels', type: 'fibonacci', params: { levels: [0.382, 0.5, 0.618], mode: 'retracement' }, deps: (d) => ({ swing: d.swing }) },
  { name: 'zone demand', type: 'zone', params: { zone_type: 'demand', width_atr: 1, atr_key: 'atr_14' }, deps: (d) => ({ swing: d.swing }) },
  {
    name: 'derived_zone 3 levels x 5 slots',
    type: 'derived_zone',
    params: { levels: [0.382, 0.5, 0.618], max_active: 5, width_pct: 0.003 },
    deps: (d) => ({ swing: d.swing }),
  },
  { name: 'order_block', type: 'order_block', params: { atr_key: 'atr_14' }, deps: (d) => ({ swing: d.swing }) },
  { name: 'liquidity_zones', type: 'liquidity_zones', params: { atr_key: 'atr_14' }, deps: (d) => ({ swing: d.swing }) },
  { name: 'premium_discount', type: 'premium_discount', params: {}, deps: (d) => ({ swing: d.swing }) },
  {
    name: 'breaker_block',
    type: 'breaker_block',
    params: {},
    deps: (d) => ({ order_block: d.order_block, market_structure: d.market_structure }),
  },
];

export const suite: BenchSuite = {
  name: 'structures',
  async run(): Promise<Figure[]> {
    const input = syntheticInput(BARS, 20240601);
    const features = { atr_14: atr(input.high, input.low, input.close, 14) };
    let sink = 0; // keeps results observable so nothing is optimised away
    const baselineMs = await timeMedian(() => {
      sink += plainEma(input.close, 20)[BARS - 1];
    }, 9, 3);
    const baseline = 'plain EMA(20) loop, 1M closes';
    const compute = (type: string, params: Record<string, unknown>, deps: Record<string, StructureOutput>, src = input) =>
      STRUCTURE_IMPLS[type].compute({ input: src, params, deps, features: src === input ? features : { atr_14: atr(src.high, src.low, src.close, 14) } });

    const deps: Record<string, StructureOutput> = {};
    deps.swing = compute('swing', { left: 5, right: 5 }, {});
    deps.order_block = compute('order_block', { atr_key: 'atr_14' }, { swing: deps.swing });
    deps.market_structure = compute('market_structure', {}, { swing: deps.swing });

    const figures: Figure[] = [];
    for (const c of CASES) {
      const d = c.deps ? c.deps(deps) : {};
      const ms = await timeMedian(() => {
        const out = compute(c.type, c.params, d);
        sink += Object.values(out)[0][BARS - 1] || 0;
      }, 3, 1);
      figures.push({ name: `${c.name}, 1M bars`, value: ms, unit: 'ms', baseline, baselineValue: baselineMs, ratio: ms / baselineMs, note: 'lower is better' });
    }

    // hmm_regime (defaults: 3 states, train_bars 500, refit_every 100) on a shorter series, per bar.
    const small = syntheticInput(HMM_BARS, 7);
    const smallFeatures = { atr_14: atr(small.high, small.low, small.close, 14) };
    const hmmMs = await timeMedian(() => {
      const out = STRUCTURE_IMPLS.hmm_regime.compute({ input: small, params: {}, deps: {}, features: smallFeatures });
      sink += out.state[HMM_BARS - 1] || 0;
    }, 1, 0);
    const scaledBaseline = (baselineMs * HMM_BARS) / BARS;
    figures.push({
      name: `hmm_regime (defaults), ${HMM_BARS / 1000}k bars`,
      value: hmmMs,
      unit: 'ms',
      baseline: `plain EMA(20) loop scaled to ${HMM_BARS / 1000}k closes`,
      baselineValue: scaledBaseline,
      ratio: hmmMs / scaledBaseline,
      note: `lower is better; ${((hmmMs * 1000) / HMM_BARS).toFixed(1)} us/bar, one Baum-Welch refit every 100 bars`,
    });
    if (Number.isNaN(sink)) console.log('');
    return figures;
  },
};

// Play compiler speed over 1,000,000 synthetic 1h bars, for the seed example at its default genome
// (ema_fast 8, ema_slow 50, standalone trend with ema_length 20): computing every feature and structure,
// evaluating the conditions (vectorised, and scalar per bar as paper/live does), and a recompile on a warm
// cache (what a population gets). Every figure is a ratio to a plain EMA(20) loop over the same closes,
// measured in the same run.
import { readFileSync } from 'node:fs';
import { createRng } from '../../src/common/rng.ts';
import { candlesFromArrays, type Candles } from '../../src/data/index.ts';
import { defaultGenome, loadPlay, resolvePlay } from '../../src/dsl/index.ts';
import { compilePlay, FeatureCache, withExecInterval, type CompiledPlay } from '../../src/engine/index.ts';
import { timeMedian, type BenchSuite, type Figure } from '../harness.ts';

const BARS = 1_000_000;
const SEED_PLAY = new URL('../../examples/plays/regime_markov_candidate_001.yml', import.meta.url);

/** Random-walk hourly candles: ~0.6% log-returns, wicks beyond the body, lognormal volume. */
function syntheticCandles(n: number, seed: number): Candles {
  const rng = createRng(seed);
  const cols = { ts: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  let price = 40_000;
  const t0 = Date.UTC(2020, 0, 1);
  for (let i = 0; i < n; i++) {
    const o = price;
    const c = o * Math.exp(0.006 * rng.normal());
    cols.ts[i] = t0 + i * 3_600_000;
    cols.open[i] = o;
    cols.close[i] = c;
    cols.high[i] = Math.max(o, c) * (1 + 0.003 * Math.abs(rng.normal()));
    cols.low[i] = Math.min(o, c) * (1 - 0.003 * Math.abs(rng.normal()));
    cols.volume[i] = 1_000 * Math.exp(0.8 * rng.normal());
    price = c;
  }
  return candlesFromArrays(cols);
}

/** The baseline: the simplest correct EMA loop (SMA seed, then one multiply-add per bar). */
function plainEma(src: Float64Array, length: number, out: Float64Array): Float64Array {
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

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export const suite: BenchSuite = {
  name: 'compile',
  async run(): Promise<Figure[]> {
    const exec = synthesize();
    const { play: raw, errors } = loadPlay(readFileSync(SEED_PLAY, 'utf8'), 'regime_markov_candidate_001.yml');
    if (!raw) throw new Error(errors.map((e) => e.format()).join('\n'));
    const play = withExecInterval(resolvePlay(raw, defaultGenome(raw)), '1h');
    const data = { exec, execInterval: '1h' as const };
    const scratch = new Float64Array(BARS);
    let sink = 0;
    const emaMs = await timeMedian(() => {
      sink += plainEma(exec.close, 20, scratch)[BARS - 1];
    }, 7, 2);

    // Cold compiles (fresh cache each time): features + structures, and conditions, from the compiler's timings.
    const featureMs: number[] = [];
    const indicatorMs: number[] = [];
    const structureMs: number[] = [];
    const conditionMs: number[] = [];
    const totalMs: number[] = [];
    let compiled: CompiledPlay | undefined;
    for (let k = 0; k < 6; k++) {
      const t0 = performance.now();
      compiled = compilePlay(play, data, { cache: new FeatureCache() });
      const t = performance.now() - t0;
      if (k === 0) continue; // warm-up
      totalMs.push(t);
      featureMs.push(compiled.timings.indicatorsMs + compiled.timings.structuresMs);
      indicatorMs.push(compiled.timings.indicatorsMs);
      structureMs.push(compiled.timings.structuresMs);
      conditionMs.push(compiled.timings.conditionsMs);
      sink += compiled.signals.entry_long[BARS - 1];
    }
    // Warm cache: a population member whose features are all computed already.
    const cache = new FeatureCache();
    compilePlay(play, data, { cache });
    const warmMs = await timeMedian(() => {
      sink += compilePlay(play, data, { cache }).signals.entry_long[BARS - 1];
    }, 5, 1);
    // Scalar path (paper/live): actionsAt over every bar.
    const c = compiled!;
    const scalarMs = await timeMedian(() => {
      for (let i = 0; i < BARS; i++) sink += c.actionsAt(i).length;
    }, 3, 1);
    if (sink === 42) console.log('');

    const emaNsPerBar = (emaMs * 1e6) / BARS;
    const perBar = (ms: number) => (ms * 1e6) / BARS;
    const fig = (name: string, value: number, unit: string, base: number, baseName: string, note?: string): Figure => ({
      name, value, unit, baseline: baseName, baselineValue: base, ratio: value / base, ...(note ? { note } : {}),
    });
    const emaName = 'plain EMA(20) loop, 1M bars';
    return [
      fig('seed: all features + structures, 1M bars', median(featureMs), 'ms', emaMs, emaName, 'ema 8, ema 50, trend(ema 20); lower is better'),
      fig('  of which indicators (ema 8, ema 50)', median(indicatorMs), 'ms', emaMs, emaName, 'INDICATOR_IMPLS'),
      fig('  of which structures (trend, standalone ema 20)', median(structureMs), 'ms', emaMs, emaName, 'STRUCTURE_IMPLS'),
      fig('seed: condition evaluation (vectorised)', perBar(median(conditionMs)), 'ns/bar', emaNsPerBar, 'plain EMA(20) per bar', '3 conditions + signals, all bars'),
      fig('seed: condition evaluation (scalar actionsAt)', perBar(scalarMs), 'ns/bar', emaNsPerBar, 'plain EMA(20) per bar', 'paper/live path, one bar at a time'),
      fig('seed: whole compile, cold cache', median(totalMs), 'ms', emaMs, emaName),
      fig('seed: whole compile, warm cache (population)', warmMs, 'ms', emaMs, emaName, 'features and structures from the cache'),
    ];
  },
};

function synthesize(): Candles {
  return syntheticCandles(BARS, 20240101);
}

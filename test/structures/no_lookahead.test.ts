// No look-ahead, on real data, for every structure (and each mode): the value at bar t may only depend on
// bars <= t. Two checks per chain of structures:
// - prefix: computing on the first n bars gives exactly the first n values of the full run;
// - perturbed future: scrambling every bar after n leaves the first n values unchanged.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.ts';
import { atr } from '../../src/indicators/index.ts';
import type { SeriesInput, StructureOutput } from '../../src/structures/index.ts';
import { STRUCTURE_IMPLS } from '../../src/structures/index.ts';
import { prefix, realInput } from './helpers.ts';

interface Step {
  key: string;
  type: string;
  params?: Record<string, unknown>;
  /** dependency type -> key of an earlier step */
  uses?: Record<string, string>;
}

const SW: Step = { key: 'sw', type: 'swing', params: { left: 5, right: 5 } };
const MS: Step = { key: 'ms', type: 'market_structure', uses: { swing: 'sw' } };
const OB: Step = { key: 'ob', type: 'order_block', params: { atr_key: 'atr_14', body_atr_min: 1.0 }, uses: { swing: 'sw' } };

const CHAINS: Record<string, Step[]> = {
  swing: [SW],
  'swing with significance filters and strict alternation': [
    { key: 'sw', type: 'swing', params: { left: 3, right: 3, atr_key: 'atr_14', min_atr_move: 0.5, min_pct_move: 0.2, strict_alternation: true } },
  ],
  'swing atr_zigzag': [{ key: 'sw', type: 'swing', params: { mode: 'atr_zigzag', atr_key: 'atr_14', atr_multiplier: 2 } }],
  'swing atr_zigzag, private ATR': [{ key: 'sw', type: 'swing', params: { mode: 'atr_zigzag', atr_multiplier: 3 } }],
  rolling_window: [{ key: 'rw', type: 'rolling_window', params: { size: 20, source: 'low', mode: 'min' } }],
  displacement: [{ key: 'd', type: 'displacement', params: { atr_key: 'atr_14', body_atr_min: 1.0 } }],
  fair_value_gap: [{ key: 'f', type: 'fair_value_gap', params: { atr_key: 'atr_14', min_gap_atr: 0.1, max_active: 4 } }],
  trend: [SW, { key: 'tr', type: 'trend', uses: { swing: 'sw' } }],
  'trend standalone': [{ key: 'tr', type: 'trend', params: { ema_length: 20, transition_bars: 5 } }],
  market_structure: [SW, MS],
  'market_structure on closes': [SW, { key: 'ms', type: 'market_structure', params: { confirmation_close: true }, uses: { swing: 'sw' } }],
  fibonacci: [SW, { key: 'fib', type: 'fibonacci', params: { levels: [0.382, 0.5, 0.618], mode: 'retracement' }, uses: { swing: 'sw' } }],
  'fibonacci extension, unpaired': [
    SW,
    { key: 'fib', type: 'fibonacci', params: { levels: [1, 1.618], mode: 'extension_up', use_paired_anchor: false }, uses: { swing: 'sw' } },
  ],
  'fibonacci trend anchor': [
    SW,
    { key: 'tr', type: 'trend', uses: { swing: 'sw' } },
    {
      key: 'fib',
      type: 'fibonacci',
      params: { levels: [0.618, 0.786], use_trend_anchor: true, use_paired_anchor: false },
      uses: { swing: 'sw', trend: 'tr' },
    },
  ],
  'zone demand': [SW, { key: 'z', type: 'zone', params: { zone_type: 'demand', width_atr: 1, atr_key: 'atr_14' }, uses: { swing: 'sw' } }],
  'zone supply, private ATR': [SW, { key: 'z', type: 'zone', params: { zone_type: 'supply', width_atr: 0.5 }, uses: { swing: 'sw' } }],
  derived_zone: [
    SW,
    { key: 'dz', type: 'derived_zone', params: { levels: [0.382, 0.5, 0.618], max_active: 5, width_pct: 0.003 }, uses: { swing: 'sw' } },
  ],
  'derived_zone unpaired extension': [
    SW,
    {
      key: 'dz',
      type: 'derived_zone',
      params: { levels: [0.272, 0.618], mode: 'extension', max_active: 3, width_pct: 0.005, use_paired_source: false },
      uses: { swing: 'sw' },
    },
  ],
  order_block: [SW, OB],
  breaker_block: [SW, OB, MS, { key: 'brk', type: 'breaker_block', uses: { order_block: 'ob', market_structure: 'ms' } }],
  liquidity_zones: [
    SW,
    { key: 'lq', type: 'liquidity_zones', params: { atr_key: 'atr_14', tolerance_atr: 0.5, sweep_atr: 0.1, min_touches: 2 }, uses: { swing: 'sw' } },
  ],
  premium_discount: [SW, { key: 'pd', type: 'premium_discount', uses: { swing: 'sw' } }],
  hmm_regime: [{ key: 'h', type: 'hmm_regime', params: { n_states: 3, train_bars: 500, refit_every: 250 } }],
  'hmm_regime 2 states': [{ key: 'h', type: 'hmm_regime', params: { n_states: 2, train_bars: 400, refit_every: 400 } }],
  'hmm_regime 4 states': [{ key: 'h', type: 'hmm_regime', params: { n_states: 4, train_bars: 600, refit_every: 600 } }],
};

function runChain(steps: Step[], input: SeriesInput): Record<string, StructureOutput> {
  const features = { atr_14: atr(input.high, input.low, input.close, 14) };
  const outs: Record<string, StructureOutput> = {};
  for (const s of steps) {
    const deps = Object.fromEntries(Object.entries(s.uses ?? {}).map(([type, key]) => [type, outs[key]]));
    outs[s.key] = STRUCTURE_IMPLS[s.type].compute({ input, params: s.params ?? {}, deps, features });
  }
  return outs;
}

/** A copy of the input whose bars from `from` on are replaced by a different (still valid) random walk. */
function scrambleFuture(input: SeriesInput, from: number, seed: number): SeriesInput {
  const rng = createRng(seed);
  const copy = (a: Float64Array) => Float64Array.from(a);
  const out = { ...input, ts: copy(input.ts), open: copy(input.open), high: copy(input.high), low: copy(input.low), close: copy(input.close), volume: copy(input.volume) };
  let price = input.close[from - 1];
  for (let i = from; i < input.length; i++) {
    const open = price;
    price *= Math.exp(0.02 * rng.normal());
    out.open[i] = open;
    out.close[i] = price;
    out.high[i] = Math.max(open, price) * (1 + 0.01 * rng.next());
    out.low[i] = Math.min(open, price) * (1 - 0.01 * rng.next());
    out.volume[i] = 1000 * rng.next();
  }
  return { ...out, source: out.close };
}

/**
 * Live trading appends closed bars to preallocated buffers and steps every detector at the new index.
 * Here the buffers start full of NaN and bar i is written just before step(i): a detector that peeked at
 * i + 1 would see NaN and diverge from its batch run.
 */
function expectStreamingMatches(steps: Step[], src: SeriesInput, srcAtr: Float64Array, name: string): void {
  const n = src.length;
  const nan = () => new Float64Array(n).fill(NaN);
  const live: SeriesInput = { ts: nan(), open: nan(), high: nan(), low: nan(), close: nan(), volume: nan(), source: nan(), length: n };
  live.source = live.close;
  const features = { atr_14: nan() };
  const outs: Record<string, StructureOutput> = {};
  const steppers = steps.map((s) => {
    const impl = STRUCTURE_IMPLS[s.type];
    const deps = Object.fromEntries(Object.entries(s.uses ?? {}).map(([type, key]) => [type, outs[key]]));
    const out = impl.allocate(s.params ?? {}, n);
    outs[s.key] = out;
    return impl.createStepper({ input: live, params: s.params ?? {}, deps, features }, out);
  });
  for (let i = 0; i < n; i++) {
    for (const k of ['ts', 'open', 'high', 'low', 'close', 'volume'] as const) live[k][i] = src[k][i];
    features.atr_14[i] = srcAtr[i];
    for (const st of steppers) st.step(i);
  }
  const batch = runChain(steps, src);
  for (const s of steps) expectSameUpTo(batch[s.key], outs[s.key], n, `${name}: ${s.type} streamed`);
}

const INPUT = realInput();
const CUTS = [150, 777, 1500, 2222, 2999];

function expectSameUpTo(a: StructureOutput, b: StructureOutput, n: number, where: string): void {
  expect(Object.keys(b).sort(), where).toEqual(Object.keys(a).sort());
  for (const field of Object.keys(a)) {
    const x = Array.from(a[field].subarray(0, n));
    const y = Array.from(b[field].subarray(0, n));
    expect(y, `${where}: field ${field}`).toEqual(x);
  }
}

describe('no look-ahead on real data (3,000 BTCUSDT 1h bars)', () => {
  for (const [name, steps] of Object.entries(CHAINS)) {
    it(name, () => {
      const full = runChain(steps, INPUT);
      const last = full[steps[steps.length - 1].key];
      // Not vacuous: some output actually moves on this data.
      const moving = Object.values(last).some((c) => new Set(Array.from(c).filter((v) => !Number.isNaN(v))).size >= 2);
      expect(moving).toBe(true);
      for (const n of CUTS) {
        const part = runChain(steps, prefix(INPUT, n));
        const scrambled = runChain(steps, scrambleFuture(INPUT, n, n));
        for (const s of steps) {
          expectSameUpTo(full[s.key], part[s.key], n, `${s.type} prefix ${n}`);
          expectSameUpTo(full[s.key], scrambled[s.key], n, `${s.type} scrambled after ${n}`);
        }
      }
    });
  }

  it('steppers fed one bar at a time, with future slots still NaN, reproduce compute (the live path)', () => {
    const n = 1200;
    const src = prefix(INPUT, n);
    const srcAtr = atr(src.high, src.low, src.close, 14);
    for (const [name, steps] of Object.entries(CHAINS)) {
      if (name.startsWith('hmm_regime')) continue; // covered below with a shorter training window
      expectStreamingMatches(steps, src, srcAtr, name);
    }
    const hmm: Step[] = [{ key: 'h', type: 'hmm_regime', params: { n_states: 3, train_bars: 300, refit_every: 200 } }];
    expectStreamingMatches(hmm, src, srcAtr, 'hmm_regime');
  });

  it('covers every registered structure', () => {
    const covered = new Set(Object.values(CHAINS).flatMap((steps) => steps.map((s) => s.type)));
    expect([...covered].sort()).toEqual(Object.keys(STRUCTURE_IMPLS).sort());
  });
});

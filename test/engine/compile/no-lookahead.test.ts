// No look-ahead for COMPILED plays: compiling on a prefix of the data gives, up to the cut, the same columns
// (features, structure fields, forward-filled slower timeframes, funding), conditions (windows included),
// signals and exit percents as compiling on all of it; so does scrambling every bar after the cut. The
// scalar path on the prefix agrees too. For every example play, and for a play declaring every indicator
// and every structure type (some on a 4h timeframe).
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/common/index.ts';
import { sliceCandles, type Candles } from '../../../src/data/index.ts';
import { INDICATOR_NAMES, STRUCTURE_TYPES } from '../../../src/dsl/index.ts';
import { compilePlay, execIntervalOf, FeatureCache, type CompiledPlay, type PlayData } from '../../../src/engine/index.ts';
import { btcData, examplePlay, examplePlayFiles, play1h, sameValues } from './helpers.ts';

function prefixData(d: PlayData, cut: number): PlayData {
  return { exec: sliceCandles(d.exec, 0, cut), execInterval: d.execInterval, funding: d.funding?.slice(0, cut) };
}

/** The same bars up to `cut`, then a random walk with random volume and funding: nothing after the cut is real. */
function scrambledData(d: PlayData, cut: number, seed: number): PlayData {
  const rng = createRng(seed);
  const exec: Candles = sliceCandles(d.exec, 0);
  let price = exec.close[cut - 1];
  for (let i = cut; i < exec.length; i++) {
    const o = price;
    const c = o * Math.exp(0.02 * rng.normal());
    exec.open[i] = o;
    exec.close[i] = c;
    exec.high[i] = Math.max(o, c) * (1 + 0.01 * rng.next());
    exec.low[i] = Math.min(o, c) * (1 - 0.01 * rng.next());
    exec.volume[i] = 10_000 * rng.next();
    price = c;
  }
  const funding = d.funding?.slice();
  if (funding) for (let i = cut; i < funding.length; i++) funding[i] = Number.isNaN(funding[i]) ? NaN : 0.001 * rng.normal();
  return { exec, execInterval: d.execInterval, funding };
}

function expectSameUpTo(full: CompiledPlay, part: CompiledPlay, cut: number): void {
  expect(part.columnNames()).toEqual(full.columnNames());
  for (const name of [...full.columnNames(), 'close', 'funding_rate']) {
    expect(sameValues(part.column(name), full.column(name), cut), `column ${name}`).toBe(-1);
    expect(sameValues(part.column(name, 1), full.column(name, 1), cut), `column ${name} offset 1`).toBe(-1);
  }
  const pc = part.conditionColumns(), fc = full.conditionColumns();
  for (const name of Object.keys(fc)) expect(sameValues(pc[name], fc[name], cut), `condition ${name}`).toBe(-1);
  for (const [name, col] of Object.entries(full.signals)) expect(sameValues(part.signals[name as keyof typeof full.signals], col, cut), `signal ${name}`).toBe(-1);
  for (const [name, col] of Object.entries(full.exitPercent)) expect(sameValues(part.exitPercent[name as keyof typeof full.exitPercent], col, cut), `percent ${name}`).toBe(-1);
}

/** The scalar path on the shorter data decides like the vectorised path on the full data. */
function expectScalarMatches(full: CompiledPlay, part: CompiledPlay, cut: number): void {
  for (let i = 0; i < cut; i++) {
    const want = Object.entries(full.signals).filter(([, col]) => col[i] === 1).map(([a]) => a);
    expect(part.actionsAt(i).map((x) => x.action), `bar ${i}`).toEqual(want);
  }
}

function checkPlay(body: ReturnType<typeof examplePlay>, data: PlayData, cuts: [number, number]): void {
  const full = compilePlay(body, data, { cache: new FeatureCache() });
  const [a, b] = cuts;
  const prefix = compilePlay(body, prefixData(data, a), { cache: new FeatureCache() });
  expectSameUpTo(full, prefix, a);
  expectScalarMatches(full, prefix, a);
  if (full.warmupBars < a) expect(prefix.warmupBars).toBe(full.warmupBars);
  const scrambled = compilePlay(body, scrambledData(data, b, b), { cache: new FeatureCache() });
  expectSameUpTo(full, scrambled, b);
  // the scramble did change the future (the check above is not vacuous)
  expect(sameValues(scrambled.column('close'), full.column('close'))).toBe(b);
}

describe('no look-ahead in compiled example plays', () => {
  for (const file of examplePlayFiles()) {
    it(file, () => {
      const p = examplePlay(file);
      const iv = execIntervalOf(p);
      // 1h: the 3,000-bar fixture; 15m: 4,000 bars. Cuts fall inside 4h/1h buckets on purpose.
      const data = btcData(iv, iv === '15m' ? 4000 : undefined);
      const n = data.exec.length;
      checkPlay(p, data, [Math.floor(n * 0.55) + 1, Math.floor(n * 0.8) + 2]);
    });
  }
});

/** Every indicator at its defaults (and three on 4h), every structure type, structures also on 4h. */
function everythingPlay(): string {
  const features = INDICATOR_NAMES.map((name) => `  i_${name}: { indicator: ${name} }`);
  features.push('  atr_14: { indicator: atr, params: { length: 14 } }');
  for (const name of ['ema', 'macd', 'supertrend']) features.push(`  h_${name}: { indicator: ${name}, tf: high_tf }`);
  const exec = [
    '{ type: swing, key: swing, params: { left: 3, right: 3, atr_key: atr_14 } }',
    '{ type: rolling_window, key: rw, params: { size: 20, source: low, mode: min } }',
    '{ type: displacement, key: disp, params: { atr_key: atr_14, body_atr_min: 1.0 } }',
    '{ type: fair_value_gap, key: fvg, params: { atr_key: atr_14 } }',
    '{ type: trend, key: trend, uses: swing }',
    '{ type: market_structure, key: ms, uses: swing }',
    '{ type: fibonacci, key: fib, uses: [swing, trend], params: { levels: [0.5, 0.618], use_paired_anchor: false, use_trend_anchor: true } }',
    '{ type: zone, key: zone, uses: swing, params: { zone_type: demand, width_atr: 1.0, atr_key: atr_14 } }',
    '{ type: derived_zone, key: dz, uses: swing, params: { levels: [0.382, 0.618], max_active: 3, width_pct: 0.003 } }',
    '{ type: order_block, key: ob, uses: [swing, disp], params: { atr_key: atr_14, body_atr_min: 1.0 } }',
    '{ type: liquidity_zones, key: liq, uses: swing, params: { atr_key: atr_14 } }',
    '{ type: premium_discount, key: pd, uses: swing }',
    '{ type: breaker_block, key: brk, uses: ob, params: { ms_key: ms } }',
    '{ type: hmm_regime, key: hmm, params: { n_states: 2, train_bars: 300, refit_every: 200 } }',
    '{ type: trend, key: trend_ema, params: { ema_length: 30 } }',
  ];
  const high = [
    '{ type: swing, key: swing_4h, params: { left: 2, right: 2 } }',
    '{ type: market_structure, key: ms_4h, uses: swing_4h }',
    '{ type: trend, key: trend_4h, params: { ema_length: 10 } }',
  ];
  return [
    'features:',
    ...features,
    'structures:',
    '  exec:',
    ...exec.map((s) => `    - ${s}`),
    '  high_tf:',
    ...high.map((s) => `    - ${s}`),
    'actions:',
    '  entry_long:',
    '    - [trend_4h.state, "==", trending_up]',
    '    - { occurred_within: { bars: 6, expr: [[ms.bos_this_bar, "==", 1]] } }',
    '    - [close, ">", h_ema]',
    '  exit_long:',
    '    - [hmm.state, "==", bear]',
  ].join('\n');
}

describe('no look-ahead with every indicator and structure type compiled', () => {
  it('covers all of them', () => {
    const text = everythingPlay();
    for (const name of INDICATOR_NAMES) expect(text).toContain(`indicator: ${name} `);
    for (const type of STRUCTURE_TYPES) expect(text).toContain(`type: ${type},`);
  });

  it('prefix and scrambled future on real 1h candles', () => {
    const data = btcData('1h', 2000);
    checkPlay(play1h(everythingPlay()), data, [1203, 1601]);
  });
});

// The feature cache: columns shared between plays with a common feature or structure (whatever the plays
// call them), canonical keys, identity of the data, LRU eviction under a byte cap, and a whole population.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sliceCandles } from '../../../src/data/index.ts';
import { enumerateGenomes, loadPlay, resolvePlay } from '../../../src/dsl/index.ts';
import { canonicalKey, compilePlay, FeatureCache, withExecInterval } from '../../../src/engine/index.ts';
import { btcData, EXAMPLE_PLAYS_DIR, play1h } from './helpers.ts';

const PLAY_A = `
features:
  ema_a: { indicator: ema, params: { length: 20 } }
  atr_a: { indicator: atr, params: { length: 14 } }
structures:
  exec:
    - { type: swing, key: sw, params: { left: 3, right: 3 } }
    - { type: fair_value_gap, key: gaps, params: { atr_key: atr_a, min_gap_atr: 0.5 } }
actions:
  entry_long: [[close, ">", ema_a]]
`;

const PLAY_B = `
features:
  trend_ema: { indicator: ema, params: { length: 20 } }
  slow: { indicator: ema, params: { length: 50 } }
  my_atr: { indicator: atr, params: { length: 14 } }
structures:
  exec:
    - { type: swing, key: pivots, params: { left: 3, right: 3 } }
    - { type: fair_value_gap, key: fvg, params: { atr_key: my_atr, min_gap_atr: 0.5 } }
    - { type: fair_value_gap, key: fvg_wide, params: { atr_key: my_atr, min_gap_atr: 1.0 } }
actions:
  entry_long: [[trend_ema, ">", slow]]
`;

describe('FeatureCache shared by two plays', () => {
  const data = btcData('1h', 1500);

  it('a common feature and structure are computed once, under any key the plays give them', () => {
    const cache = new FeatureCache();
    const a = compilePlay(play1h(PLAY_A), data, { cache });
    const afterA = cache.stats();
    // misses: ema 20, atr 14, swing, fvg; hit: atr 14 again as fvg's atr_key
    expect(afterA).toMatchObject({ hits: 1, misses: 4 });
    const b = compilePlay(play1h(PLAY_B), data, { cache });
    const afterB = cache.stats();
    // hits: ema 20, atr 14 (as a feature, and again as fvg's and fvg_wide's atr_key), swing, fvg; misses: ema 50, fvg_wide
    expect(afterB.misses - afterA.misses).toBe(2);
    expect(afterB.hits - afterA.hits).toBe(6);
    expect(b.column('trend_ema')).toBe(a.column('ema_a'));
    expect(b.column('pivots.high_level')).toBe(a.column('sw.high_level'));
    expect(b.column('fvg.nearest_bull_upper')).toBe(a.column('gaps.nearest_bull_upper'));
    expect(b.column('fvg_wide.nearest_bull_upper')).not.toBe(b.column('fvg.nearest_bull_upper'));
    // the shared columns give the same answers as computing alone
    const alone = compilePlay(play1h(PLAY_B), data);
    expect(Array.from(alone.signals.entry_long)).toEqual(Array.from(b.signals.entry_long));
    expect(Array.from(alone.column('fvg.nearest_bull_upper'))).toEqual(Array.from(b.column('fvg.nearest_bull_upper')));
  });

  it('other data (another object, or the same arrays at another length) never hits', () => {
    const cache = new FeatureCache();
    compilePlay(play1h(PLAY_A), data, { cache });
    const other = { ...data, exec: sliceCandles(data.exec, 0) };
    compilePlay(play1h(PLAY_A), other, { cache });
    expect(cache.stats()).toMatchObject({ hits: 2, misses: 8 }); // the only hits: each play's atr as its fvg's atr_key
    expect(cache.idOf(data.exec)).not.toBe(cache.idOf(other.exec));
    expect(cache.idOf({ length: 3 })).not.toBe(cache.idOf({ length: 3 }));
    const grows = { length: 3 };
    const id3 = cache.idOf(grows);
    grows.length = 4;
    expect(cache.idOf(grows)).not.toBe(id3);
  });

  it('a population of the seed play shares its columns: 18 variants, 8 distinct computations', () => {
    const seed = seedRaw();
    const cache = new FeatureCache();
    const genomes = [...enumerateGenomes(seed)];
    expect(genomes).toHaveLength(18);
    // Each resolved variant is moved onto the 1h bars (the seed leaves its timeframes at the 15m default).
    for (const g of genomes) compilePlay(withExecInterval(resolvePlay(seed, g), '1h'), data, { cache });
    // ema lengths 8, 12, 20, 50, 100, 200 and trend ema_length 20, 50
    expect(cache.stats()).toMatchObject({ misses: 8, hits: 18 * 3 - 8 });
  });
});

/** The seed play as written (ranges kept): its genome is what a population varies. */
function seedRaw() {
  const { play } = loadPlay(readFileSync(path.join(EXAMPLE_PLAYS_DIR, 'regime_markov_candidate_001.yml'), 'utf8'));
  return play!;
}

describe('canonical keys and the LRU', () => {
  it('keys ignore the order of object keys, not the values', () => {
    expect(canonicalKey({ a: 1, b: { c: 2, d: [3, 4] } })).toBe(canonicalKey({ b: { d: [3, 4], c: 2 }, a: 1 }));
    expect(canonicalKey({ a: 1, b: [3, 4] })).not.toBe(canonicalKey({ a: 1, b: [4, 3] }));
  });

  it('evicts the least recently used entries beyond the byte cap', () => {
    const cache = new FeatureCache({ maxBytes: 3 * 800 });
    const entry = () => ({ value: new Float64Array(100) }); // 800 bytes
    cache.set('a', entry());
    cache.set('b', entry());
    cache.set('c', entry());
    expect(cache.get('a')).toBeDefined(); // a is now the most recently used
    cache.set('d', entry());
    expect(cache.has('b')).toBe(false);
    expect(['a', 'c', 'd'].every((k) => cache.has(k))).toBe(true);
    expect(cache.stats()).toMatchObject({ entries: 3, bytes: 2400, evictions: 1 });
    cache.set('huge', { value: new Float64Array(1000) }); // larger than the cap: not kept, nothing evicted
    expect(cache.has('huge')).toBe(false);
    expect(cache.stats().entries).toBe(3);
  });

  it('keeps a comparison column from its second request on, as one shared read-only column', () => {
    const cache = new FeatureCache();
    let calls = 0;
    const make = () => {
      calls++;
      return Uint8Array.of(1, 0, 1);
    };
    expect(cache.condition('gt(c1,c2)', make)).toBeUndefined(); // first request: the caller computes its own
    const kept = cache.condition('gt(c1,c2)', make);
    expect(Array.from(kept!)).toEqual([1, 0, 1]);
    expect(cache.condition('gt(c1,c2)', make)).toBe(kept);
    expect(calls).toBe(1);
    expect(cache.stats()).toMatchObject({ hits: 0, misses: 0, entries: 1, bytes: 3 }); // features only count
    const col = new Float64Array(3);
    expect(cache.columnId(col)).toBe(cache.columnId(col));
    expect(cache.columnId(col)).not.toBe(cache.columnId(new Float64Array(3)));
    cache.clear();
    expect(cache.condition('gt(c1,c2)', make)).toBeUndefined();
  });

  it('getOrCompute counts hits and misses and computes once', () => {
    const cache = new FeatureCache();
    let calls = 0;
    const make = () => {
      calls++;
      return { value: new Float64Array(4) };
    };
    const x = cache.getOrCompute('k', make);
    const y = cache.getOrCompute('k', make);
    expect(x).toBe(y);
    expect(calls).toBe(1);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, maxBytes: 512 * 1024 * 1024 });
  });
});

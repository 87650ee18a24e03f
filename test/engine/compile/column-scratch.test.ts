// ColumnScratch lends byte columns for a scoring loop; scorePlay borrows them and must score exactly as
// backtestPlay does with a cache of its own, whatever bytes the reused columns held before and whatever
// comparison columns the shared cache hands back.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultGenome, loadPlayFile, resolvePlay } from '../../../src/dsl/index.ts';
import { backtestPlay, ColumnScratch, FeatureCache, scorePlay, syntheticMarketData } from '../../../src/engine/index.ts';

const TRADE_FIXTURES = path.join(import.meta.dirname, '../../fixtures/trade-plays');

describe('ColumnScratch', () => {
  it('hands released columns out again, zeroed when asked, and new ones for other lengths', () => {
    const s = new ColumnScratch();
    const a = s.take(8, true);
    a.fill(7);
    expect(s.counts()).toEqual({ lent: 1, free: 0 });
    s.release();
    expect(s.counts()).toEqual({ lent: 0, free: 1 });
    const dirty = s.take(8, false);
    expect(dirty).toBe(a);
    expect(Array.from(dirty)).toEqual(new Array(8).fill(7));
    s.release();
    const clean = s.take(8, true);
    expect(clean).toBe(a);
    expect(Array.from(clean)).toEqual(new Array(8).fill(0));
    const other = s.take(8, true);
    expect(other).not.toBe(a); // a is still lent
    expect(s.take(5, true).length).toBe(5);
    expect(s.counts()).toEqual({ lent: 3, free: 0 });
  });
});

describe('scorePlay', () => {
  it('scores every TRADE pattern play exactly as backtestPlay, sharing one scratch (reused dirty columns)', async () => {
    const files = (await readdir(TRADE_FIXTURES)).filter((f) => f.endsWith('.yml')).sort();
    const cases = [];
    for (const f of files) {
      const { play, errors } = await loadPlayFile(path.join(TRADE_FIXTURES, f));
      expect(errors, f).toEqual([]);
      const concrete = resolvePlay(play!, defaultGenome(play!));
      if (!(concrete.synthetic?.pattern ?? concrete.validation?.pattern)) continue;
      cases.push({ f, play: concrete, data: syntheticMarketData(concrete) });
    }
    expect(cases.length).toBeGreaterThanOrEqual(10);
    const scratch = new ColumnScratch();
    const cache = new FeatureCache();
    // Forwards, backwards, forwards: every play also runs on columns another play left written, and its
    // comparisons are computed as its own (first request), kept (second) and read back (third) through the
    // cache's shared conditions.
    for (const c of [...cases, ...cases.slice().reverse(), ...cases]) {
      const scored = scorePlay(c.play, c.data, { cache, scratch });
      const reference = backtestPlay(c.play, c.data, { cache: new FeatureCache() });
      expect(scored.metrics, c.f).toEqual(reference.metrics);
      expect(scratch.counts().lent, c.f).toBe(0);
    }
    expect(scratch.counts().free).toBeGreaterThan(0);
  });
});

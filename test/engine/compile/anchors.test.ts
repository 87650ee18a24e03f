// Anchored indicators anchor on the play's swing structure of their timeframe (TRADE anchors them on its
// swing detector); without one they detect their own 5/5 pivots.
import { describe, expect, it } from 'vitest';
import { compilePlay } from '../../../src/engine/index.ts';
import { INDICATOR_IMPLS, seriesInput } from '../../../src/indicators/index.ts';
import { btcData, play1h, sameValues } from './helpers.ts';

describe('anchored_vwap and anchored_volume_profile', () => {
  const data = btcData('1h', 1500);

  it("reset where the play's swing confirms a pivot (swing_any), completes a bullish pair (pair_high) or any pair (the profile)", () => {
    const body = `
features:
  avwap: { indicator: anchored_vwap, params: { anchor_source: swing_any } }
  avwap_hi: { indicator: anchored_vwap, params: { anchor_source: pair_high } }
  avp: { indicator: anchored_volume_profile, params: { lookback: 50 } }
structures:
  exec:
    - { type: swing, key: swing, params: { left: 3, right: 3 } }
actions:
  entry_long: [[close, ">", avwap]]
`;
    const c = compilePlay(play1h(body), data);
    const since = c.column('avwap.bars_since_anchor');
    const hi = c.column('swing.high_accepted'), lo = c.column('swing.low_accepted');
    const pairVersion = c.column('swing.pair_version'), pairDir = c.column('swing.pair_direction');
    const pivots = [...hi.keys()].filter((t) => hi[t] === 1 || lo[t] === 1);
    expect(pivots.length).toBeGreaterThan(100);
    for (let t = pivots[0]; t < c.n; t++) expect(since[t] === 1, `bar ${t}`).toBe(hi[t] === 1 || lo[t] === 1);
    // pair_high: a bullish pair (low then high) completes
    const sinceHi = c.column('avwap_hi.bars_since_anchor');
    const bullish = c.enumValues('swing.pair_direction')!.indexOf('bullish');
    const pairs = [...pairVersion.keys()].filter((t) => t > 0 && pairVersion[t] > pairVersion[t - 1] && pairDir[t] === bullish);
    expect(pairs.length).toBeGreaterThan(20);
    for (let t = pairs[0]; t < c.n; t++) expect(sinceHi[t] === 1, `bar ${t}`).toBe(pairs.includes(t));
    // the profile resets on every completed pair (TRADE's pair version change)
    const anyPair = Uint8Array.from(pairVersion, (v, t) => (t > 0 && v > pairVersion[t - 1] ? 1 : 0));
    const params = { num_buckets: 50, lookback: 50, value_area_pct: 0.7 };
    const want = INDICATOR_IMPLS.anchored_volume_profile.compute(seriesInput(data.exec, 'close'), params, { anchorResets: anyPair });
    const own = INDICATOR_IMPLS.anchored_volume_profile.compute(seriesInput(data.exec, 'close'), params);
    expect(sameValues(c.column('avp.poc'), want.poc)).toBe(-1);
    expect(sameValues(c.column('avp.poc'), own.poc)).not.toBe(-1);
  });

  it('without a swing structure they anchor on their own pivots', () => {
    const body = `
features:
  avwap: { indicator: anchored_vwap }
actions:
  entry_long: [[close, ">", avwap]]
`;
    const c = compilePlay(play1h(body), data);
    const own = INDICATOR_IMPLS.anchored_vwap.compute(seriesInput(data.exec, 'close'), { anchor_source: 'swing_any' });
    expect(sameValues(c.column('avwap'), own.value)).toBe(-1);
    expect(sameValues(c.column('avwap.bars_since_anchor'), own.bars_since_anchor)).toBe(-1);
  });
});

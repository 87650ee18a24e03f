// syntheticDataForPlay: bars sized from the slowest timeframe, the pattern dilated over the whole span,
// block and option precedence, warm-up defaults, the exec-bar cap, errors, and a backtest on the result.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isPlayforgeError, type PlayforgeError } from '../../../src/common/errors.ts';
import { parseDatasetId, resampleCandles } from '../../../src/data/index.ts';
import { defaultGenome, loadPlay, loadPlayFile, resolvePlay, type Feature, type Play, type Structure } from '../../../src/dsl/index.ts';
import { backtestPlay } from '../../../src/engine/index.ts';
import {
  DEFAULT_EXTRA_BARS, generatePattern, MAX_SYNTHETIC_EXEC_BARS, PATTERN_NAMES, syntheticDataForPlay, warmupByTimeframe,
  type SyntheticPlay,
} from '../../../src/engine/synthetic/index.ts';
import { INDICATOR_IMPLS } from '../../../src/indicators/index.ts';
import { STRUCTURE_IMPLS } from '../../../src/structures/index.ts';
import { argMin, share, windowChanges } from './measure.ts';

const TF_15M_1H_D: Play['timeframes'] = { low_tf: '15m', med_tf: '1h', high_tf: 'D', exec: 'low_tf' };

const feature = (key: string, indicator: string, params: Feature['params'], tf: Feature['tf']): Feature => ({ key, indicator, params, tf, source: 'close' });

function thrown(f: () => unknown): PlayforgeError {
  try {
    f();
  } catch (e) {
    if (isPlayforgeError(e)) return e;
    throw e;
  }
  throw new Error('expected a PlayforgeError');
}

function loaded(yaml: string, file = 'test.yml'): Play {
  const r = loadPlay(yaml, file);
  expect(r.errors).toEqual([]);
  return r.play!;
}

describe('syntheticDataForPlay: sizing from the slowest timeframe', () => {
  it('gives the slowest timeframe exactly `bars` complete bars, on the exec timeframe', () => {
    const play: SyntheticPlay = { timeframes: TF_15M_1H_D, synthetic: { pattern: 'reversal_v_bottom', bars: 120, seed: 3 } };
    const d = syntheticDataForPlay(play);
    expect(d.interval).toBe('15m');
    expect(d.slowestInterval).toBe('D');
    expect(d.bars).toBe(120);
    expect(d.execBars).toBe(120 * 96);
    expect(d.candles.length).toBe(120 * 96);
    expect(d.capped).toBe(false);
    expect(resampleCandles(d.candles, 'D', { from: '15m' }).length).toBe(120);
  });

  it('stretches the pattern over the whole span (bar dilation): the daily bars show it', () => {
    const v = syntheticDataForPlay({ timeframes: TF_15M_1H_D, validation: { pattern: 'reversal_v_bottom', bars: 120 } });
    const vd = resampleCandles(v.candles, 'D', { from: '15m' });
    const i = argMin(vd.low);
    expect(i).toBeGreaterThanOrEqual(40);
    expect(i).toBeLessThanOrEqual(80);
    expect(vd.close[119] / vd.low[i]).toBeGreaterThan(1.15);
    const t = syntheticDataForPlay({ timeframes: TF_15M_1H_D, validation: { pattern: 'trend_up_clean', bars: 120 } });
    const td = resampleCandles(t.candles, 'D', { from: '15m' });
    expect(td.close[119] / td.open[0]).toBeGreaterThan(1.15);
    expect(share(windowChanges(td, 12), (x) => x > 0)).toBeGreaterThanOrEqual(0.65);
  });

  it('steps on the role exec points to', () => {
    const d = syntheticDataForPlay({ timeframes: { low_tf: '15m', med_tf: '1h', high_tf: '4h', exec: 'med_tf' }, synthetic: { pattern: 'ranging', bars: 50 } });
    expect(d.interval).toBe('1h');
    expect(d.execBars).toBe(200);
  });

  it('counts feature and structure timeframes slower than the roles, and starts on their grid', () => {
    const structure: Structure = { key: 'sw', type: 'swing', role: 'high_tf', tf: '12h', params: { left: 5, right: 5 }, uses: [] };
    const d = syntheticDataForPlay({
      timeframes: { low_tf: '1h', med_tf: '2h', high_tf: '4h', exec: 'low_tf' },
      features: [feature('ema_w', 'ema', { length: 5 }, 'W')],
      structures: [structure],
      synthetic: { pattern: 'trending', bars: 30 },
    });
    expect(d.slowestInterval).toBe('W');
    expect(d.execBars).toBe(30 * 7 * 24);
    expect(new Date(d.candles.ts[0]).toISOString()).toBe('2025-01-06T00:00:00.000Z'); // the first Monday
    expect(resampleCandles(d.candles, 'W', { from: '1h' }).length).toBe(30);
  });

  it('defaults to the warm-up (ranged params at their largest) plus DEFAULT_EXTRA_BARS slowest bars', () => {
    const play = loaded(`name: warm
timeframes: { low_tf: "15m", med_tf: "1h", high_tf: "4h", exec: low_tf }
features:
  ema_fast: { indicator: ema, params: { length: 20 } }
  ema_slow: { indicator: ema, params: { length: [50, 120] }, tf: "4h" }
structures:
  med_tf:
    - type: swing
      key: sw
      params: { left: 10, right: [3, 10] }
actions:
  entry_long:
    all:
      - [ema_fast, ">", ema_slow]
validation:
  pattern: trend_up_clean
`);
    const emaWarm = INDICATOR_IMPLS.ema.warmup({ length: 120 });
    const swingWarm = STRUCTURE_IMPLS.swing.warmup({ ...play.structures[0].params, right: 10 });
    const byTf = warmupByTimeframe(play);
    expect(byTf.get('4h')).toBe(emaWarm);
    expect(byTf.get('1h')).toBe(swingWarm);
    expect(byTf.get('15m')).toBe(INDICATOR_IMPLS.ema.warmup({ length: 20 }));
    const d = syntheticDataForPlay(play);
    const expectedWarm = Math.max(emaWarm, Math.ceil(swingWarm / 4), Math.ceil(byTf.get('15m')! / 16));
    expect(d.warmupBars).toBe(expectedWarm);
    expect(d.bars).toBe(expectedWarm + DEFAULT_EXTRA_BARS);
    expect(d.execBars).toBe(d.bars * 16);
    expect(d.notes).toEqual([]);
  });

  it('caps exec bars at MAX_SYNTHETIC_EXEC_BARS and says what the slowest timeframe gets', () => {
    const d = syntheticDataForPlay({ timeframes: { low_tf: '1m', med_tf: '1h', high_tf: 'D', exec: 'low_tf' }, synthetic: { pattern: 'trend_up_clean', bars: 300 } });
    expect(d.capped).toBe(true);
    expect(d.execBars).toBe(MAX_SYNTHETIC_EXEC_BARS);
    expect(d.candles.length).toBe(MAX_SYNTHETIC_EXEC_BARS);
    expect(d.bars).toBe(Math.floor(MAX_SYNTHETIC_EXEC_BARS / 1440));
    expect(d.notes.join(' ')).toMatch(/capped at 300000 1m bars: the slowest timeframe D gets 208 bars, not the 300 asked for/);
    expect(d.candles.close[d.candles.length - 1] / d.candles.open[0]).toBeGreaterThan(1.15);
  });

  it('notes when the bars asked for do not cover the warm-up', () => {
    const d = syntheticDataForPlay(
      { timeframes: TF_15M_1H_D, features: [feature('ema_d', 'ema', { length: 100 }, 'D')], validation: { pattern: 'ranging' } },
      { bars: 20 },
    );
    expect(d.warmupBars).toBe(INDICATOR_IMPLS.ema.warmup({ length: 100 }));
    expect(d.notes.join(' ')).toMatch(/20 D bars do not cover the play's warm-up/);
  });
});

describe('syntheticDataForPlay: where pattern, bars and seed come from', () => {
  it('options override the play; the candles are generatePattern on the exec interval', () => {
    const play: SyntheticPlay = { timeframes: TF_15M_1H_D, validation: { pattern: 'trend_up_clean', bars: 80, seed: 2 } };
    const d = syntheticDataForPlay(play, { pattern: 'range_tight', bars: 10, seed: 9 });
    expect([d.pattern, d.seed, d.bars, d.execBars]).toEqual(['range_tight', 9, 10, 960]);
    const direct = generatePattern('range_tight', { bars: 960, seed: 9, interval: '15m', startTs: d.candles.ts[0] });
    expect(Array.from(d.candles.close)).toEqual(Array.from(direct.close));
    expect(Array.from(d.candles.volume)).toEqual(Array.from(direct.volume));
  });

  it('reads the synthetic block before the validation block, bars and seed from the same block', () => {
    const d = syntheticDataForPlay({
      timeframes: TF_15M_1H_D,
      synthetic: { pattern: 'breakout_clean', seed: 1 },
      validation: { pattern: 'range_wide', bars: 77, seed: 2 },
    });
    expect(d.pattern).toBe('breakout_clean');
    expect(d.seed).toBe(1);
    expect(d.bars).toBe(DEFAULT_EXTRA_BARS); // no features: warm-up 0
  });

  it('uses the validation block alone, with the default seed 42', () => {
    const d = syntheticDataForPlay({ timeframes: TF_15M_1H_D, validation: { pattern: 'accumulation', bars: 5 } });
    expect([d.pattern, d.seed, d.bars]).toEqual(['accumulation', 42, 5]);
  });

  it('is deterministic for a play and differs across seeds', () => {
    const play: SyntheticPlay = { timeframes: TF_15M_1H_D, validation: { pattern: 'choppy_whipsaw', bars: 20 } };
    const a = syntheticDataForPlay(play);
    const b = syntheticDataForPlay(play);
    const c = syntheticDataForPlay(play, { seed: 43 });
    expect(Array.from(a.candles.close)).toEqual(Array.from(b.candles.close));
    expect(Array.from(a.candles.close)).not.toEqual(Array.from(c.candles.close));
  });
});

describe('syntheticDataForPlay: errors', () => {
  it('SYNTHETIC_NO_PATTERN when the play has neither block and no pattern is given', () => {
    const play = loaded('name: bare\nactions:\n  entry_long:\n    all:\n      - [close, ">", open]\n', 'plays/bare.yml');
    const e = thrown(() => syntheticDataForPlay(play));
    expect(e.code).toBe('SYNTHETIC_NO_PATTERN');
    expect(e.location.file).toBe('plays/bare.yml');
    expect(e.message).toContain('bare');
    expect(e.message).toContain('validation');
    expect(syntheticDataForPlay(play, { pattern: 'ranging', bars: 3 }).pattern).toBe('ranging');
  });

  it('SYNTHETIC_NO_PATTERN for a validation block without a pattern', () => {
    expect(thrown(() => syntheticDataForPlay({ timeframes: TF_15M_1H_D, validation: { min_win_rate: 0.4 } })).code).toBe('SYNTHETIC_NO_PATTERN');
  });

  it('SYNTHETIC_UNKNOWN_PATTERN names the field path (and the file) and lists the valid names', () => {
    const fromOption = thrown(() => syntheticDataForPlay({ timeframes: TF_15M_1H_D }, { pattern: 'moon' }));
    expect(fromOption.code).toBe('SYNTHETIC_UNKNOWN_PATTERN');
    expect(fromOption.location.path).toBe('options.pattern');
    for (const name of PATTERN_NAMES) expect(fromOption.message).toContain(name);

    expect(thrown(() => syntheticDataForPlay({ timeframes: TF_15M_1H_D, synthetic: { pattern: 'moon' } })).location.path).toBe('synthetic.pattern');

    const play = loaded('name: p\nactions:\n  entry_long:\n    all:\n      - [close, ">", open]\nvalidation:\n  pattern: ranging\n', 'plays/p.yml');
    play.validation!.pattern = 'moon';
    const fromFile = thrown(() => syntheticDataForPlay(play));
    expect(fromFile.location).toMatchObject({ file: 'plays/p.yml', path: 'validation.pattern' });
  });

  it('SYNTHETIC_BAD_OPTION for bars or seeds that are not whole numbers', () => {
    const play: SyntheticPlay = { timeframes: TF_15M_1H_D, validation: { pattern: 'ranging', bars: 0 } };
    expect(thrown(() => syntheticDataForPlay(play)).location.path).toBe('validation.bars');
    expect(thrown(() => syntheticDataForPlay(play, { bars: 2.5 })).location.path).toBe('options.bars');
    expect(thrown(() => syntheticDataForPlay(play, { bars: 3, seed: 0.5 })).code).toBe('SYNTHETIC_BAD_OPTION');
  });
});

describe('syntheticDataForPlay feeds the engine', () => {
  it('an EMA-cross play backtests on trend_up_clean and trades', () => {
    const play = loaded(`name: ema_cross
timeframes: { low_tf: "1h", med_tf: "4h", high_tf: "D", exec: low_tf }
features:
  ema_fast: { indicator: ema, params: { length: 24 } }
  ema_slow: { indicator: ema, params: { length: 96 } }
actions:
  entry_long:
    all:
      - [ema_fast, cross_above, ema_slow]
  exit_long:
    all:
      - [ema_fast, cross_below, ema_slow]
position_policy: { mode: long_only, exit_mode: signal }
risk: { stop_loss_pct: 5, take_profit_pct: 50, max_position_pct: 100 }
validation:
  pattern: trend_up_clean
  bars: 120
`);
    const d = syntheticDataForPlay(play);
    const bt = backtestPlay(play, { exec: d.candles, execInterval: d.interval, dataset: parseDatasetId(`synthetic:BTCUSDT:${d.interval}`) });
    expect(bt.result.trades.length).toBeGreaterThan(0);
    // A trend follower scaled to the pattern (days, not hours: the trend spans 120 days) ends in profit.
    // Much faster EMAs whipsaw in the hourly noise, as they would on a real market.
    expect(bt.result.equity[bt.result.equity.length - 1]).toBeGreaterThan(bt.result.startingEquity);
  });

  it('every example play with a validation block gets data on its exec timeframe', async () => {
    const dir = new URL('../../../examples/plays/', import.meta.url).pathname;
    let withBlock = 0;
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.yml'))) {
      const r = await loadPlayFile(dir + f);
      expect(r.errors).toEqual([]);
      const play = resolvePlay(r.play!, defaultGenome(r.play!));
      if (!play.validation?.pattern && !play.synthetic) {
        expect(thrown(() => syntheticDataForPlay(play)).code).toBe('SYNTHETIC_NO_PATTERN');
        continue;
      }
      withBlock++;
      const d = syntheticDataForPlay(play, { bars: 40 });
      expect(d.interval).toBe(play.timeframes[play.timeframes.exec]);
      expect(d.pattern).toBe(play.synthetic?.pattern ?? play.validation?.pattern);
      expect(resampleCandles(d.candles, d.slowestInterval, { from: d.interval }).length).toBe(40);
    }
    expect(withBlock).toBeGreaterThan(5);
  });
});

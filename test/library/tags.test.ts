import { describe, expect, it } from 'vitest';
import { defaultGenome, resolvePlay } from '../../src/dsl/index.ts';
import type { Metrics } from '../../src/engine/index.ts';
import { baseAsset, deriveTags, regimeOf, riskProfileOf, timeframeClassOf } from '../../src/library/tags.ts';
import type { RegimeSplit, ValidationReport } from '../../src/validate/index.ts';
import { crossPlay } from '../validate/helpers.ts';

const split = (t: [number, number], r: [number, number]): RegimeSplit => ({
  window: 24, threshold: 0.3,
  trending: { bars: t[0], sharpe: t[1], returnPct: 0 },
  ranging: { bars: r[0], sharpe: r[1], returnPct: 0 },
});

describe('tags from evidence', () => {
  it('calls the regime by where the returns came from', () => {
    expect(regimeOf(split([1000, 2.1], [3000, 0.2]), false)).toBe('trending');
    expect(regimeOf(split([1000, -0.5], [3000, 1.1]), false)).toBe('ranging');
    // Earning in both regimes: adaptive only when the play actually reads a regime detector.
    expect(regimeOf(split([1000, 1.5], [3000, 1.0]), true)).toBe('regime_adaptive');
    expect(regimeOf(split([1000, 1.5], [3000, 1.0]), false)).toBe('trending');
    // A bucket with under 5 % of the bars cannot decide.
    expect(regimeOf(split([100, 5], [3000, 0.4]), false)).toBe('ranging');
  });

  it('classes timeframes by holding time and risk by leverage and drawdown', () => {
    const hour = 3_600_000;
    expect(timeframeClassOf(20 * 60_000)).toBe('scalp');
    expect(timeframeClassOf(5 * hour)).toBe('intraday');
    expect(timeframeClassOf(30 * hour)).toBe('swing');
    expect(riskProfileOf(2, 12)).toBe('conservative');
    expect(riskProfileOf(2, 22)).toBe('aggressive');
    expect(riskProfileOf(10, 5)).toBe('aggressive');
    expect(baseAsset('BTCUSDT')).toBe('btc');
    expect(baseAsset('ETHUSDC')).toBe('eth');
  });

  it('derives the full tag set of a concrete play', () => {
    const play = resolvePlay(crossPlay(), defaultGenome(crossPlay()));
    const m = { avgHoldingMs: 7_200_000, maxDrawdownPct: 9, trades: 20 } as Metrics;
    const report = {
      dataset: 'bybit:BTCUSDT:1h', regimes: split([2000, 1.8], [2000, -0.3]), holdoutMetrics: m, training: m,
      monteCarlo: { blocks: { horizons: [{ horizonDays: 30, maxDrawdownPct: { p5: 1, p50: 4, p95: 11 } }] } },
    } as unknown as ValidationReport;
    const t = deriveTags(play, report);
    expect(t.tags).toEqual(['regime:trending', 'asset:BTCUSDT', 'exchange:bybit', 'interval:1h', 'timeframe:intraday', 'risk:conservative']);
    expect(t.leverage).toBe(2);
    expect(t.drawdownPct).toBe(11);
  });
});

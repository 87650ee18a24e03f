import { describe, expect, it } from 'vitest';
import { PlayforgeError } from '../../src/common/index.ts';
import type { Metrics } from '../../src/engine/index.ts';
import { constraintViolation, fitnessConfig, objectiveValue, objectiveVector, scoreMetrics } from '../../src/evolve/index.ts';

const metrics = (over: Partial<Metrics> = {}): Metrics => ({
  totalReturnPct: 30, cagrPct: 14, sharpe: 1.2, sortino: 1.8, calmar: 0.7, maxDrawdownPct: 20, maxDrawdownBars: 100, maxDrawdownDurationMs: 1,
  winRatePct: 45, profitFactor: 1.3, expectancy: 10, exposurePct: 20, trades: 40, avgTradeReturnPct: 0.5, avgHoldingBars: 10, avgHoldingMs: 1,
  totalFees: 100, totalFunding: 0, finalEquity: 13000, ...over,
});

describe('fitness', () => {
  it('scores the named objective', () => {
    const m = metrics();
    expect(scoreMetrics(m, fitnessConfig())).toBe(1.2);
    expect(scoreMetrics(m, fitnessConfig({ objective: 'sortino' }))).toBe(1.8);
    expect(scoreMetrics(m, fitnessConfig({ objective: 'calmar' }))).toBe(0.7);
    expect(scoreMetrics(m, fitnessConfig({ objective: 'return_over_drawdown' }))).toBe(1.5);
  });

  it('puts plays below the minimum trade count under every trading play, with a slope towards more trades', () => {
    const cfg = fitnessConfig({ minTrades: 10 });
    const few = scoreMetrics(metrics({ trades: 3, sharpe: 5 }), cfg);
    const more = scoreMetrics(metrics({ trades: 8, sharpe: -5 }), cfg);
    expect(few).toBeCloseTo(-10 - 0.7);
    expect(more).toBeGreaterThan(few);
    expect(more).toBeLessThan(scoreMetrics(metrics({ trades: 10, sharpe: -5 }), cfg));
    expect(constraintViolation(metrics({ trades: 3 }), cfg)).toBe(7);
    expect(constraintViolation(metrics({ trades: 30 }), cfg)).toBe(0);
  });

  it('applies the configurable drawdown penalty', () => {
    const cfg = fitnessConfig({ penalties: { maxDrawdownPct: 15, perDrawdownPct: 0.1 } });
    expect(scoreMetrics(metrics({ maxDrawdownPct: 25 }), cfg)).toBeCloseTo(1.2 - 1);
    expect(scoreMetrics(metrics({ maxDrawdownPct: 10 }), cfg)).toBe(1.2);
  });

  it('orients objective vectors for maximisation and keeps every value finite', () => {
    const cfg = fitnessConfig({ objectives: ['sharpe', 'max_drawdown', 'trades', 'profit_factor'] });
    expect(objectiveVector(metrics(), cfg)).toEqual([1.2, -20, 40, 1.3]);
    expect(objectiveValue('profit_factor', metrics({ profitFactor: Infinity }))).toBe(100);
    expect(objectiveValue('return_over_drawdown', metrics({ maxDrawdownPct: 0 }))).toBe(100);
    expect(objectiveValue('sharpe', metrics({ sharpe: NaN }))).toBe(0);
  });

  it('rejects unknown objectives with a stable code', () => {
    expect(() => fitnessConfig({ objective: 'alpha' as never })).toThrow(PlayforgeError);
    try {
      fitnessConfig({ objectives: ['sharpe', 'beta' as never] });
    } catch (e) {
      expect((e as PlayforgeError).code).toBe('EVOLVE_BAD_OBJECTIVE');
    }
  });
});

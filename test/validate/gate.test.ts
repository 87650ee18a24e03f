import { describe, expect, it } from 'vitest';
import type { Metrics } from '../../src/engine/index.ts';
import { DEFAULT_GATE_THRESHOLDS, evaluateGate, parseGateThresholds, type GateEvidence } from '../../src/validate/gate.ts';
import type { MonteCarloRanges } from '../../src/validate/montecarlo.ts';

const metrics = (over: Partial<Metrics>): Metrics => ({
  totalReturnPct: 10, cagrPct: 20, sharpe: 1.5, sortino: 2, calmar: 1, maxDrawdownPct: 8, maxDrawdownBars: 10, maxDrawdownDurationMs: 36e6,
  winRatePct: 55, profitFactor: 1.4, expectancy: 5, exposurePct: 30, trades: 40, avgTradeReturnPct: 0.2, avgHoldingBars: 6, avgHoldingMs: 216e5,
  totalFees: 10, totalFunding: 1, finalEquity: 11_000, ...over,
});

const mc = (p95Dd: number, probLoss: number): MonteCarloRanges => ({
  method: 'blocks', simulations: 2000, seed: 1, sample: { days: 90, trades: 40 },
  horizons: [7, 30].map((d) => ({
    horizonDays: d, probLoss,
    returnPct: { p5: -5, p50: 2, p95: 9 }, maxDrawdownPct: { p5: 1, p50: 5, p95: p95Dd }, tradesPerWeek: { p5: 1, p50: 3, p95: 6 },
  })),
});

const good: GateEvidence = {
  training: metrics({ sharpe: 2 }),
  holdout: metrics({ sharpe: 1.2, trades: 15, totalReturnPct: 4, maxDrawdownPct: 6 }),
  walkForward: { metrics: metrics({ sharpe: 0.9, totalReturnPct: 6 }), profitableSegmentsShare: 0.75, segments: 8 },
  dsr: { dsr: 0.97, trials: 300 },
  pbo: { pbo: 0.08, trials: 128, combinations: 12870 },
  monteCarlo: mc(18, 0.3),
};

describe('promotion gate', () => {
  it('passes strong evidence and gives a reason for every check', () => {
    const v = evaluateGate(good);
    expect(v.passed).toBe(true);
    expect(v.checks).toHaveLength(Object.keys(DEFAULT_GATE_THRESHOLDS).length);
    expect(v.checks.every((c) => c.status === 'pass')).toBe(true);
    expect(v.reasons).toHaveLength(v.checks.length);
    expect(v.reasons.find((r) => r.includes('deflated Sharpe ratio 0.970'))).toMatch(/^pass: .*300 skill-less trials/);
  });

  it('fails on each weakness with a reason naming it, failures listed first', () => {
    const v = evaluateGate({ ...good, dsr: { dsr: 0.62, trials: 900 }, pbo: { pbo: 0.55, trials: 128, combinations: 12870 }, holdout: metrics({ sharpe: 0.1, trades: 4, totalReturnPct: -2, maxDrawdownPct: 31 }) });
    expect(v.passed).toBe(false);
    const failed = v.checks.filter((c) => c.status === 'fail').map((c) => c.id);
    expect(failed.sort()).toEqual(['maxHoldoutDrawdownPct', 'maxPbo', 'minDsr', 'minHoldoutReturnPct', 'minHoldoutSharpe', 'minHoldoutTrades', 'minSharpeRetention'].sort());
    expect(v.reasons.slice(0, failed.length).every((r) => r.startsWith('FAIL: '))).toBe(true);
    expect(v.reasons.join('\n')).toMatch(/luck of picking the best of 900 trials/);
    expect(v.reasons.join('\n')).toMatch(/only 4 trades in the holdout/);
    expect(v.reasons.join('\n')).toMatch(/bottom half out of sample in 55.00 %/);
  });

  it('treats missing evidence as a failure, not a pass', () => {
    const v = evaluateGate({ training: good.training });
    expect(v.passed).toBe(false);
    expect(v.checks.every((c) => c.status === 'fail')).toBe(true);
    expect(v.reasons).toContain('FAIL: no walk-forward analysis');
  });

  it('takes threshold overrides, and null switches a check off', () => {
    const weakDsr = { ...good, dsr: { dsr: 0.9, trials: 50 } };
    expect(evaluateGate(weakDsr).passed).toBe(false);
    expect(evaluateGate(weakDsr, { minDsr: 0.85 }).passed).toBe(true);
    const off = evaluateGate(weakDsr, { minDsr: null });
    expect(off.passed).toBe(true);
    expect(off.checks.find((c) => c.id === 'minDsr')!.status).toBe('skipped');
  });

  it('fails the retention check when training had no edge', () => {
    const v = evaluateGate({ ...good, training: metrics({ sharpe: -0.4 }) });
    expect(v.checks.find((c) => c.id === 'minSharpeRetention')!.reason).toMatch(/not positive/);
  });

  it('parses CLI threshold overrides', () => {
    expect(parseGateThresholds('minDsr=0.9, maxPbo=off')).toEqual({ minDsr: 0.9, maxPbo: null });
    expect(() => parseGateThresholds('minSharpe=1')).toThrow(/unknown gate threshold/);
    expect(() => parseGateThresholds('minDsr=high')).toThrow(/needs a number/);
  });
});

// Validation statistics: CSCV (PBO) over a realistic trial matrix and the Monte Carlo block bootstrap, as ratios
// to the floor each pays — reading the matrix once (one Sharpe ratio per trial) and compounding the same
// number of returns in a plain loop.
import { createRng } from '../../src/common/rng.ts';
import { blockBootstrap, probabilityOfBacktestOverfitting, sharpeRatio } from '../../src/validate/index.ts';
import { timeMedian, type BenchSuite, type Figure } from '../harness.ts';

const HOUR = 3_600_000;

export const suite: BenchSuite = {
  name: 'validate',
  async run(): Promise<Figure[]> {
    const rng = createRng(1);
    const trials = 128, days = 600;
    const matrix = Array.from({ length: trials }, () => Float64Array.from({ length: days }, () => 0.01 * rng.normal()));
    const readMs = await timeMedian(() => matrix.map((c) => sharpeRatio(c)), 9);
    const pboMs = await timeMedian(() => probabilityOfBacktestOverfitting(matrix, { partitions: 16 }), 3);

    const bars = 200 * 24;
    const returns = Float64Array.from({ length: bars }, () => 0.004 * rng.normal());
    const sims = 2000;
    const steps = sims * (7 + 30) * 24;
    const loopMs = await timeMedian(() => {
      let e = 1;
      for (let s = 0; s < steps; s++) e *= 1 + returns[s % bars];
      return e;
    }, 5);
    const mcMs = await timeMedian(() => blockBootstrap({ returns, barMs: HOUR, seed: 1, simulations: sims }), 3);
    return [
      {
        name: `PBO: CSCV, ${trials} trials x ${days} days, S = 16 (12,870 splits)`, value: pboMs, unit: 'ms',
        baseline: 'one Sharpe ratio per trial', baselineValue: readMs, ratio: pboMs / readMs,
      },
      {
        name: `Monte Carlo: block bootstrap, ${sims} paths x (7 + 30) days of 1h bars`, value: mcMs, unit: 'ms',
        baseline: 'compounding as many returns in a loop', baselineValue: loopMs, ratio: mcMs / loopMs,
      },
    ];
  },
};

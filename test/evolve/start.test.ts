// The evolution section of `playforge start` (npm start): the seed example on the bundled BTCUSDT 1h bars.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evolveSeedExample, formatStartEvolution } from '../../src/cli/commands/start-evolve.ts';
import { btcStoreDir } from './helpers.ts';

let dir: string;
beforeAll(async () => {
  dir = await btcStoreDir();
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('start: evolution of the seed example', () => {
  it('enumerates the 18 combinations and reports the best training Sharpe against the starting median', async () => {
    const [s] = await evolveSeedExample(dir, { progress: false, workers: 0 });
    expect(s).toMatchObject({ play: 'regime_markov_candidate_001', population: 40, generations: 1, stopReason: 'exhausted', evaluations: 18, spaceSize: 18 });
    expect(s.best.sharpe!).toBeGreaterThan(s.initialMedianSharpe);
    expect(s.holdoutBars).toBe(Math.round((s.trainBars + s.holdoutBars) * 0.25));
    const text = formatStartEvolution([s]);
    expect(text).toMatch(/best training Sharpe -?\d+\.\d\d \(\d+ trades; ema_fast\.length=\d+ ema_slow\.length=\d+ regime\.ema_length=\d+\) vs median -?\d+\.\d\d of the starting population/);
  }, 120_000);
});

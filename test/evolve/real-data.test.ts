// Evolution on the shipped BTCUSDT 1h bars: the seed example improves on its starting population, the holdout
// never influences a generation, and a 2-thread pool returns exactly what the in-thread evaluator returns.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlayFile, type Play } from '../../src/dsl/index.ts';
import { loadBacktestData, type MarketData } from '../../src/engine/index.ts';
import { loadEvolutionData, median, runEvolution, splitTrainHoldout, type RunData, type RunResult } from '../../src/evolve/index.ts';
import { btcStoreDir, SEED_PLAY, WIDE_PLAY } from './helpers.ts';

const DATASET = 'bybit:BTCUSDT:1h';
let dir: string;

async function play(file: string): Promise<Play> {
  const { play: p, errors } = await loadPlayFile(file);
  if (!p) throw new Error(errors.map((e) => e.format()).join('\n'));
  return p;
}

/** What two runs must share to be "the same run": every generation's genomes, origins, parents and results. */
const generations = (r: RunResult) => r.evolutions.map((e) => e.history.map((g) => g.members.map((m) => ({ key: m.key, origin: m.origin, parents: m.parents, result: m.result }))));

beforeAll(async () => {
  dir = await btcStoreDir();
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('evolution on real BTCUSDT 1h bars', () => {
  it('the seed example evolves to a best training Sharpe above the median of its initial population', async () => {
    const plays = [await play(SEED_PLAY), await play(WIDE_PLAY)];
    const d = await loadEvolutionData(dir, plays, DATASET);
    expect(d.holdoutBars).toBe(Math.round((d.trainBars + d.holdoutBars) * 0.25));
    const r = await runEvolution({ plays: d.plays, data: { datasetId: DATASET, ...d }, seed: 1, ga: { population: 30, maxGenerations: 5 }, workers: 0 });
    for (const e of r.evolutions) {
      const initialSharpes = e.history[0].members.map((m) => m.result.metrics!.sharpe);
      const best = e.winners[0];
      expect(best.metrics!.sharpe).toBeGreaterThan(median(initialSharpes));
      expect(best.metrics!.trades).toBeGreaterThanOrEqual(10);
      expect(best.fitness).toBe(e.best);
    }
    // The seed's 18 combinations fit in one population: enumerated, not sampled. The widened variant searches.
    expect(r.evolutions[0].stopReason).toBe('exhausted');
    expect(r.evolutions[0].evaluations).toBe(18);
    expect(r.evolutions[1].history[0].members.every((m) => m.origin === 'random')).toBe(true);
    expect(r.evolutions[1].best).toBeGreaterThan(r.evolutions[1].history[0].best);
  }, 120_000);

  it('never sees the holdout: changing every holdout bar changes no generation', async () => {
    const p = await play(WIDE_PLAY);
    const loaded = await loadBacktestData(dir, p, DATASET, { subBars: false, from: Date.UTC(2025, 0, 1) });
    const full = loaded.data;
    // The same bars with the last 25% replaced by a different market (prices scaled and shuffled, funding flipped).
    const cut = full.exec.length - Math.round(full.exec.length * 0.25);
    const other: MarketData = { ...full, exec: { ...full.exec } };
    for (const k of ['open', 'high', 'low', 'close', 'volume'] as const) {
      const col = Float64Array.from(full.exec[k]);
      for (let i = cut; i < col.length; i++) col[i] = full.exec[k][cut + ((i - cut) * 7919) % (col.length - cut)] * 1.37;
      other.exec[k] = col;
    }
    if (full.funding) other.funding = full.funding.map((f, i) => (i >= cut ? -f : f));
    const runOn = (m: MarketData, holdoutFraction: number) => {
      const s = splitTrainHoldout(m, DATASET, { holdoutFraction });
      const data: RunData = { datasetId: DATASET, ...s };
      return runEvolution({ plays: [loaded.play], data, seed: 5, ga: { population: 16, maxGenerations: 3 }, workers: 0 });
    };
    const [a, b] = [await runOn(full, 0.25), await runOn(other, 0.25)];
    expect(a.holdout!.bars).toBe(full.exec.length - cut);
    expect(generations(b)).toEqual(generations(a));
    // The check has teeth: with no holdout the changed bars are trained on and the run differs.
    const [c, d] = [await runOn(full, 0), await runOn(other, 0)];
    expect(generations(d)).not.toEqual(generations(c));
  }, 120_000);

  it('a pool of 2 worker threads returns exactly the in-thread results', async () => {
    const p = await play(WIDE_PLAY);
    const d = await loadEvolutionData(dir, [p], DATASET, { from: Date.UTC(2025, 0, 1) });
    const run = (workers: number) => runEvolution({ plays: d.plays, data: { datasetId: DATASET, ...d }, seed: 3, ga: { population: 16, maxGenerations: 3 }, workers });
    const inline = await run(0);
    const pooled = await run(2);
    expect(generations(pooled)).toEqual(generations(inline));
    expect(pooled.evolutions[0].winners).toEqual(inline.evolutions[0].winners);
  }, 120_000);
});

// The validation section of `playforge start` (npm start): the seed example's evolution judged by the promotion
// gate from an in-memory evolution record, and the library's answer for it.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeedEvolution } from '../../src/cli/commands/start-evolve.ts';
import { evolutionRecordOf, formatStartValidation, validateStartEvolutions } from '../../src/cli/commands/start-validate.ts';
import { genomeKey } from '../../src/evolve/index.ts';
import { btcStoreDir } from './helpers.ts';

let dir: string;
beforeAll(async () => {
  dir = await btcStoreDir();
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('start: validation of the evolved seed example', () => {
  it('records every evaluated genome with the evolution pick named, and judges it with the gate', async () => {
    const { run, plays, summaries } = await runSeedEvolution(dir, { progress: false, workers: 0 });
    const record = evolutionRecordOf(run, run.evolutions[0], plays[0]);
    expect(record.individuals).toHaveLength(summaries[0].evaluations);
    expect(record.holdout).not.toBeNull();
    const pick = record.individuals.find((t) => t.id === record.bestIndividualId)!;
    expect(pick.genomeKey).toBe(genomeKey(run.evolutions[0].winners[0].genome));

    const [v] = await validateStartEvolutions(dir, run, plays, { progress: false });
    expect(v.play).toBe('regime_markov_candidate_001');
    expect(v.checks).toBeGreaterThan(5);
    expect(v.passed).toBe(v.failed.length === 0);
    expect(v.trainingSharpe).toBeCloseTo(pick.metrics!.sharpe!, 9);
    expect(v.holdoutSharpe).not.toBeNull();
    expect(v.library).toMatch(v.passed ? /demo run/ : /not eligible/);
    const text = formatStartValidation([v]);
    expect(text).toMatch(/regime_markov_candidate_001: (PASS|FAIL) \(\d+ of \d+ checks failed/);
    expect(text).toMatch(/Sharpe training -?\d+\.\d\d, holdout -?\d+\.\d\d, walk-forward (-?\d+\.\d\d|-); DSR/);
    expect(text).toMatch(/library: /);
  }, 180_000);
});

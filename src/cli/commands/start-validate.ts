// The validation section of `playforge start`: each evolution of the evolution section judged as `playforge
// validate` judges a stored one (holdout, walk-forward re-optimisation, deflated Sharpe, PBO, Monte Carlo, the
// promotion gate), with a smaller budget so the first run stays quick, and the library's answer for it.
// Nothing is stored (the evolutions were not either); `playforge evolve` + `playforge validate ID` keep both.
import { randomUUID } from 'node:crypto';
import { serializePlay, type Play } from '../../dsl/index.ts';
import { loadBacktestData } from '../../engine/index.ts';
import { FAILED_FITNESS, genomeKey, type EvolutionSummary, type RunResult } from '../../evolve/index.ts';
import { validateEvolution, type EvolutionRecord, type TrialRecord } from '../../validate/index.ts';

export interface StartValidation {
  play: string;
  passed: boolean;
  /** The failed checks' reasons. */
  failed: string[];
  checks: number;
  trainingSharpe: number | null;
  holdoutSharpe: number | null;
  walkForwardSharpe: number | null;
  dsr: number | null;
  pbo: number | null;
  /** What the library does with it. */
  library: string;
  elapsedMs: number;
}

/** An in-memory evolution record of one evolution of a run, as the evolve stage would store it. */
export function evolutionRecordOf(run: RunResult, e: EvolutionSummary, play: Play): EvolutionRecord {
  const individuals: TrialRecord[] = [];
  for (const g of e.history) {
    for (const m of [...g.members, ...g.discarded]) {
      const failed = m.result.metrics === null || m.result.fitness <= FAILED_FITNESS;
      individuals.push({
        id: individuals.length + 1, generation: g.generation, genome: m.genome, genomeKey: m.key,
        fitness: failed ? null : m.result.fitness, metrics: m.result.metrics, ...(m.result.error ? { error: m.result.error } : {}),
      });
    }
  }
  // The evolution's pick: its first winner, as the individual that first had that genome.
  const bestKey = e.winners[0] ? genomeKey(e.winners[0].genome) : undefined;
  const bestId = individuals.find((t) => t.genomeKey === bestKey)?.id ?? null;
  return {
    id: randomUUID(), play, playYaml: serializePlay(play), dataset: run.dataset, seed: run.seed, status: 'completed', config: { fitness: {} },
    train: { from: run.train.from, to: run.train.to }, holdout: run.holdout ? { from: run.holdout.from, to: run.holdout.to } : null,
    individuals, bestIndividualId: bestId,
  };
}

export async function validateStartEvolutions(
  dataDir: string, run: RunResult, plays: readonly Play[], opts: { progress: boolean },
): Promise<StartValidation[]> {
  const out: StartValidation[] = [];
  for (const [k, e] of run.evolutions.entries()) {
    const t0 = performance.now();
    const record = evolutionRecordOf(run, e, plays[k]);
    const loaded = await loadBacktestData(dataDir, record.play, record.dataset, { from: record.train.from, to: record.holdout?.to ?? record.train.to });
    if (opts.progress) process.stderr.write(`validating ${e.play} (holdout, walk-forward, deflated Sharpe, PBO, Monte Carlo)\n`);
    const r = await validateEvolution({ record, play: loaded.play, market: loaded.data }, {
      winners: 3, maxTrials: 64, partitions: 8, walkForward: { windows: 4, budget: 12 }, monteCarlo: { simulations: 500 },
    });
    const failed = r.gate.checks.filter((c) => c.status === 'fail');
    out.push({
      play: e.play, passed: r.gate.passed, failed: r.gate.reasons.slice(0, failed.length), checks: r.gate.checks.filter((c) => c.status !== 'skipped').length,
      trainingSharpe: r.training.sharpe, holdoutSharpe: r.holdoutMetrics?.sharpe ?? null, walkForwardSharpe: r.walkForward?.metrics.sharpe ?? null,
      dsr: r.dsr?.dsr ?? null, pbo: r.pbo?.pbo ?? null,
      library: r.gate.passed
        ? 'eligible: it enters the library after a passed demo run on Bybit (the demo stage is not built yet)'
        : 'not eligible: only a play that passes the gate (and then a demo run) enters the library',
      elapsedMs: performance.now() - t0,
    });
  }
  return out;
}

export function formatStartValidation(all: readonly StartValidation[]): string {
  if (all.length === 0) return '';
  const f = (x: number | null, d = 2): string => (x === null || !Number.isFinite(x) ? '-' : x.toFixed(d));
  const lines = ['', 'Validation (holdout, 4 walk-forward windows, deflated Sharpe, PBO, Monte Carlo; the promotion gate):'];
  for (const v of all) {
    lines.push(`  ${v.play}: ${v.passed ? 'PASS' : 'FAIL'} (${v.failed.length} of ${v.checks} checks failed, ${(v.elapsedMs / 1000).toFixed(1)} s)`);
    lines.push(`    Sharpe training ${f(v.trainingSharpe)}, holdout ${f(v.holdoutSharpe)}, walk-forward ${f(v.walkForwardSharpe)}; DSR ${f(v.dsr, 3)}, PBO ${f(v.pbo, 3)}`);
    for (const reason of v.failed) lines.push(`    ${reason}`);
    lines.push(`    library: ${v.library}`);
  }
  return `${lines.join('\n')}\n`;
}

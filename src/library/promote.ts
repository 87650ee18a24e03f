// Promotion into the library: a play enters only with a PASSED validation report and a PASSED demo run of the
// same play (the demo gate checks live results against the report's Monte Carlo ranges). The entry is the
// concrete play (the judged genome resolved, on the dataset's interval) with the tags its evidence earns.
import { PlayforgeError } from '../common/errors.ts';
import { loadPlay, resolvePlay, serializePlay, type Play } from '../dsl/index.ts';
import { execIntervalOf, withExecInterval } from '../engine/index.ts';
import { parseDatasetId } from '../data/index.ts';
import type { SqlQueryable } from '../store/index.ts';
import { loadValidationReport, type ValidationReport } from '../validate/index.ts';
import { LIBRARY_NOT_FOUND, LIBRARY_NOT_VETTED } from './errors.ts';
import { baseAsset, deriveTags } from './tags.ts';
import { VettedLibrary, type VettedPlay, type VettedStats } from './vetted.ts';

export interface PromoteInput {
  validationReportId: string;
  demoRunId: string;
  /** Library name (default `<base asset>_<play name>`, e.g. btc_ema_cross_trend). */
  name?: string;
  actor?: string;
}

interface DemoRow {
  id: string;
  play_id: string;
  individual_id: number | null;
  venue: string;
  status: string;
  started_at: Date;
  ended_at: Date | null;
  metrics: Record<string, unknown>;
  gates: Record<string, unknown>;
}

/** The play exactly as validated: the judged genome, moved onto the dataset's bar interval when needed. */
export function concretePlayOf(ranged: Play, report: ValidationReport): Play {
  const interval = parseDatasetId(report.dataset).interval;
  const onDataset = execIntervalOf(ranged) === interval ? ranged : withExecInterval(ranged, interval);
  return resolvePlay(onDataset, report.genome);
}

export async function promoteToLibrary(db: SqlQueryable, input: PromoteInput): Promise<VettedPlay> {
  const stored = await loadValidationReport(db, input.validationReportId);
  const report = stored.report;
  if (!stored.passed) {
    const failed = report.gate.reasons.filter((r) => r.startsWith('FAIL'));
    throw new PlayforgeError(LIBRARY_NOT_VETTED, `validation report ${stored.id} did not pass the gate:\n  ${failed.join('\n  ')}`, { path: input.validationReportId });
  }
  const { rows: evs } = await db.query<{ play_id: string; yaml: string; name: string }>(
    `select e.play_id, p.yaml, p.name from evolutions e join plays p on p.id = e.play_id where e.id = $1`, [stored.evolutionId],
  );
  if (!evs.length) throw new PlayforgeError(LIBRARY_NOT_FOUND, `the evolution ${stored.evolutionId} of report ${stored.id} is gone`, { path: input.validationReportId });
  const { play_id: playId, yaml } = evs[0];
  const { rows: demos } = await db.query<DemoRow>(
    `select id, play_id, individual_id, venue, status, started_at, ended_at, metrics, gates from demo_runs where id = $1`, [input.demoRunId],
  );
  if (!demos.length) throw new PlayforgeError(LIBRARY_NOT_FOUND, `no demo run ${input.demoRunId}: a play enters the library only after passing the demo gate`, { path: input.demoRunId });
  const demo = demos[0];
  if (demo.status !== 'passed') {
    throw new PlayforgeError(LIBRARY_NOT_VETTED, `demo run ${demo.id} is ${demo.status}, not passed: a play enters the library only after passing the demo gate`, { path: input.demoRunId });
  }
  if (demo.play_id !== playId || (demo.individual_id !== null && Number(demo.individual_id) !== stored.individualId)) {
    throw new PlayforgeError(LIBRARY_NOT_VETTED, `demo run ${demo.id} traded a different play or genome than validation report ${stored.id}`, { path: input.demoRunId });
  }
  const parsed = loadPlay(yaml);
  if (!parsed.play) throw new PlayforgeError(LIBRARY_NOT_VETTED, `the stored play no longer validates: ${parsed.errors.map((e) => e.message).join('; ')}`);
  const concrete = concretePlayOf(parsed.play, report);
  const tags = deriveTags(concrete, report);
  const { tags: tagList, ...classification } = tags;
  const stats: VettedStats = {
    validationReportId: stored.id, evolutionId: stored.evolutionId, individualId: report.individualId, dataset: report.dataset,
    validatedAt: stored.createdAt instanceof Date ? stored.createdAt.toISOString() : String(stored.createdAt),
    windows: { train: report.train, holdout: report.holdout },
    classification, training: report.training, holdout: report.holdoutMetrics,
    walkForward: report.walkForward
      ? { mode: report.walkForward.mode, segments: report.walkForward.segments.length, profitableSegmentsShare: report.walkForward.profitableSegmentsShare, metrics: report.walkForward.metrics }
      : null,
    dsr: report.dsr, pbo: report.pbo, expectedRanges: report.monteCarlo?.blocks ?? null, tradeRanges: report.monteCarlo?.trades ?? null,
    regimes: report.regimes, gate: { passed: report.gate.passed, thresholds: report.thresholds },
    demo: {
      runId: demo.id, venue: demo.venue, startedAt: new Date(demo.started_at).toISOString(), endedAt: demo.ended_at ? new Date(demo.ended_at).toISOString() : null,
      metrics: demo.metrics ?? {}, gates: demo.gates ?? {},
    },
  };
  return db.transaction(async (tx) => {
    const added = await new VettedLibrary(tx).add({
      name: input.name ?? `${baseAsset(tags.asset)}_${concrete.name}`,
      regime: tags.regime, playId, evolutionId: stored.evolutionId, individualId: report.individualId, tags: tagList,
      params: report.genome, stats, yaml: serializePlay(concrete),
    }, input.actor);
    await tx.query(`update demo_runs set vetted_play_id = $2 where id = $1`, [demo.id, added.id]);
    return added;
  });
}

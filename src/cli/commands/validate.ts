// `playforge validate EVOLUTION_ID`: the promotion gate for an evolution — its pick on training vs holdout vs
// walk-forward, deflated Sharpe ratio, PBO, Monte Carlo ranges, and the verdict with every reason — printed
// and stored in the warm store. A thin shell over src/validate.
import type { Command } from 'commander';
import { PlayforgeError } from '../../common/errors.ts';
import { ensureDefaultData, isoUtc, withStore } from '../../data/index.ts';
import { loadBacktestData, type Metrics } from '../../engine/index.ts';
import { openWarmStore } from '../../store/index.ts';
import {
  loadEvolutionRecord, parseGateThresholds, saveValidationReport, toJsonSafe, validateEvolution, type HorizonRange, type ValidationReport,
  type WalkForwardMode,
} from '../../validate/index.ts';
import { dataDirOf, err, out } from '../io.ts';

interface ValidateOptions {
  winners: string;
  maxTrials: string;
  partitions: string;
  walkForward: boolean;
  wfWindows: string;
  wfTrainRatio: string;
  wfMode: string;
  wfBudget: string;
  wfOptimiser: string;
  simulations: string;
  gate?: string;
  seed?: string;
  allowIncomplete?: boolean;
  store: boolean;
  progress: boolean;
  json?: boolean;
}

function intOption(v: string, flag: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new PlayforgeError('CLI_BAD_OPTION', `${flag} must be an integer >= ${min}, got "${v}"`, { path: flag });
  return n;
}

function numOption(v: string, flag: string, min: number): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw new PlayforgeError('CLI_BAD_OPTION', `${flag} must be a number >= ${min}, got "${v}"`, { path: flag });
  return n;
}

const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : String(x));
const day = (ms: number) => isoUtc(ms).slice(0, 10);

const ROWS: Array<[string, (m: Metrics) => string]> = [
  ['total return', (m) => `${f2(m.totalReturnPct)} %`],
  ['CAGR', (m) => `${f2(m.cagrPct)} %`],
  ['Sharpe (annualised)', (m) => f2(m.sharpe)],
  ['Sortino (annualised)', (m) => f2(m.sortino)],
  ['max drawdown', (m) => `${f2(m.maxDrawdownPct)} %`],
  ['trades', (m) => String(m.trades)],
  ['win rate', (m) => `${m.winRatePct.toFixed(1)} %`],
  ['profit factor', (m) => (Number.isFinite(m.profitFactor) ? f2(m.profitFactor) : 'inf')],
  ['average trade', (m) => `${m.avgTradeReturnPct.toFixed(3)} %`],
  ['exposure', (m) => `${m.exposurePct.toFixed(1)} %`],
];

function range(h: HorizonRange): string {
  return `return ${f2(h.returnPct.p5)} .. ${f2(h.returnPct.p95)} % (median ${f2(h.returnPct.p50)}), drawdown <= ${f2(h.maxDrawdownPct.p95)} %, `
    + `${h.tradesPerWeek.p5.toFixed(1)} .. ${h.tradesPerWeek.p95.toFixed(1)} trades/week, P(loss) ${(h.probLoss * 100).toFixed(1)} %`;
}

function printReport(r: ValidationReport, reportId: string | null): void {
  const genome = Object.entries(r.genome).map(([k, v]) => `${k.split('.').slice(-3).join('.')}=${v}`).join(', ');
  out(`${r.play} on ${r.dataset}: evolution ${r.evolutionId}, judged individual ${r.individualId}`);
  out(`  genome: ${genome || '(no ranged parameters)'}`);
  const cols: Array<[string, string, Metrics | null]> = [
    ['training', `${day(r.train.from)}..${day(r.train.to)}`, r.training],
    ['holdout', r.holdout ? `${day(r.holdout.from)}..${day(r.holdout.to)}` : 'none', r.holdoutMetrics],
    ['walk-forward', r.walkForward ? `${r.walkForward.segments.length} ${r.walkForward.mode}, ${r.walkForward.optimiser} x${r.walkForward.budget}` : 'not run', r.walkForward?.metrics ?? null],
  ];
  const w = 24;
  out('');
  out(`  ${''.padEnd(22)}${cols.map((c) => c[0].padEnd(w)).join('')}`);
  out(`  ${'window'.padEnd(22)}${cols.map((c) => c[1].padEnd(w)).join('')}`);
  for (const [label, fmt] of ROWS) out(`  ${label.padEnd(22)}${cols.map((c) => (c[2] ? fmt(c[2]) : '-').padEnd(w)).join('')}`);
  if (r.walkForward) out(`  ${'profitable windows'.padEnd(22)}${''.padEnd(2 * w)}${(r.walkForward.profitableSegmentsShare * 100).toFixed(0)} %`);
  out('');
  if (r.dsr) {
    out(`  deflated Sharpe ratio  ${r.dsr.dsr.toFixed(3)}  (daily Sharpe ${f2(r.dsr.sharpeAnnualised)} annualised vs ${f2(r.dsr.expectedMaxSharpeAnnualised)} expected from the best of ${r.dsr.trials} skill-less trials;`);
    out(`                         ${r.dsr.observations} days, skew ${f2(r.dsr.skew)}, kurtosis ${f2(r.dsr.kurtosis)}, ~${r.dsr.effectiveTrials.toFixed(0)} effectively independent trials)`);
  } else out('  deflated Sharpe ratio  -  (no trial matrix)');
  if (r.pbo) {
    out(`  PBO                    ${r.pbo.pbo.toFixed(3)}  (${r.pbo.trials} trials x ${r.pbo.rows} days, S = ${r.pbo.partitions}, ${r.pbo.combinations} CSCV splits; the IS-best loses OOS in ${(r.pbo.probOosLoss * 100).toFixed(1)} % of splits)`);
  } else out('  PBO                    -');
  if (r.monteCarlo) {
    const b = r.monteCarlo.blocks;
    out(`  Monte Carlo            block bootstrap of ${r.monteCarlo.source === 'holdout' ? 'the holdout' : 'the walk-forward curve'} (${b.simulations} paths, ${b.sample.days.toFixed(0)} days, 5th-95th percentiles)`);
    for (const h of b.horizons) out(`    ${`${h.horizonDays}d`.padEnd(5)}${range(h)}`);
    if (r.monteCarlo.trades) for (const h of r.monteCarlo.trades.horizons) out(`    ${`${h.horizonDays}d`.padEnd(5)}(trade bootstrap) ${range(h)}`);
  }
  out(`  regimes                trending bars Sharpe ${f2(r.regimes.trending.sharpe)} (${r.regimes.trending.bars} bars), ranging bars Sharpe ${f2(r.regimes.ranging.sharpe)} (${r.regimes.ranging.bars} bars)`);
  if (r.winners.length > 1) {
    out('  other winners (reported, not judged):');
    for (const x of r.winners.slice(1)) {
      out(`    #${x.individualId}  training Sharpe ${f2(x.training.sharpe)}, holdout Sharpe ${x.holdout ? f2(x.holdout.sharpe) : '-'}, holdout return ${x.holdout ? `${f2(x.holdout.totalReturnPct)} %` : '-'}`);
    }
  }
  for (const n of r.notes) out(`  note: ${n}`);
  out('');
  const failed = r.gate.checks.filter((c) => c.status === 'fail').length;
  out(`verdict: ${r.gate.passed ? 'PASS' : 'FAIL'} (${failed} of ${r.gate.checks.filter((c) => c.status !== 'skipped').length} checks failed)`);
  for (const reason of r.gate.reasons) out(`  ${reason}`);
  if (reportId) out(`report stored: ${reportId}`);
}

export function registerValidateCommands(program: Command): void {
  program
    .command('validate')
    .description('validate an evolution: holdout, walk-forward, deflated Sharpe ratio, PBO, Monte Carlo ranges and the promotion gate')
    .argument('<evolution-id>', 'the evolution to validate (the id playforge evolve prints)')
    .option('--winners <n>', 'winners to report (the evolution\'s pick is judged)', '3')
    .option('--max-trials <n>', 'trials in the PBO matrix (a seeded sample when there are more)', '128')
    .option('--partitions <n>', 'CSCV partitions S (even)', '16')
    .option('--no-walk-forward', 'skip the walk-forward analysis (its checks then fail for lack of evidence)')
    .option('--wf-windows <n>', 'walk-forward test windows', '6')
    .option('--wf-train-ratio <x>', 'walk-forward training window length in test windows', '3')
    .option('--wf-mode <mode>', 'rolling or anchored training windows', 'rolling')
    .option('--wf-budget <n>', 'genomes tried per walk-forward window', '24')
    .option('--wf-optimiser <name>', 'walk-forward re-optimisation: ga (the evolution engine) or random', 'ga')
    .option('--simulations <n>', 'Monte Carlo paths per horizon', '2000')
    .option('--gate <k=v,...>', 'gate thresholds to override (a number, or off), e.g. minDsr=0.9,maxPbo=0.3')
    .option('--seed <n>', 'seed for sampling, re-optimisation and Monte Carlo (default: the evolution\'s)')
    .option('--allow-incomplete', 'validate an evolution that has not completed')
    .option('--no-store', 'do not store the report')
    .option('--no-progress', 'no progress lines on stderr')
    .option('--json', 'print one JSON document')
    .action(async (id: string, opts: ValidateOptions, cmd: Command) => {
      // Checked before the store opens, so a typo fails at once.
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
        throw new PlayforgeError('VALIDATE_EVOLUTION_NOT_FOUND', `'${id}' is not an evolution id (the UUID playforge evolve prints)`, { path: id });
      }
      const mode = opts.wfMode as WalkForwardMode;
      if (mode !== 'rolling' && mode !== 'anchored') throw new PlayforgeError('CLI_BAD_OPTION', `--wf-mode must be rolling or anchored, got "${opts.wfMode}"`, { path: '--wf-mode' });
      if (opts.wfOptimiser !== 'ga' && opts.wfOptimiser !== 'random') throw new PlayforgeError('CLI_BAD_OPTION', `--wf-optimiser must be ga or random, got "${opts.wfOptimiser}"`, { path: '--wf-optimiser' });
      const optimiser: 'ga' | 'random' = opts.wfOptimiser;
      const thresholds = opts.gate ? parseGateThresholds(opts.gate) : {};
      const options = {
        winners: intOption(opts.winners, '--winners', 1),
        maxTrials: intOption(opts.maxTrials, '--max-trials', 2),
        partitions: intOption(opts.partitions, '--partitions', 2),
        walkForward: opts.walkForward
          ? { windows: intOption(opts.wfWindows, '--wf-windows', 1), trainRatio: numOption(opts.wfTrainRatio, '--wf-train-ratio', 0.1), mode, budget: intOption(opts.wfBudget, '--wf-budget', 1), optimiser }
          : (false as const),
        monteCarlo: { simulations: intOption(opts.simulations, '--simulations', 100) },
        thresholds,
        ...(opts.seed !== undefined ? { seed: intOption(opts.seed, '--seed', 0) } : {}),
      };
      const dataDir = dataDirOf(cmd);
      const warm = await openWarmStore({ dataDir });
      try {
        const record = await loadEvolutionRecord(warm.sql, id, { allowIncomplete: opts.allowIncomplete });
        const load = (record.config.load ?? {}) as { subBars?: boolean };
        const loaded = await withStore(dataDir, async (store) => {
          if (!(await store.hasDataset(record.dataset))) await ensureDefaultData(store);
          return loadBacktestData(store, record.play, record.dataset, { from: record.train.from, to: record.holdout?.to ?? record.train.to, subBars: load.subBars !== false });
        });
        if (!opts.json) for (const n of loaded.notes) err(`note: ${n}`);
        let last = '';
        const report = await validateEvolution({ record, play: loaded.play, market: loaded.data }, {
          ...options,
          onProgress: (stage, done, total) => {
            if (!opts.progress || (done !== total && done % 10 !== 0)) return;
            const line = `${stage} ${done}/${total}`;
            if (line !== last) err(line);
            last = line;
          },
        });
        const stored = opts.store ? await saveValidationReport(warm.sql, record, report) : null;
        if (opts.json) out(JSON.stringify({ reportId: stored?.id ?? null, ...(toJsonSafe(report) as object) }));
        else printReport(report, stored?.id ?? null);
      } finally {
        await warm.close();
      }
    });
}

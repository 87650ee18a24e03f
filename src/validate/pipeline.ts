// validateEvolution: everything the promotion gate needs from one evolution, in one report.
// 1. The winners (the evolution's pick first) backtested on the training window and on the holdout.
// 2. Walk-forward: re-optimise on rolling (or anchored) windows with a small budget (a small GA run by the
//    evolution engine, by default), trade the next window, stitch the out-of-sample segments.
// 3. The trial matrix (the evolution's distinct genomes on the training window) -> DSR of the pick and PBO.
// 4. Monte Carlo ranges from the pick's holdout (else the walk-forward curve).
// 5. The gate's verdict with every reason.
import { PlayforgeError } from '../common/errors.ts';
import { intervalMs } from '../data/index.ts';
import { resolvePlay, type Genome, type Play } from '../dsl/index.ts';
import { backtestPlay, FeatureCache, type MarketData, type Metrics } from '../engine/index.ts';
import type { FitnessConfig } from '../evolve/index.ts';
import { deflatedSharpeRatio, effectiveTrials } from './dsr.ts';
import { VALIDATE_EVOLUTION_INCOMPLETE } from './errors.ts';
import { distinctTrials, winnersOf, type EvolutionRecord } from './evolution-record.ts';
import { DEFAULT_GATE_THRESHOLDS, evaluateGate, type GateThresholds, type GateVerdict } from './gate.ts';
import { lowerBound } from '../data/index.ts';
import { backtestWindow, sliceMarket } from './market.ts';
import { blockBootstrap, tradeBootstrap, type MonteCarloRanges } from './montecarlo.ts';
import { gaSearch, randomSearch } from './optimise.ts';
import { RegimeSplitter, type RegimeSplit } from './regimes.ts';
import { probabilityOfBacktestOverfitting } from './pbo.ts';
import { DAY_MS, annualiseSharpe, equityReturns, moments, periodsPerYear } from './sharpe.ts';
import { buildTrialMatrix, meanCorrelation, sampleTrials } from './trials.ts';
import { runWalkForward, walkForwardWindows, type SegmentResult, type TimeWindow, type WalkForwardMode, type WalkForwardWindow } from './walkforward.ts';

/** Finds the genome to trade in a walk-forward test window, from the training window's data only. */
export type WalkForwardOptimiser = (trainData: MarketData, window: WalkForwardWindow) => Promise<Genome>;

export interface ValidationOptions {
  /** Winners reported (the first is judged). Default 3. */
  winners?: number;
  /** Trials in the PBO matrix (a seeded sample when the evolution has more; the pick always included). Default 128. */
  maxTrials?: number;
  /** CSCV partitions. Default 16. */
  partitions?: number;
  /** Period of the returns DSR and PBO use. Default one day. */
  periodMs?: number;
  walkForward?: false | {
    /** Number of test windows. Default 6. */
    windows?: number;
    /** Training window length as a multiple of the test window. Default 3. */
    trainRatio?: number;
    mode?: WalkForwardMode;
    /** Genomes tried per window by the built-in optimisers. Default 24. */
    budget?: number;
    /** `ga` (default: the evolution engine with the evolution's fitness), `random`, or your own. */
    optimiser?: 'ga' | 'random' | WalkForwardOptimiser;
  };
  monteCarlo?: { simulations?: number; horizonsDays?: number[]; meanBlockBars?: number };
  thresholds?: Partial<GateThresholds>;
  /** Seeds sampling, the optimiser and Monte Carlo. Default: the evolution's seed. */
  seed?: number;
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface WinnerReport {
  individualId: number;
  genome: Genome;
  fitness: number | null;
  training: Metrics;
  holdout: Metrics | null;
}

export interface DsrReport {
  dsr: number;
  /** Per-period figures (the period is `periodDays` days) and their annualised equivalents. */
  sharpe: number;
  sharpeAnnualised: number;
  expectedMaxSharpe: number;
  expectedMaxSharpeAnnualised: number;
  trials: number;
  effectiveTrials: number;
  trialsVariance: number;
  observations: number;
  skew: number;
  kurtosis: number;
  periodDays: number;
}

export interface PboReport {
  pbo: number;
  trials: number;
  partitions: number;
  combinations: number;
  rows: number;
  rowsDropped: number;
  probOosLoss: number;
  meanLogit: number;
  degradation: { slope: number; intercept: number };
}

export interface WalkForwardReport {
  mode: WalkForwardMode;
  optimiser: string;
  budget: number;
  metrics: Metrics;
  profitableSegmentsShare: number;
  segments: Array<{ train: TimeWindow; test: TimeWindow; genome: Genome; metrics: Metrics }>;
}

export interface ValidationReport {
  evolutionId: string;
  play: string;
  dataset: string;
  createdAt: string;
  train: TimeWindow;
  holdout: TimeWindow | null;
  /** The judged winner. */
  individualId: number;
  genome: Genome;
  winners: WinnerReport[];
  training: Metrics;
  holdoutMetrics: Metrics | null;
  walkForward: WalkForwardReport | null;
  dsr: DsrReport | null;
  pbo: PboReport | null;
  monteCarlo: { source: 'holdout' | 'walk_forward'; blocks: MonteCarloRanges; trades: MonteCarloRanges | null } | null;
  /** The pick's bar returns on training and holdout, split by trending and ranging market (the regime tag's evidence). */
  regimes: RegimeSplit;
  thresholds: GateThresholds;
  gate: GateVerdict;
  notes: string[];
}

export interface ValidationInput {
  record: EvolutionRecord;
  /** The ranged play as it runs on the dataset (loadBacktestData's `play`). */
  play: Play;
  /** The dataset's bars over [record.train.from, end of holdout). */
  market: MarketData;
}

function entriesMask(segment: SegmentResult): Uint8Array {
  const mask = new Uint8Array(segment.equity.length);
  for (const t of segment.trades) {
    const i = lowerBound(segment.ts, t.entryTs);
    if (i < mask.length && segment.ts[i] === t.entryTs) mask[i] = 1;
  }
  return mask;
}

function monteCarloOf(segment: SegmentResult, barMs: number, seed: number, o: ValidationOptions['monteCarlo'] = {}): { blocks: MonteCarloRanges; trades: MonteCarloRanges | null } {
  const common = { horizonsDays: o.horizonsDays, simulations: o.simulations, seed };
  const blocks = blockBootstrap({ returns: equityReturns(segment.equity, segment.startingEquity), entries: entriesMask(segment), barMs, meanBlockBars: o.meanBlockBars, ...common });
  const trades = segment.trades.length
    ? tradeBootstrap({ tradeReturnsPct: segment.trades.map((t) => t.returnPct), sampleDays: (segment.equity.length * barMs) / DAY_MS, ...common })
    : null;
  return { blocks, trades };
}

export async function validateEvolution(input: ValidationInput, options: ValidationOptions = {}): Promise<ValidationReport> {
  const { record, play, market } = input;
  const notes: string[] = [];
  const seed = (options.seed ?? record.seed) >>> 0;
  const periodMs = options.periodMs ?? DAY_MS;
  const barMs = intervalMs(market.execInterval);
  const progress = options.onProgress ?? (() => undefined);
  const dataStart = market.exec.ts[0];
  const trainData = sliceMarket(market, record.train);
  const cache = new FeatureCache();

  // 1. Winners on the training window (as the evolution saw it) and on the holdout.
  const winners = winnersOf(record, options.winners ?? 3);
  if (!winners.length) {
    throw new PlayforgeError(VALIDATE_EVOLUTION_INCOMPLETE, `evolution ${record.id} has no successfully evaluated individual to validate`, { path: record.id });
  }
  const holdoutData = record.holdout ? sliceMarket(market, { from: dataStart, to: record.holdout.to }) : undefined;
  let pickHoldout: SegmentResult | undefined;
  const regimes = new RegimeSplitter(barMs);
  const winnerReports: WinnerReport[] = winners.map((w, i) => {
    const concrete = resolvePlay(play, w.genome);
    const trainRun = backtestPlay(concrete, trainData, { cache });
    const training = trainRun.metrics;
    if (i === 0) regimes.add(trainRun.compiled.exec.close, equityReturns(trainRun.result.equity, trainRun.result.startingEquity));
    let holdout: Metrics | null = null;
    if (record.holdout && holdoutData) {
      const bt = backtestWindow(concrete, holdoutData, record.holdout, cache);
      holdout = bt.metrics;
      if (i === 0) {
        pickHoldout = bt.segment;
        const first = lowerBound(holdoutData.exec.ts, record.holdout.from);
        const from = Math.max(0, first - regimes.window - 1);
        regimes.add(holdoutData.exec.close.subarray(from, first + bt.segment.equity.length), equityReturns(bt.segment.equity, bt.segment.startingEquity), first - from);
        if (bt.coldBars > 0) notes.push(`the pick was still warming up for the first ${bt.coldBars} holdout bars`);
      }
    }
    progress('winners', i + 1, winners.length);
    return { individualId: w.id, genome: w.genome, fitness: w.fitness, training, holdout };
  });
  const pick = winners[0];
  const stored = pick.metrics?.sharpe;
  if (typeof stored === 'number' && Number.isFinite(stored) && Math.abs(stored - winnerReports[0].training.sharpe) > 1e-6 * Math.max(1, Math.abs(stored))) {
    notes.push(`training Sharpe re-measured as ${winnerReports[0].training.sharpe.toFixed(4)} but the evolution recorded ${stored.toFixed(4)}: the stored data or engine changed since the run`);
  }
  if (!record.holdout) notes.push('the evolution kept no holdout window: holdout checks fail for lack of evidence');

  // 2. Walk-forward over everything validation may use.
  let walkForward: WalkForwardReport | null = null;
  let wfCurve: SegmentResult | undefined;
  if (options.walkForward !== false) {
    const wf = options.walkForward ?? {};
    const span = { from: record.train.from, to: record.holdout?.to ?? record.train.to };
    const k = wf.windows ?? 6;
    const ratio = wf.trainRatio ?? 3;
    const testMs = Math.max(barMs, Math.floor((span.to - span.from) / (k + ratio) / barMs) * barMs);
    const windows = walkForwardWindows({ span, trainMs: ratio * testMs, testMs, mode: wf.mode ?? 'rolling' });
    const budget = wf.budget ?? 24;
    const fitness = (record.config.fitness ?? {}) as Partial<FitnessConfig>;
    const windowSeed = (w: WalkForwardWindow) => (seed + 7919 * (w.index + 1)) >>> 0;
    const choice = wf.optimiser ?? 'ga';
    const population = Math.min(8, budget);
    const optimiser: WalkForwardOptimiser = typeof choice === 'function'
      ? choice
      : choice === 'random'
        ? async (data, w) => randomSearch(play, data, { budget, minTrades: fitness.minTrades ?? 10, seed: windowSeed(w) }).genome
        : async (data, w) => (await gaSearch(play, data, { population, generations: Math.max(1, Math.round(budget / population)), fitness, seed: windowSeed(w) })).genome;
    if (windows.length === 0) notes.push('walk-forward skipped: the data is too short for its windows');
    else {
      const result = await runWalkForward<Genome>(windows, {
        optimise: (train, w) => optimiser(sliceMarket(market, train), w),
        evaluate: async (genome, test) => backtestWindow(resolvePlay(play, genome), sliceMarket(market, { from: dataStart, to: test.to }), test, cache).segment,
      }, { barMs, startingEquity: play.account.starting_equity_usdt, mode: wf.mode ?? 'rolling', onSegment: (d, n) => progress('walk-forward', d, n) });
      walkForward = {
        mode: result.mode, optimiser: typeof choice === 'function' ? 'custom' : choice, budget, metrics: result.metrics, profitableSegmentsShare: result.profitableSegmentsShare,
        segments: result.segments.map((s) => ({ train: s.window.train, test: s.window.test, genome: s.params, metrics: s.metrics })),
      };
      // Monte Carlo falls back on the stitched curve when there is no holdout.
      wfCurve = { ...result.stitched };
    }
  }

  // 3. Trial matrix -> DSR and PBO.
  const all = distinctTrials(record);
  const sample = sampleTrials(all, options.maxTrials ?? 128, seed, pick.genomeKey);
  const matrix = buildTrialMatrix(play, trainData, sample, { periodMs, cache, onProgress: (d, n) => progress('trials', d, n) });
  for (const s of matrix.skipped.slice(0, 3)) notes.push(`trial ${s.id} left out of the trial matrix: ${s.error}`);
  if (matrix.skipped.length > 3) notes.push(`${matrix.skipped.length - 3} more trials left out of the trial matrix`);
  if (sample.length < all.length) notes.push(`PBO over a seeded sample of ${sample.length} of the evolution's ${all.length} distinct trials`);
  let dsr: DsrReport | null = null;
  const pickColumn = matrix.trials.findIndex((t) => t.genomeKey === pick.genomeKey);
  const perYear = periodsPerYear(periodMs);
  if (pickColumn >= 0 && matrix.columns.length >= 1) {
    const col = matrix.columns[pickColumn];
    const m = moments(col);
    const srs = matrix.sharpes;
    const mean = srs.reduce((a, b) => a + b, 0) / srs.length;
    const variance = srs.length > 1 ? srs.reduce((a, b) => a + (b - mean) ** 2, 0) / (srs.length - 1) : 0;
    const sr = matrix.sharpes[pickColumn];
    const trials = all.length;
    const r = deflatedSharpeRatio({ sharpe: sr, observations: col.length, skew: m.skew, kurtosis: m.kurtosis, trials, trialsVariance: variance });
    dsr = {
      dsr: r.dsr, sharpe: sr, sharpeAnnualised: annualiseSharpe(sr, perYear), expectedMaxSharpe: r.expectedMaxSharpe,
      expectedMaxSharpeAnnualised: annualiseSharpe(r.expectedMaxSharpe, perYear), trials,
      effectiveTrials: effectiveTrials(trials, meanCorrelation(matrix.columns)), trialsVariance: variance,
      observations: col.length, skew: m.skew, kurtosis: m.kurtosis, periodDays: periodMs / DAY_MS,
    };
    if (trials < 2) notes.push('a single distinct trial: DSR equals the plain PSR against 0');
  }
  let pbo: PboReport | null = null;
  try {
    const p = probabilityOfBacktestOverfitting(matrix.columns, { partitions: options.partitions ?? 16 });
    pbo = {
      pbo: p.pbo, trials: p.trials, partitions: p.partitions, combinations: p.combinations, rows: p.rows, rowsDropped: p.rowsDropped,
      probOosLoss: p.probOosLoss, meanLogit: p.meanLogit, degradation: p.degradation,
    };
  } catch (e) {
    // Too few trials or days is a finding (the gate then fails for lack of evidence); anything else is a bug.
    if (!(e instanceof PlayforgeError)) throw e;
    notes.push(`no PBO: ${e.message}`);
  }

  // 4. Monte Carlo on out-of-sample evidence.
  let monteCarlo: ValidationReport['monteCarlo'] = null;
  const mcSource = pickHoldout && pickHoldout.equity.length >= 2 ? { source: 'holdout' as const, segment: pickHoldout } : wfCurve && wfCurve.equity.length >= 2 ? { source: 'walk_forward' as const, segment: wfCurve } : undefined;
  if (mcSource) {
    monteCarlo = { source: mcSource.source, ...monteCarloOf(mcSource.segment, barMs, seed, options.monteCarlo) };
    if (mcSource.source === 'walk_forward') notes.push('Monte Carlo ranges come from the walk-forward curve (re-optimised genomes), not from the pick itself: there is no holdout');
    const days = (mcSource.segment.equity.length * barMs) / DAY_MS;
    if (days < 30) notes.push(`Monte Carlo resamples only ${days.toFixed(1)} days for a 30-day horizon`);
  }

  // 5. The gate.
  const thresholds: GateThresholds = { ...DEFAULT_GATE_THRESHOLDS, ...options.thresholds };
  const gate = evaluateGate({
    training: winnerReports[0].training,
    holdout: winnerReports[0].holdout ?? undefined,
    walkForward: walkForward ? { metrics: walkForward.metrics, profitableSegmentsShare: walkForward.profitableSegmentsShare, segments: walkForward.segments.length } : undefined,
    dsr: dsr ? { dsr: dsr.dsr, trials: dsr.trials } : undefined,
    pbo: pbo ? { pbo: pbo.pbo, trials: pbo.trials, combinations: pbo.combinations } : undefined,
    monteCarlo: monteCarlo?.blocks,
  }, thresholds);

  return {
    evolutionId: record.id, play: play.name, dataset: record.dataset, createdAt: new Date().toISOString(),
    train: record.train, holdout: record.holdout, individualId: pick.id, genome: pick.genome, winners: winnerReports,
    training: winnerReports[0].training, holdoutMetrics: winnerReports[0].holdout, walkForward, dsr, pbo, monteCarlo,
    regimes: regimes.result(), thresholds, gate, notes,
  };
}


// Fitness of one backtest: a named objective with a minimum trade count and configurable penalties, plus the
// objective vector NSGA-II ranks. Pure numbers; every value is finite so it survives JSON and structured clone.
import { PlayforgeError } from '../common/index.ts';
import type { Metrics } from '../engine/index.ts';

export type ObjectiveName = 'sharpe' | 'sortino' | 'calmar' | 'return_over_drawdown';
/** Objectives NSGA-II can trade off; each is turned into a value to MAXIMISE (drawdown is negated). */
export type MultiObjectiveName = ObjectiveName | 'total_return' | 'max_drawdown' | 'trades' | 'win_rate' | 'profit_factor';

export const OBJECTIVE_NAMES: readonly ObjectiveName[] = ['sharpe', 'sortino', 'calmar', 'return_over_drawdown'];
export const MULTI_OBJECTIVE_NAMES: readonly MultiObjectiveName[] = [...OBJECTIVE_NAMES, 'total_return', 'max_drawdown', 'trades', 'win_rate', 'profit_factor'];

export interface FitnessPenalties {
  /** Fitness of a play with fewer than `minTrades` trades (before the per-missing-trade slope). */
  tooFewTrades: number;
  /** Subtracted per trade missing below `minTrades`, so the search still has a gradient towards trading. */
  perMissingTrade: number;
  /** Drawdown (percent) above which `perDrawdownPct` is subtracted per extra percentage point. */
  maxDrawdownPct: number;
  perDrawdownPct: number;
}

export interface FitnessConfig {
  objective: ObjectiveName;
  minTrades: number;
  penalties: FitnessPenalties;
  /** The objective vector for multi-objective (NSGA-II) mode; EvalResult.objectives follows this order. */
  objectives: MultiObjectiveName[];
}

/** Fitness of a genome whose backtest failed (the play did not resolve or compile). */
export const FAILED_FITNESS = -1e6;
/** Ratios are capped so a near-zero drawdown cannot produce an unbounded score. */
const RATIO_CAP = 100;

export const DEFAULT_PENALTIES: FitnessPenalties = { tooFewTrades: -10, perMissingTrade: 0.1, maxDrawdownPct: 100, perDrawdownPct: 0 };

export function fitnessConfig(over: Partial<Omit<FitnessConfig, 'penalties'>> & { penalties?: Partial<FitnessPenalties> } = {}): FitnessConfig {
  const cfg: FitnessConfig = {
    objective: over.objective ?? 'sharpe',
    minTrades: over.minTrades ?? 10,
    penalties: { ...DEFAULT_PENALTIES, ...over.penalties },
    objectives: over.objectives ?? ['sharpe', 'max_drawdown', 'trades'],
  };
  if (!OBJECTIVE_NAMES.includes(cfg.objective)) {
    throw new PlayforgeError('EVOLVE_BAD_OBJECTIVE', `unknown objective '${String(cfg.objective)}': use one of ${OBJECTIVE_NAMES.join(', ')}`, { path: 'objective' });
  }
  for (const o of cfg.objectives) {
    if (!MULTI_OBJECTIVE_NAMES.includes(o)) {
      throw new PlayforgeError('EVOLVE_BAD_OBJECTIVE', `unknown objective '${String(o)}': use one of ${MULTI_OBJECTIVE_NAMES.join(', ')}`, { path: 'objectives' });
    }
  }
  if (!(cfg.minTrades >= 0)) throw new PlayforgeError('EVOLVE_BAD_CONFIG', `minTrades must be >= 0, got ${cfg.minTrades}`, { path: 'minTrades' });
  return cfg;
}

function finite(x: number, cap = RATIO_CAP): number {
  if (Number.isNaN(x)) return 0;
  return Math.max(-cap, Math.min(cap, x));
}

/** The raw value of one objective, oriented so that larger is better. */
export function objectiveValue(name: MultiObjectiveName, m: Metrics): number {
  switch (name) {
    case 'sharpe': return finite(m.sharpe);
    case 'sortino': return finite(m.sortino);
    case 'calmar': return finite(m.calmar);
    case 'return_over_drawdown': return finite(m.maxDrawdownPct > 0 ? m.totalReturnPct / m.maxDrawdownPct : m.totalReturnPct > 0 ? RATIO_CAP : 0);
    case 'total_return': return finite(m.totalReturnPct, 1e6);
    case 'max_drawdown': return -finite(m.maxDrawdownPct, 1e6);
    case 'trades': return m.trades;
    case 'win_rate': return finite(m.winRatePct);
    case 'profit_factor': return finite(m.profitFactor);
  }
}

/** Scalar fitness: the objective, or the too-few-trades floor, minus the drawdown penalty. */
export function scoreMetrics(m: Metrics, cfg: FitnessConfig): number {
  const p = cfg.penalties;
  if (m.trades < cfg.minTrades) return p.tooFewTrades - p.perMissingTrade * (cfg.minTrades - m.trades);
  const excessDd = Math.max(0, m.maxDrawdownPct - p.maxDrawdownPct);
  return objectiveValue(cfg.objective, m) - p.perDrawdownPct * excessDd;
}

export function objectiveVector(m: Metrics, cfg: FitnessConfig): number[] {
  return cfg.objectives.map((o) => objectiveValue(o, m));
}

/**
 * How far a play is from feasible (0 = feasible): NSGA-II ranks feasible plays above infeasible ones and
 * infeasible ones by this (Deb's constrained domination), so a front is never made of plays that do not trade.
 */
export function constraintViolation(m: Metrics | null, cfg: FitnessConfig): number {
  if (!m) return Number.MAX_VALUE;
  return Math.max(0, cfg.minTrades - m.trades);
}

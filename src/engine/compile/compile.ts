// compilePlay: a concrete Play + market data -> columns, per-bar signals and a scalar decision path.
import { PlayforgeError } from '../../common/errors.ts';
import { genomeOf, type Interval, type Play } from '../../dsl/index.ts';
import { actionsAtBar, evaluateActions, planActions } from './actions.ts';
import { ColumnResolver } from './columns.ts';
import { Planner, ScalarEvaluator, VectorEvaluator } from './conditions/index.ts';
import type { ColumnScratch } from './column-scratch.ts';
import { FeatureCache } from './feature-cache.ts';
import { computeFeatureSet } from './features.ts';
import type { CompiledPlay, PlayData } from './types.ts';

export interface CompileOptions {
  /** Shared across compilations (a whole population) so equal features are computed once. */
  cache?: FeatureCache;
  /**
   * Lends the condition and signal columns: they stay valid only until its `release`, so only a caller that
   * reads nothing of the compiled play after that (a scoring loop: scorePlay) passes one.
   */
  scratch?: ColumnScratch;
}

/** The interval the play steps on: the role `timeframes.exec` points to. */
export function execIntervalOf(play: Play): Interval {
  return play.timeframes[play.timeframes.exec];
}

/**
 * The play moved onto another exec interval: its exec role takes `interval`, and every feature and structure
 * declared on the old exec interval follows it (other timeframes stay). For running a play whose timeframes
 * were left at their defaults on the bars at hand (the seed example on 1h data).
 */
export function withExecInterval(play: Play, interval: Interval): Play {
  const from = execIntervalOf(play);
  if (from === interval) return play;
  const move = (tf: Interval) => (tf === from ? interval : tf);
  return {
    ...play,
    timeframes: { ...play.timeframes, [play.timeframes.exec]: interval },
    features: play.features.map((f) => ({ ...f, tf: move(f.tf) })),
    structures: play.structures.map((s) => ({ ...s, tf: move(s.tf) })),
  };
}

export function compilePlay(play: Play, data: PlayData, opts: CompileOptions = {}): CompiledPlay {
  const genes = genomeOf(play);
  if (genes.length) {
    throw new PlayforgeError('ENGINE_PLAY_NOT_CONCRETE', `play '${play.name}' still has ranged parameters (${genes.map((g) => g.path).join(', ')}): resolvePlay it with a genome first`, {
      path: genes[0].path,
    });
  }
  const execInterval = execIntervalOf(play);
  if (execInterval !== data.execInterval) {
    throw new PlayforgeError('ENGINE_EXEC_INTERVAL_MISMATCH', `play '${play.name}' steps on ${execInterval} bars but the data is ${data.execInterval}: load ${execInterval} bars, or move the play with withExecInterval`, {
      path: 'timeframes.exec',
    });
  }
  const cache = opts.cache ?? new FeatureCache();
  const n = data.exec.length;
  const set = computeFeatureSet(play, data, cache);
  const resolver = new ColumnResolver(data, set, cache);

  const t0 = performance.now();
  const planner = new Planner({ resolver, execInterval, setups: play.setups });
  for (const name of Object.keys(play.setups)) planner.setup(name);
  const actionPlan = planActions(play.actions, planner);
  const scratch = opts.scratch;
  const alloc = scratch ? (len: number, zeroed: boolean) => scratch.take(len, zeroed) : undefined;
  const vector = new VectorEvaluator(n, planner.setups, { smallCodes: (col) => cache.smallCodes(col), alloc, shared: cache });
  const { signals, exitPercent, wholeExits, conditions } = evaluateActions(actionPlan, vector, () => cache.filled(n, 100), cache.zeros(n));
  const conditionsMs = performance.now() - t0;
  // The data window's condition columns, built when asked: a setup nothing reads as TRUE is evaluated then.
  let conditionCols: Record<string, Uint8Array> | undefined;
  const conditionColumns = (): Record<string, Uint8Array> => {
    if (!conditionCols) {
      conditionCols = {};
      for (const name of Object.keys(play.setups)) conditionCols[`setup.${name}`] = vector.truth(planner.setups.get(name)!);
      for (const [name, col] of conditions) conditionCols[name] = col;
    }
    return { ...conditionCols };
  };

  let warmupBars = 0;
  for (const f of set.features.values()) warmupBars = Math.max(warmupBars, resolver.warmBar(f.tf, f.warmup));
  for (const s of set.structures.values()) warmupBars = Math.max(warmupBars, resolver.warmBar(s.tf, s.warmup));
  for (const r of actionPlan.rules) warmupBars = Math.max(warmupBars, r.node.need);
  for (const b of actionPlan.blocks) for (const c of b.cases) warmupBars = Math.max(warmupBars, c.node.need);
  warmupBars = Math.min(warmupBars, n);

  const scalar = new ScalarEvaluator(n, planner.setups);
  const names = resolver.names();
  return {
    play,
    n,
    exec: data.exec,
    execInterval,
    column: (refText, offset = 0) => resolver.column(resolver.parse(refText), offset),
    columnNames: () => [...names],
    enumValues: (refText) => resolver.labels(resolver.parse(refText)),
    signals,
    exitPercent,
    wholeExits,
    conditionColumns,
    actionsAt: (i) => {
      if (!Number.isInteger(i) || i < 0 || i >= n) throw new PlayforgeError('ENGINE_BAR_OUT_OF_RANGE', `bar ${i} is outside 0..${n - 1}`);
      return actionsAtBar(actionPlan, scalar, i);
    },
    warmupBars,
    timings: { indicatorsMs: set.indicatorsMs, structuresMs: set.structuresMs, conditionsMs },
  };
}

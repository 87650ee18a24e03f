// A pool thread's results packed into one Float64Array. Structured-cloning EvalResult objects cost ~0.07 ms
// to send and ~0.15 ms to receive per 50 genomes (a metrics object and a genome key each), on the main thread,
// while both workers wait for the next job: ~5% of a 100-genome job on 2 threads. The genome keys are not
// sent at all (the pool makes them from the job's genomes while the threads work). Every double travels bit
// for bit (NaN, ±Infinity, -0). The cluster sends its batch results the same way (cluster/protocol.ts).
import type { Metrics } from '../../engine/index.ts';
import type { EvalResult, GenomeScore } from '../evaluator.ts';

/** Metrics' fields, in the order metricsFromStats builds them. */
const METRIC_KEYS = [
  'totalReturnPct', 'cagrPct', 'sharpe', 'sortino', 'calmar', 'maxDrawdownPct', 'maxDrawdownBars', 'maxDrawdownDurationMs', 'winRatePct',
  'profitFactor', 'expectancy', 'exposurePct', 'trades', 'avgTradeReturnPct', 'avgHoldingBars', 'avgHoldingMs', 'totalFees', 'totalFunding',
  'finalEquity',
] as const satisfies readonly (keyof Metrics)[];
// Compile-time check that no field of Metrics is left out.
const everyMetric: Exclude<keyof Metrics, (typeof METRIC_KEYS)[number]> extends never ? true : never = true;
void everyMetric;

/** Row per result: fitness, 1 when it has metrics, its objectives, its metrics (NaN when none). */
export interface PackedResults {
  objectives: number;
  values: Float64Array;
  /** [row, message] of the failed backtests. */
  errors: Array<[number, string]>;
}

/** Doubles per result. */
export const packedWidth = (objectives: number): number => 2 + objectives + METRIC_KEYS.length;

export function packResults(results: readonly GenomeScore[], objectives: number): PackedResults {
  const w = packedWidth(objectives), values = new Float64Array(results.length * w).fill(NaN), errors: Array<[number, string]> = [];
  results.forEach((r, k) => {
    let o = k * w;
    values[o++] = r.fitness;
    values[o++] = r.metrics ? 1 : 0;
    for (let j = 0; j < objectives; j++) values[o++] = r.objectives[j];
    if (r.metrics) for (const key of METRIC_KEYS) values[o++] = r.metrics[key];
    if (r.error !== undefined) errors.push([k, r.error]);
  });
  return { objectives, values, errors };
}

/** The results of `packResults`, each given its genome key from `keys` (row order). */
export function unpackResults(p: PackedResults, keys: readonly string[]): EvalResult[] {
  const w = packedWidth(p.objectives), errors = new Map(p.errors);
  return keys.map((genomeKey, k) => {
    let o = k * w;
    const fitness = p.values[o++], hasMetrics = p.values[o++] === 1;
    const objectives = Array.from(p.values.subarray(o, o + p.objectives));
    o += p.objectives;
    let metrics: Metrics | null = null;
    if (hasMetrics) {
      metrics = {} as Metrics;
      for (const key of METRIC_KEYS) metrics[key] = p.values[o++];
    }
    const error = errors.get(k);
    return error === undefined ? { genomeKey, fitness, objectives, metrics } : { genomeKey, fitness, objectives, metrics, error };
  });
}

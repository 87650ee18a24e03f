// Types shared by every structure detector (the "Structures" contract in the session's INTERFACES).

import type { SeriesInput } from '../indicators/index.ts';

/** The candle columns a detector reads (the indicators stage's SeriesInput). */
export type { SeriesInput };

/** One Float64Array per output field: BOOL as 0/1, INT as numbers, ENUM as an index into its values, NaN = missing. */
export type StructureOutput = Record<string, Float64Array>;

export interface StructureContext {
  input: SeriesInput;
  params: Record<string, unknown>;
  /** Outputs of the structures this one `uses:`, keyed by the dependency's structure TYPE (`swing`, `trend`, ...). */
  deps: Record<string, StructureOutput>;
  /** Feature columns keyed by feature key, for params like `atr_key`. */
  features: Record<string, Float64Array>;
}

export type OutputType = 'FLOAT' | 'INT' | 'BOOL' | 'ENUM';

export interface OutputSpec {
  type: OutputType;
  /** ENUM only: the labels; the column holds the index into this list. */
  values?: readonly string[];
}

/**
 * A detector's per-bar state machine. `step(i)` reads inputs (and dependency outputs) at indices <= i only,
 * and writes every output field at index i. A backtest calls it for i = 0..n-1; live trading can keep the
 * stepper and call it again for each appended bar (with the context's arrays grown to hold it).
 */
export interface StructureStepper {
  step(i: number): void;
}

export interface StructureImpl {
  type: string;
  /**
   * ENUM labels per output field. Per-slot fields use the template name with `[N]`
   * (derived_zone `zone[N].state`); `structureEnumValues()` resolves a concrete field like `zone[2].state`.
   */
  enums: Record<string, readonly string[]>;
  compute(ctx: StructureContext): StructureOutput;
  /**
   * Bars before outputs are meaningful. Dependents need their dependency's params for TRADE's formulas
   * (`(left + right) * 5` for trend): pass them in `depParams` keyed by dependency type; without them the
   * swing defaults left = right = 5 are assumed, as TRADE does.
   */
  warmup(params: Record<string, unknown>, depParams?: Record<string, Record<string, unknown>>): number;
  /** Public output fields for these params (dynamic for fibonacci `level[r]` and derived_zone `zone[N].f`). */
  outputs(params: Record<string, unknown>): Record<string, OutputSpec>;
  /** Dependency structure types this detector reads from `ctx.deps`. */
  dependencies: { required: readonly string[]; optional: readonly string[] };
  /** The incremental form behind `compute`: writes into `out`, which must hold every field of `allocate`. */
  createStepper(ctx: StructureContext, out: StructureOutput): StructureStepper;
  /** Allocate the output columns (public fields plus private `_`-prefixed ones dependents read) for n bars. */
  allocate(params: Record<string, unknown>, n: number): StructureOutput;
}

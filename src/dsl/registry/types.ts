// Shared shapes of the indicator and structure registries: parameter specs and typed outputs.

/** The value type of one output series; decides which condition operators apply to it. */
export type OutputType = 'FLOAT' | 'INT' | 'BOOL' | 'ENUM';

export interface OutputSpec {
  type: OutputType;
  /** ENUM only: every value the field can take (index order = numeric encoding in StructureOutput). Absent = open set (hashes). */
  values?: readonly string[];
  description?: string;
}

/**
 * int/float/bool/enum/string: scalar parameters; float_list: a list is the value itself (fibonacci `levels`);
 * ref: names another declared feature (`atr_key`) or structure (`ms_key`).
 */
export type ParamKind = 'int' | 'float' | 'bool' | 'enum' | 'string' | 'float_list' | 'ref';

export type ScalarParam = number | string | boolean;

export interface ParamSpec {
  kind: ParamKind;
  description: string;
  default?: ScalarParam | readonly number[];
  required?: boolean;
  /** Inclusive numeric bounds (for float_list: bounds of every element). */
  min?: number;
  max?: number;
  /** When true, `min` itself is not allowed (a strictly positive float, say). */
  minExclusive?: boolean;
  /** enum: the allowed values. */
  values?: readonly string[];
  /** ref: what it names, and for structures optionally which type. */
  refTo?: 'feature' | 'structure';
  refType?: string;
}

export interface IndicatorSpec {
  name: string;
  description: string;
  inputs: readonly ('open' | 'high' | 'low' | 'close' | 'volume')[];
  params: Readonly<Record<string, ParamSpec>>;
  /** Single-output indicators have exactly one output named `value`. */
  outputs: Readonly<Record<string, OutputSpec>>;
  multiOutput: boolean;
}

export interface StructureDependency {
  /** Structure type the dependency must have. */
  type: string;
  required: boolean;
}

export interface StructureSpec {
  type: string;
  description: string;
  params: Readonly<Record<string, ParamSpec>>;
  /** Dependencies in `uses:` order (positional: `uses: [swing, trend]`). */
  uses: readonly StructureDependency[];
  /** Static outputs; dynamic ones (fibonacci levels, derived_zone slots) come from outputsFor. */
  outputs: Readonly<Record<string, OutputSpec>>;
  /**
   * Every output for concrete params (ranged params must be narrowed first; see registry/structures.ts
   * fieldOf, which works on the whole domain of a ranged param).
   */
  outputsFor(params: Readonly<Record<string, unknown>>): Record<string, OutputSpec>;
}

export const INTERVALS = ['1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '12h', 'D', 'W', 'M'] as const;
export type Interval = (typeof INTERVALS)[number];

/** Minutes per interval (M as 30 days: only the ordering matters for the hierarchy check). */
export const INTERVAL_MINUTES: Readonly<Record<Interval, number>> = {
  '1m': 1, '3m': 3, '5m': 5, '15m': 15, '30m': 30, '1h': 60, '2h': 120, '4h': 240, '6h': 360, '12h': 720,
  D: 1440, W: 10080, M: 43200,
};

export function isInterval(v: unknown): v is Interval {
  return typeof v === 'string' && (INTERVALS as readonly string[]).includes(v);
}

// Small incremental series helpers the detectors share: a private ATR, an EMA, and the impl builder.
// Each helper is fed bar by bar (index i, increasing), so a detector stays an incremental state machine.
import type {
  OutputSpec,
  SeriesInput,
  StructureContext,
  StructureImpl,
  StructureOutput,
  StructureStepper,
} from './types.ts';

/**
 * Wilder ATR, fed one bar at a time: the private fallback for detectors whose `atr_key` feature is absent
 * (kept incremental so a detector stays a bar-by-bar state machine). Same convention as the indicators
 * stage's `atr`: true ranges from bar 1 on (bar 0 has no previous close), the first value at index `length`
 * is the mean of TR[1..length], then ATR[t] = (ATR[t-1] * (length - 1) + TR[t]) / length. NaN before.
 */
export class WilderAtr {
  private sum = 0;
  private count = 0;
  private value = NaN;
  private last = -1;
  constructor(
    private readonly input: SeriesInput,
    private readonly length = 14,
  ) {}

  at(i: number): number {
    if (i === this.last || i === 0) return i === 0 ? NaN : this.value;
    this.last = i;
    const { high, low, close } = this.input;
    const h = high[i], l = low[i], pc = close[i - 1];
    const tr = Math.max(h - l, Math.abs(h - pc), Math.abs(l - pc));
    if (Number.isNaN(tr)) return NaN; // a gap in the data: no value this bar, the state is kept
    if (this.count < this.length) {
      this.sum += tr;
      this.count++;
      if (this.count === this.length) this.value = this.sum / this.length;
    } else {
      this.value = (this.value * (this.length - 1) + tr) / this.length;
    }
    return this.value;
  }
}

/** ATR for `atr_key`: the play's feature column when present, else a private Wilder ATR(14). */
export function atrSource(ctx: StructureContext, key: string | undefined): { at(i: number): number } {
  const col = key !== undefined ? ctx.features[key] : undefined;
  if (col) return { at: (i: number) => col[i] };
  return new WilderAtr(ctx.input, 14);
}

/** EMA seeded with the SMA of its first `length` values (the usual convention); NaN until then. */
export class Ema {
  private readonly alpha: number;
  private sum = 0;
  private count = 0;
  private value = NaN;
  constructor(private readonly length: number) {
    this.alpha = 2 / (length + 1);
  }

  /** Feed the next value; returns the EMA including it. NaN inputs leave the state unchanged. */
  next(x: number): number {
    if (Number.isNaN(x)) return this.value;
    if (this.count < this.length) {
      this.sum += x;
      this.count++;
      if (this.count === this.length) this.value = this.sum / this.length;
      return this.value;
    }
    this.value += this.alpha * (x - this.value);
    return this.value;
  }
}

export interface StructureDefinition {
  type: string;
  enums: Record<string, readonly string[]>;
  dependencies: { required: readonly string[]; optional: readonly string[] };
  outputs(params: Record<string, unknown>): Record<string, OutputSpec>;
  /** Private `_`-prefixed columns that dependents read (not part of the DSL surface). */
  privateFields?: readonly string[];
  warmup(params: Record<string, unknown>, depParams?: Record<string, Record<string, unknown>>): number;
  createStepper(ctx: StructureContext, out: StructureOutput): StructureStepper;
}

/** Build a StructureImpl whose `compute` runs the stepper over every bar in one pass. */
export function defineStructure(def: StructureDefinition): StructureImpl {
  // Built with Object.fromEntries: V8 keeps that object in fast-properties mode, whereas adding dozens of
  // keys one by one turns it into a dictionary and every `out.field[i]` in a stepper into a hash lookup
  // (measured: swing 2x slower).
  const allocate = (params: Record<string, unknown>, n: number): StructureOutput =>
    Object.fromEntries([...Object.keys(def.outputs(params)), ...(def.privateFields ?? [])].map((f) => [f, new Float64Array(n)]));
  return {
    type: def.type,
    enums: def.enums,
    dependencies: def.dependencies,
    outputs: def.outputs,
    warmup: def.warmup,
    createStepper: def.createStepper,
    allocate,
    compute(ctx: StructureContext): StructureOutput {
      const n = ctx.input.length;
      const out = allocate(ctx.params, n);
      const stepper = def.createStepper(ctx, out);
      for (let i = 0; i < n; i++) stepper.step(i);
      return out;
    },
  };
}

/** FNV-1a over the 32-bit integer parts of `values`, unsigned: stable ids for anchors and zones. */
export function fnv1a(values: readonly number[]): number {
  let h = 0x811c9dc5;
  for (const v of values) {
    let x = v | 0;
    for (let b = 0; b < 4; b++) {
      h ^= x & 0xff;
      h = Math.imul(h, 0x01000193);
      x >>>= 8;
    }
  }
  return h >>> 0;
}

/** Output spec helpers, to keep the tables in each detector short. */
export const F: OutputSpec = { type: 'FLOAT' };
export const I: OutputSpec = { type: 'INT' };
export const B: OutputSpec = { type: 'BOOL' };
export const E = (values: readonly string[]): OutputSpec => ({ type: 'ENUM', values });

/** Swing left/right for dependents' TRADE warmup formulas (TRADE assumes 5/5 when unknown). */
export function swingSpan(depParams?: Record<string, Record<string, unknown>>): number {
  const s = depParams?.swing;
  const left = typeof s?.left === 'number' ? s.left : 5;
  const right = typeof s?.right === 'number' ? s.right : 5;
  return left + right;
}

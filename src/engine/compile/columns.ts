// Reference -> exec-aligned column. A reference is a built-in series (close, funding_rate, ...), a feature
// output or a structure field; columns of slower (or faster) timeframes are forward-filled from their last
// closed bar, and `offset` counts bars of the reference's own timeframe (offset 1 on a 4h feature is the
// previous closed 4h value). Also parses reference text as written in plays, for the data window and tests.
import { PlayforgeError } from '../../common/errors.ts';
import { BUILTINS, structureField, type BuiltinName, type Interval, type OutputType, type ResolvedRef } from '../../dsl/index.ts';
import { INDICATORS } from '../../dsl/index.ts';
import { STRUCTURE_IMPLS } from '../../structures/index.ts';
import type { FeatureCache } from './feature-cache.ts';
import type { FeatureSet } from './features.ts';
import { forwardFillSettlements, missingSeries } from './market.ts';
import { alignmentOf, forwardFill, shiftBack } from './timeframes.ts';
import type { PlayData } from './types.ts';

const QUALIFIED = /^(low_tf|med_tf|high_tf|exec)_([0-9]+[mh]|D|W|M)\.(.+)$/;

/** The column behind a reference on its own timeframe, before alignment. */
interface RawColumn {
  tf: Interval;
  col: Float64Array;
  type: OutputType;
  labels?: readonly string[];
  /** Bars of its own timeframe before it is trusted. */
  warmup: number;
}

export class ColumnResolver {
  readonly n: number;
  private readonly memo = new Map<string, Float64Array>();
  private funding?: Float64Array;

  constructor(
    private readonly data: PlayData,
    private readonly set: FeatureSet,
    private readonly cache: FeatureCache,
  ) {
    this.n = data.exec.length;
  }

  /** Exec-aligned column of `ref`, `offset` bars (of its own timeframe) back. Memoized per compilation. */
  column(ref: ResolvedRef, offset = 0): Float64Array {
    const memoKey = `${refId(ref)}@${offset}`;
    let out = this.memo.get(memoKey);
    if (out) return out;
    if (ref.source === 'builtin') out = shiftBack(this.builtin(ref.name), offset);
    else {
      const raw = this.raw(ref);
      out = raw.tf === this.data.execInterval ? shiftBack(raw.col, offset) : forwardFill(raw.col, this.alignment(raw.tf), offset);
    }
    this.memo.set(memoKey, out);
    return out;
  }

  /** ENUM labels of a reference (the column holds indexes into this list). */
  labels(ref: ResolvedRef): readonly string[] | undefined {
    return ref.source === 'builtin' ? undefined : this.raw(ref).labels;
  }

  /**
   * First exec bar at which `ref` `offset` bars back is warm: its own timeframe has `warmup + offset` closed
   * bars before it. n when that never happens in the data.
   */
  firstWarmBar(ref: ResolvedRef, offset = 0): number {
    if (ref.source === 'builtin') return Math.min(offset, this.n);
    const raw = this.raw(ref);
    return this.warmBar(raw.tf, raw.warmup + offset);
  }

  /** First exec bar that sees at least `bars` closed bars of `tf` before the one it reads (n if none does). */
  warmBar(tf: Interval, bars: number): number {
    if (tf === this.data.execInterval) return Math.min(bars, this.n);
    const map = this.alignment(tf);
    for (let i = 0; i < map.length; i++) if (map[i] >= bars) return i;
    return this.n;
  }

  /** Every feature output and public structure field: `key` for a single-output feature, else `key.field`. */
  names(): string[] {
    const out: string[] = [];
    for (const [key, f] of this.set.features) {
      for (const field of Object.keys(f.outputs)) out.push(field === 'value' ? key : `${key}.${field}`);
    }
    for (const [key, s] of this.set.structures) {
      const impl = STRUCTURE_IMPLS[s.structure.type];
      for (const field of Object.keys(impl.outputs(s.structure.params))) out.push(`${key}.${field}`);
    }
    return out;
  }

  /** Parses reference text as written in a play ("ema_fast", "macd.histogram", "fib.level_0.618", "med_tf_1h.ms.bias"). */
  parse(text: string): ResolvedRef {
    let body = text;
    const q = QUALIFIED.exec(text);
    if (q) {
      const s = this.set.structures.get(q[3].split('.')[0]);
      if (!s || s.tf !== q[2] || (s.structure.role !== q[1])) throw unknownRef(text, `no structure declared under ${q[1]} on ${q[2]} has that key`);
      body = q[3];
    }
    if (!q && (BUILTINS as readonly string[]).includes(body)) return { source: 'builtin', name: body as BuiltinName, type: 'FLOAT' };
    const dot = body.indexOf('.');
    const key = dot < 0 ? body : body.slice(0, dot);
    const field = dot < 0 ? undefined : body.slice(dot + 1);
    const f = q ? undefined : this.set.features.get(key);
    if (f) {
      const name = field ?? 'value';
      const spec = INDICATORS[f.feature.indicator]?.outputs[name];
      if (!spec || !f.outputs[name]) throw unknownRef(text, `${f.feature.indicator} feature '${key}' has no output '${name}' (outputs: ${Object.keys(f.outputs).join(', ')})`);
      return { source: 'feature', key, field: name, type: spec.type };
    }
    const s = this.set.structures.get(key);
    if (s) {
      const hit = structureField(s.structure.type, s.structure.params, field ?? 'value');
      if (!hit || !s.outputs[hit.field]) throw unknownRef(text, `${s.structure.type} structure '${key}' has no field '${field ?? ''}'`);
      return { source: 'structure', key, field: hit.field, type: hit.spec.type };
    }
    throw unknownRef(text, 'not a declared feature or structure, nor a built-in series');
  }

  private builtin(name: BuiltinName): Float64Array {
    const c = this.data.exec;
    switch (name) {
      case 'open':
        return c.open;
      case 'high':
        return c.high;
      case 'low':
        return c.low;
      case 'volume':
        return c.volume;
      // Without 1m or mark-price data the last trade price at a bar's close is its close, and the mark price
      // is taken to be the last price.
      case 'close':
      case 'last_price':
      case 'mark_price':
        return c.close;
      case 'funding_rate':
        this.funding ??= forwardFillSettlements(this.data.funding, this.n);
        return this.funding;
      case 'open_interest':
        return missingSeries(this.n);
    }
  }

  private raw(ref: Exclude<ResolvedRef, { source: 'builtin' }>): RawColumn {
    if (ref.source === 'feature') {
      const f = this.set.features.get(ref.key);
      const col = f?.outputs[ref.field];
      if (!f || !col) throw unknownRef(refId(ref), 'the compiled play has no such feature output');
      return { tf: f.tf, col, type: ref.type, warmup: f.warmup };
    }
    const s = this.set.structures.get(ref.key);
    const col = s?.outputs[ref.field];
    if (!s || !col) throw unknownRef(refId(ref), 'the compiled play has no such structure field');
    const impl = STRUCTURE_IMPLS[s.structure.type];
    const spec = impl.outputs(s.structure.params)[ref.field];
    return { tf: s.tf, col, type: spec?.type ?? ref.type, labels: spec?.values, warmup: s.warmup };
  }

  private alignment(tf: Interval): Int32Array {
    const candles = this.set.candles.get(tf);
    if (!candles) throw new PlayforgeError('ENGINE_INTERNAL', `no ${tf} candles were prepared`);
    return alignmentOf(this.data, tf, candles, this.cache);
  }
}

export function refId(ref: ResolvedRef): string {
  return ref.source === 'builtin' ? ref.name : ref.field === 'value' ? ref.key : `${ref.key}.${ref.field}`;
}

function unknownRef(text: string, why: string): PlayforgeError {
  return new PlayforgeError('ENGINE_UNKNOWN_REFERENCE', `'${text}': ${why}`, { path: text });
}

// Computes a play's features (INDICATOR_IMPLS) and structures (STRUCTURE_IMPLS) on their own timeframes, in
// declaration order (the DSL guarantees dependencies come first), through the shared FeatureCache. Every cache
// key is canonical: data identity, timeframe, indicator/type, params, source, and, for structures, the keys
// of everything they read (dependencies by type, ATR features by content), so equal inputs share one column.
import { PlayforgeError } from '../../common/errors.ts';
import type { Candles } from '../../data/index.ts';
import { STRUCTURES, type Feature, type Interval, type Play, type Structure } from '../../dsl/index.ts';
import { INDICATOR_IMPLS, sourceSeries, type IndicatorParams, type SeriesInput } from '../../indicators/index.ts';
import { STRUCTURE_IMPLS, type StructureOutput } from '../../structures/index.ts';
import { ANCHORED_INDICATORS, anchorSourceOf, swingResets } from './anchors.ts';
import { canonicalKey, type FeatureCache } from './feature-cache.ts';
import { forwardFillSettlements, missingSeries, sampleOnTimeframe } from './market.ts';
import { barCloseTimes, candlesOf } from './timeframes.ts';
import type { PlayData } from './types.ts';

export interface ComputedFeature {
  feature: Feature;
  tf: Interval;
  outputs: Record<string, Float64Array>;
  /** Bars of its own timeframe before every output is trusted. */
  warmup: number;
  cacheKey: string;
}

export interface ComputedStructure {
  structure: Structure;
  tf: Interval;
  outputs: StructureOutput;
  warmup: number;
  cacheKey: string;
}

export interface FeatureSet {
  features: Map<string, ComputedFeature>;
  structures: Map<string, ComputedStructure>;
  /** Candles of every timeframe the play computes on. */
  candles: Map<Interval, Candles>;
  indicatorsMs: number;
  structuresMs: number;
}

const MARKET_SOURCES = new Set(['funding_rate', 'open_interest']);

/** Computes everything the play declares. `play` must be concrete (no ranges). */
export function computeFeatureSet(play: Play, data: PlayData, cache: FeatureCache): FeatureSet {
  const set: FeatureSet = { features: new Map(), structures: new Map(), candles: new Map(), indicatorsMs: 0, structuresMs: 0 };
  const ctx = new Computer(play, data, cache, set);
  // Anchored indicators read the play's swing structure, so they come after the structures; the map keeps
  // declaration order.
  const computed = new Map<string, ComputedFeature>();
  for (const f of play.features) if (!ANCHORED_INDICATORS.has(f.indicator)) computed.set(f.key, ctx.feature(f, f.tf));
  for (const s of play.structures) set.structures.set(s.key, ctx.structure(s));
  for (const f of play.features) if (ANCHORED_INDICATORS.has(f.indicator)) computed.set(f.key, ctx.feature(f, f.tf));
  for (const f of play.features) set.features.set(f.key, computed.get(f.key)!);
  return set;
}

class Computer {
  private readonly featureByKey: Map<string, Feature>;
  private execFunding?: Float64Array;

  constructor(
    private readonly play: Play,
    private readonly data: PlayData,
    private readonly cache: FeatureCache,
    private readonly set: FeatureSet,
  ) {
    this.featureByKey = new Map(play.features.map((f) => [f.key, f]));
  }

  candles(tf: Interval): Candles {
    let c = this.set.candles.get(tf);
    if (!c) {
      c = candlesOf(this.data, tf, this.cache);
      this.set.candles.set(tf, c);
    }
    return c;
  }

  /** `source:` series of a feature on `tf`: a candle column, a derived price, or a market series. */
  private source(source: string, tf: Interval, candles: Candles): { series: Float64Array; id: string } {
    const dataId = this.cache.idOf(candles);
    if (!MARKET_SOURCES.has(source)) return { series: sourceSeries(candles, source), id: dataId };
    if (source === 'open_interest') return { series: missingSeries(candles.length), id: `${dataId}|open_interest:none` };
    const n = this.data.exec.length;
    const fundingId = this.data.funding ? this.cache.idOf(this.data.funding) : 'none';
    this.execFunding ??= forwardFillSettlements(this.data.funding, n);
    const series = tf === this.data.execInterval
      ? this.execFunding
      : sampleOnTimeframe(this.execFunding, barCloseTimes(this.data.exec.ts, this.data.execInterval), barCloseTimes(candles.ts, tf));
    return { series, id: `${dataId}|funding:${fundingId}@${this.cache.idOf(this.data.exec)}` };
  }

  /** A feature computed on `tf` (its own, or a structure's timeframe when the structure reads it as atr_key). */
  feature(f: Feature, tf: Interval): ComputedFeature {
    const impl = INDICATOR_IMPLS[f.indicator];
    if (!impl) throw new PlayforgeError('ENGINE_UNKNOWN_INDICATOR', `feature '${f.key}': no implementation of indicator '${f.indicator}'`, { path: `features.${f.key}` });
    const candles = this.candles(tf);
    const params = f.params as IndicatorParams;
    const src = this.source(f.source, tf, candles);
    // An anchored indicator anchors on the play's first swing structure of its timeframe, when there is one.
    const swing = ANCHORED_INDICATORS.has(f.indicator)
      ? [...this.set.structures.values()].find((s) => s.structure.type === 'swing' && s.tf === tf)
      : undefined;
    const anchor = ANCHORED_INDICATORS.has(f.indicator) ? { anchor: swing ? swing.cacheKey : 'own pivots' } : {};
    const cacheKey = canonicalKey({ k: 'feature', data: src.id, tf, indicator: f.indicator, params, source: f.source, ...anchor });
    const t0 = performance.now();
    const outputs = this.cache.getOrCompute(cacheKey, () => {
      const input: SeriesInput = { ...columnsOf(candles), source: src.series, length: candles.length };
      const anchorResets = swing ? swingResets(swing.outputs, anchorSourceOf(f.indicator, params), candles.length) : undefined;
      return impl.compute(input, params, anchorResets ? { anchorResets } : undefined);
    });
    this.set.indicatorsMs += performance.now() - t0;
    return { feature: f, tf, outputs, warmup: impl.warmup(params), cacheKey };
  }

  structure(s: Structure): ComputedStructure {
    const impl = STRUCTURE_IMPLS[s.type];
    const spec = STRUCTURES[s.type];
    if (!impl || !spec) throw new PlayforgeError('ENGINE_UNKNOWN_STRUCTURE', `structure '${s.key}': no implementation of type '${s.type}'`, { path: `structures.${s.key}` });
    const deps: Record<string, StructureOutput> = {};
    const depKeys: Record<string, string> = {};
    const depParams: Record<string, Record<string, unknown>> = {};
    const addDep = (key: string, via: string) => {
      const d = this.set.structures.get(key);
      if (!d) throw new PlayforgeError('ENGINE_DEPENDENCY_ORDER', `structure '${s.key}' reads '${key}' (${via}), which is not declared before it`, { path: `structures.${s.key}` });
      if (d.tf !== s.tf) throw new PlayforgeError('ENGINE_DEPENDENCY_TIMEFRAME', `structure '${s.key}' on ${s.tf} reads '${key}' on ${d.tf} (${via}); dependencies must share a timeframe`, { path: `structures.${s.key}` });
      deps[d.structure.type] = d.outputs;
      depKeys[d.structure.type] = d.cacheKey;
      depParams[d.structure.type] = d.structure.params;
    };
    for (const u of s.uses) addDep(u, 'uses');
    // Params naming other declared things: a structure (breaker_block ms_key) or a feature (atr_key). In the
    // key they stand for what they name, so the key follows the content, not the play's naming.
    const keyParams: Record<string, unknown> = { ...s.params };
    const features: Record<string, Float64Array> = {};
    // Keyed by the param that reads the feature (not by the play's name for it), so equal content shares.
    const featureKeys: Record<string, string> = {};
    const readFeature = (name: string, slot: string) => {
      const f = this.featureByKey.get(name);
      const c = f && this.feature(f, s.tf);
      const col = c?.outputs.value;
      if (!c || !col) return;
      features[name] = col;
      featureKeys[slot] = c.cacheKey;
    };
    for (const [name, p] of Object.entries(spec.params)) {
      const v = s.params[name];
      if (p.kind !== 'ref' || typeof v !== 'string') continue;
      if (p.refTo === 'structure') {
        addDep(v, name);
        keyParams[name] = { structure: depKeys[this.set.structures.get(v)!.structure.type] };
      } else {
        readFeature(v, name);
        keyParams[name] = 'feature';
      }
    }
    // Detectors with an atr_key fall back to a feature named `atr` (TRADE's default) when the play has one.
    if (spec.params.atr_key && s.params.atr_key === undefined) readFeature('atr', 'atr_key');
    const candles = this.candles(s.tf);
    const cacheKey = canonicalKey({
      k: 'structure', data: this.cache.idOf(candles), tf: s.tf, type: s.type, params: keyParams, deps: depKeys, features: featureKeys,
    });
    const t0 = performance.now();
    const outputs = this.cache.getOrCompute(cacheKey, () =>
      impl.compute({ input: { ...columnsOf(candles), source: candles.close, length: candles.length }, params: s.params, deps, features }),
    );
    this.set.structuresMs += performance.now() - t0;
    return { structure: s, tf: s.tf, outputs, warmup: impl.warmup(s.params, depParams), cacheKey };
  }
}

function columnsOf(c: Candles) {
  return { ts: c.ts, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume };
}

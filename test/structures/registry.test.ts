// The DSL registry (what plays may reference) and the detectors (what is computed) must agree: every
// structure type has an implementation with the same output fields, types and ENUM values in the same order
// (the ENUM order is the numeric encoding), the same dependencies, and the same parameter defaults.
import { describe, expect, it } from 'vitest';
import { STRUCTURES } from '../../src/dsl/index.ts';
import { STRUCTURE_IMPLS, structureEnumValues, type StructureOutput } from '../../src/structures/index.ts';
import { prefix, realInput } from './helpers.ts';

/** Params that make each type concrete (required ones, and dynamic outputs at a sample size). */
const SAMPLE_PARAMS: Record<string, Record<string, unknown>> = {
  swing: { left: 5, right: 5 },
  rolling_window: { size: 20, source: 'high', mode: 'max' },
  displacement: { atr_key: 'atr_14' },
  fair_value_gap: {},
  trend: {},
  market_structure: {},
  fibonacci: { levels: [0.382, 0.5, 0.618, 1, 1.272, -0.272, 0.7071067] },
  zone: { zone_type: 'demand', width_atr: 1 },
  derived_zone: { levels: [0.382, 0.618], max_active: 4 },
  order_block: { atr_key: 'atr_14' },
  liquidity_zones: {},
  premium_discount: {},
  breaker_block: {},
  hmm_regime: {},
};

describe('DSL registry vs structure implementations', () => {
  it('has an implementation for every registry structure, and nothing extra', () => {
    expect(Object.keys(STRUCTURE_IMPLS).sort()).toEqual(Object.keys(STRUCTURES).sort());
  });

  for (const [type, spec] of Object.entries(STRUCTURES)) {
    describe(type, () => {
      const impl = STRUCTURE_IMPLS[type];
      const params = SAMPLE_PARAMS[type];

      it('emits the same output fields with the same types and ENUM values', () => {
        const dsl = spec.outputsFor(params);
        const ours = impl.outputs(params);
        expect(Object.keys(ours).sort()).toEqual(Object.keys(dsl).sort());
        for (const [field, o] of Object.entries(dsl)) {
          expect(ours[field].type, field).toBe(o.type);
          // no values = an open ENUM (an opaque id); otherwise the same labels in the same order
          expect(ours[field].values, field).toEqual(o.values);
          expect(structureEnumValues(type, field), field).toEqual(o.type === 'ENUM' ? o.values : undefined);
        }
      });

      it('allocates and computes exactly those columns', () => {
        const out = computeWithDeps(type, params, 60);
        const publicFields = Object.keys(out).filter((f) => !f.startsWith('_'));
        expect(publicFields.sort()).toEqual(Object.keys(spec.outputsFor(params)).sort());
      });

      it('reads the same dependencies', () => {
        const required = spec.uses.filter((u) => u.required).map((u) => u.type).sort();
        const all = spec.uses.map((u) => u.type).sort();
        // a dependency the registry requires may be optional for the detector (order_block's swing is
        // accepted but unused), never the other way round
        expect([...impl.dependencies.required].every((d) => required.includes(d)), 'impl requires only registry-required deps').toBe(true);
        expect([...impl.dependencies.required, ...impl.dependencies.optional].sort()).toEqual(all);
      });

      it("uses the registry's default for every parameter it leaves out", () => {
        const n = type === 'hmm_regime' ? 700 : 400;
        const base = computeWithDeps(type, params, n);
        for (const [name, p] of Object.entries(spec.params)) {
          if (p.default === undefined || name in params) continue;
          const explicit = computeWithDeps(type, { ...params, [name]: p.default }, n);
          for (const f of Object.keys(base)) expect(Array.from(explicit[f]), `${name} = ${String(p.default)} (field ${f})`).toEqual(Array.from(base[f]));
        }
      });
    });
  }
});

/** Run a structure on the first n real bars, with its dependencies (default params) computed first. */
function computeWithDeps(type: string, params: Record<string, unknown>, n: number): StructureOutput {
  const input = prefix(realInput(), n);
  const features = {};
  const run = (t: string, p: Record<string, unknown>, deps: Record<string, StructureOutput> = {}) =>
    STRUCTURE_IMPLS[t].compute({ input, params: p, deps, features });
  const swing = run('swing', { left: 3, right: 3 });
  const deps: Record<string, StructureOutput> = { swing };
  if (type === 'breaker_block') {
    deps.order_block = run('order_block', { body_atr_min: 1 }, { swing });
    deps.market_structure = run('market_structure', {}, { swing });
  }
  if (type === 'trend' || type === 'rolling_window' || type === 'displacement' || type === 'fair_value_gap' || type === 'hmm_regime') {
    return run(type, params);
  }
  return run(type, params, deps);
}

describe('warmup', () => {
  it("follows TRADE's formulas, with the dependency's swing params when given", () => {
    const sw = { swing: { left: 3, right: 4 } };
    const w = (type: string, p: Record<string, unknown> = {}, deps?: Record<string, Record<string, unknown>>) =>
      STRUCTURE_IMPLS[type].warmup(p, deps);
    expect(w('swing', { left: 3, right: 4 })).toBe(7);
    expect(w('trend', {}, sw)).toBe(35);
    expect(w('trend', {})).toBe(50 + 12); // standalone: EMA(50) plus its 12-bar slope window
    expect(w('market_structure', {}, sw)).toBe(21);
    expect(w('market_structure', {})).toBe(30); // TRADE assumes left = right = 5 when unknown
    expect(w('fibonacci', {}, sw)).toBe(7);
    expect(w('zone', {}, sw)).toBe(7);
    expect(w('derived_zone', {}, sw)).toBe(8);
    expect(w('rolling_window', { size: 20 })).toBe(20);
    expect(w('displacement')).toBe(1);
    expect(w('fair_value_gap')).toBe(3);
    expect(w('order_block', { lookback: 3 }, sw)).toBe(7);
    expect(w('liquidity_zones', { min_touches: 3 }, sw)).toBe(21);
    expect(w('premium_discount', {}, sw)).toBe(7);
    expect(w('breaker_block', {}, sw)).toBe(28);
    expect(w('hmm_regime', { train_bars: 500 })).toBe(510);
  });
});

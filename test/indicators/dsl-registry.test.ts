// The DSL registry (src/dsl/registry/indicators.ts, owned by the DSL engineer) and INDICATOR_IMPLS must
// describe the same 47 indicators: same names, same output fields in the same order, same parameter
// names, and output types that fit the values we produce.
import { describe, expect, it } from 'vitest';
import { INDICATORS } from '../../src/dsl/index.ts';
import { INDICATOR_IMPLS } from '../../src/indicators/index.ts';
import { realInput } from './helpers.ts';

describe('DSL registry <-> INDICATOR_IMPLS', () => {
  it('name the same indicators', () => {
    expect(Object.keys(INDICATORS).sort()).toEqual(Object.keys(INDICATOR_IMPLS).sort());
  });

  for (const name of Object.keys(INDICATORS)) {
    it(`${name}: same outputs and params`, () => {
      const spec = INDICATORS[name];
      const impl = INDICATOR_IMPLS[name];
      expect(impl, `no implementation for ${name}`).toBeDefined();
      expect([...impl.outputs]).toEqual(Object.keys(spec.outputs));
      expect(spec.multiOutput).toBe(impl.outputs.length > 1 || impl.outputs[0] !== 'value');
      expect(Object.keys(impl.defaults).sort()).toEqual(Object.keys(spec.params).sort());
      // Both follow TRADE's code defaults (its incremental factory, pandas_ta where TRADE gives none).
      for (const [param, ps] of Object.entries(spec.params)) expect(ps.default, `default of ${name}.${param}`).toBe(impl.defaults[param]);
    });
  }

  it('every implementation is registered in the DSL', () => {
    for (const name of Object.keys(INDICATOR_IMPLS)) expect(INDICATORS[name], name).toBeDefined();
  });

  it('accepts the DSL defaults and produces values that fit the declared output types', () => {
    const input = realInput();
    for (const [name, spec] of Object.entries(INDICATORS)) {
      const params = Object.fromEntries(Object.entries(spec.params).map(([k, p]) => [k, p.default as number | string]));
      const out = INDICATOR_IMPLS[name].compute(input, params);
      for (const [field, os] of Object.entries(spec.outputs)) {
        const a = out[field];
        for (let i = 0; i < a.length; i++) {
          const x = a[i];
          if (Number.isNaN(x)) continue;
          const ok = os.type === 'FLOAT' ? Number.isFinite(x) : os.type === 'BOOL' ? x === 0 || x === 1 : Number.isInteger(x);
          if (!ok) throw new Error(`${name}.${field}[${i}] = ${x} is not a ${os.type}`);
        }
      }
    }
  });
});

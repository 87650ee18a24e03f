// parse -> serialize -> parse gives an equal play, across the DSL's forms and TRADE's own plays.
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { loadPlay, serializePlay, playJsonSchema, type Play } from '../../src/dsl/index.ts';
import { buildPlaySchema } from '../../src/dsl/schema/play.ts';
import { SEED } from './helpers/seed.ts';
import { ok, play } from './helpers/load.ts';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/trade-plays');

function roundTrip(p: Play): Play {
  const text = serializePlay(p);
  const again = loadPlay(text, 'serialized.yml');
  expect(again.errors.map((e) => e.format())).toEqual([]);
  return again.play!;
}

const FORMS: Record<string, string> = {
  seed: SEED,
  'offsets, arithmetic, between, in, near, windows with ranges, setups, metadata': play(`timeframes: { low_tf: 5m, med_tf: 1h, high_tf: 4h, exec: low_tf }
features:
  ema_9: { indicator: ema, params: { length: [8, 9, 10] } }
  ema_21: { indicator: ema, tf: med_tf, params: { length: 21 } }
  rsi: { indicator: rsi, source: hl2 }
  atr_14: { indicator: atr }
structures:
  exec:
    - { type: swing, key: sw, params: { left: { min: 3, max: 7, step: 2 }, right: 5, atr_key: atr_14 } }
    - { type: market_structure, key: ms, uses: sw }
    - { type: fibonacci, key: fib, uses: sw, params: { levels: [0.5, 0.618, 1.0] } }
    - { type: premium_discount, key: pd, uses: sw }
  high_tf:
    "4h":
      - { type: swing, key: sw4, params: { left: 3, right: 3 } }
      - { type: trend, key: tr4, uses: sw4 }
setups:
  up: { all: [[ema_9, ">", ema_21], ["high_tf_4h.tr4.direction", "==", 1]] }
actions:
  entry_long:
    all:
      - setup: up
      - lhs: { feature_id: rsi, offset: 1 }
        op: "<"
        rhs: 30
      - [[ema_9, "-", ema_21], ">", { "*": [atr_14, 0.5] }]
      - [rsi, between, [20, 60]]
      - [ms.bos_direction, in, [BULLISH, none]]
      - [close, near_pct, "fib.level[1.0]", 2]
      - [pd.zone, "=", discount]
      - not: [[ms.choch_this_bar, "==", true]]
      - holds_for: { bars: [3, 5], anchor_tf: 5m, expr: [[close, ">", ema_21]] }
      - count_true_duration: { duration: 1h, min_true: 6, expr: { any: [[close, ">", ema_9], [rsi, ">", 50]] } }
    metadata: { entry_rsi: rsi, why: pullback, lvl: { feature_id: fib, field: "level_0.5" } }
  exit_long: { lhs: { feature_id: close, offset: 2 }, op: cross_below, rhs: ema_21 }
position_policy: { mode: long_only, exit_mode: first_hit }
risk:
  stop_loss: { type: trailing_atr, atr_multiplier: [1.5, 2.5], atr_feature_id: atr_14, activation_pct: 1 }
  take_profit_pct: { min: 2, max: 6 }
  break_even: { activation_pct: 1, offset_pct: 0.1 }
entry: { order_type: LIMIT, limit_offset_pct: 0.05 }
synthetic: { pattern: trend_up_clean, bars: 300, seed: 1 }
`),
  'cases blocks and risk_model': play(`features:
  rsi: { indicator: rsi }
  atr: { indicator: atr }
actions:
  - id: entry
    cases:
      - when: { all: [[rsi, "<", 30]] }
        emit: [{ action: entry_long, metadata: { r: rsi } }]
      - when: [rsi, ">", 70]
        emit: [{ action: exit_long, percent: 50 }, { action: entry_short }]
    else: { emit: [{ action: no_action }] }
position_policy: { mode: long_short, exit_mode: signal }
risk_model:
  stop_loss: { type: atr_multiple, value: [1.5, 2], atr_feature_id: atr }
  take_profit: { type: rr_ratio, value: { min: 1, max: 3, step: 0.5 } }
  sizing: { model: risk_based, value: 1, max_leverage: 3 }
deploy: { capital: 1000 }
`),
};

describe('round trip', () => {
  for (const [name, yaml] of Object.entries(FORMS)) {
    it(name, () => {
      const p = ok(yaml);
      const again = roundTrip(p);
      expect(again).toEqual(p);
      expect(roundTrip(again)).toEqual(p);
    });
  }

  it('TRADE fixture plays', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.yml'));
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const f of files) {
      const p = loadPlay(readFileSync(path.join(FIXTURES, f), 'utf8'), f).play!;
      expect(roundTrip(p), f).toEqual(p);
    }
  });

  it('writes ranges back in their YAML forms', () => {
    const text = serializePlay(ok(FORMS.seed));
    expect(text).toContain('length: [ 8, 12, 20 ]');
    expect(text).toContain('ema_length: [ 20, 50 ]');
    expect(text).toContain('[ regime.state, ==, trending_up ]');
  });
});

describe('JSON Schema export', () => {
  const schema = playJsonSchema() as { type: string; properties: Record<string, unknown>; required: string[]; $defs: Record<string, unknown> };

  it('describes the whole play and every indicator and structure', () => {
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['timeframes', 'features', 'structures', 'setups', 'actions', 'risk', 'risk_model', 'synthetic', 'validation', 'deploy']));
    expect(schema.required).toEqual(['name', 'actions']);
    const text = JSON.stringify(schema);
    for (const name of ['"supertrend"', '"anchored_volume_profile"', '"hmm_regime"', '"derived_zone"', '"holds_for_duration"', '"near_pct"']) expect(text).toContain(name);
    expect(Object.keys(schema.$defs)).toEqual(expect.arrayContaining(['Condition', 'Feature', 'Structure', 'IntParam', 'FloatParam']));
  });

  it('its source schema accepts valid plays (seed, TRADE fixtures, serialized plays) and rejects invalid ones', () => {
    const exported = buildPlaySchema('export');
    const yamls = [SEED, ...Object.values(FORMS), ...readdirSync(FIXTURES).filter((f) => f.endsWith('.yml')).map((f) => readFileSync(path.join(FIXTURES, f), 'utf8'))];
    for (const y of yamls) {
      expect(exported.safeParse(parseYaml(y)).success).toBe(true);
      expect(exported.safeParse(parseYaml(serializePlay(ok(y)))).success).toBe(true);
    }
    const bad = (y: string) => exported.safeParse(parseYaml(y)).success;
    expect(bad(SEED.replace('indicator: ema', 'indicator: hull'))).toBe(false);
    expect(bad(SEED.replace('length: [8, 12, 20]', 'period: 9'))).toBe(false);
    expect(bad(SEED.replace('type: trend', 'type: elliott'))).toBe(false);
    expect(bad(`${SEED}timeframes: { low_tf: 15m, med_tf: 1h, high_tf: D, exec: "15m" }\n`)).toBe(false);
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});

// Template slot filling: shared and clashing declarations, directions, redundant primitives, exits by slot;
// and the dedupe signature: blind to names, parameter values and thresholds, sensitive to what is computed and how.
import { beforeAll, describe, expect, it } from 'vitest';
import { composeRaw, directionsOf, playSignature, renderPlayYaml, type Composition } from '../../src/agent/index.ts';
import { loadPlay, type Play } from '../../src/dsl/index.ts';
import { loadCatalog, type Catalog, type Primitive } from '../../src/knowledge/catalog/index.ts';

let catalog: Catalog;
beforeAll(() => {
  catalog = loadCatalog();
});

const p = (id: string) => catalog.primitive(id)!;
const t = (id: string) => catalog.template(id)!;

function load(comp: Composition): Play {
  const raw = composeRaw(comp, { name: 'test_play_001', description: 'test' });
  expect(raw).toBeDefined();
  const { play, errors } = loadPlay(renderPlayYaml(raw!), 'test.yml');
  expect(errors.map((e) => e.format())).toEqual([]);
  return play!;
}

describe('composeRaw', () => {
  it('reproduces the seed idea: trend regime + transition + EMA confirmation, with exits from the regime slot only', () => {
    const play = load({
      template: t('regime_based'),
      fills: [
        { slot: 'regime', primitive: p('trend_regime') },
        { slot: 'confirm', primitive: p('ema_trend') },
        { slot: 'risk', primitive: p('atr_stop_rr') },
      ],
    });
    expect(play.structures.map((s) => [s.type, s.key])).toEqual([['trend', 'regime']]);
    expect(play.features.map((f) => f.key)).toEqual(['ema_fast', 'ema_slow', 'atr_14']);
    const yaml = renderPlayYaml(composeRaw({ template: t('regime_based'), fills: [{ slot: 'regime', primitive: p('trend_regime') }, { slot: 'confirm', primitive: p('ema_trend') }, { slot: 'risk', primitive: p('atr_stop_rr') }] }, { name: 'x', description: 'y' })!);
    expect(yaml).toContain('- [regime.transition, ==, recent]');
    expect(yaml).toContain('- [ema_fast, ">", ema_slow]');
    // ema_trend sits in a slot without exits: its cross exit must not appear, the regime's must.
    expect(yaml).not.toContain('cross_below');
    expect(yaml).toMatch(/exit_long:\n {4}- \[regime\.state, ==, trending_down\]/);
    expect(play.position_policy).toMatchObject({ mode: 'long_short', exit_mode: 'first_hit' });
    expect(play.risk_model?.stop_loss).toMatchObject({ type: 'atr_multiple', atr_feature_id: 'atr_14' });
    expect(play.validation?.pattern).toBe('trending');
  });

  it('shares identical declarations (one swing, one atr_14 for BOS + order block + ATR risk)', () => {
    const play = load({
      template: t('smc_reversal'),
      fills: [
        { slot: 'structure', primitive: p('break_of_structure') },
        { slot: 'zone', primitive: p('order_block') },
        { slot: 'filter', primitive: p('premium_discount') },
        { slot: 'risk', primitive: p('atr_stop_rr') },
      ],
    });
    expect(play.structures.filter((s) => s.type === 'swing')).toHaveLength(1);
    expect(play.features.filter((f) => f.indicator === 'atr')).toHaveLength(1);
    expect(play.position_policy.exit_mode).toBe('sl_tp_only');
  });

  it('renames a clashing key and every reference to it', () => {
    // Same key, different definition: a second EMA pair under ema_fast/ema_slow.
    const clash: Primitive = {
      ...p('ema_trend'),
      id: 'ema_trend_fast',
      kinds: ['momentum'],
      fragment: {
        features: { ema_fast: { indicator: 'ema', params: { length: [3, 5] } }, ema_slow: { indicator: 'ema', params: { length: [21, 34] } } },
        entry_long: [['ema_fast', 'cross_above', 'ema_slow']],
        entry_short: [['ema_fast', 'cross_below', 'ema_slow']],
      },
    };
    const play = load({
      template: t('regime_based'),
      fills: [
        { slot: 'regime', primitive: p('trend_regime') },
        { slot: 'confirm', primitive: p('ema_trend') },
        { slot: 'filter', primitive: clash },
        { slot: 'risk', primitive: p('atr_stop_rr') },
      ],
    });
    const byKey = Object.fromEntries(play.features.map((f) => [f.key, f.params.length]));
    expect(byKey).toMatchObject({ ema_fast: { choices: [8, 12, 20] }, ema_fast_2: { choices: [3, 5] }, ema_slow_2: { choices: [21, 34] } });
    const raw = JSON.stringify(composeRaw({ template: t('regime_based'), fills: [{ slot: 'regime', primitive: p('trend_regime') }, { slot: 'confirm', primitive: p('ema_trend') }, { slot: 'filter', primitive: clash }, { slot: 'risk', primitive: p('atr_stop_rr') }] }, { name: 'x', description: 'y' }));
    expect(raw).toContain('["ema_fast_2","cross_above","ema_slow_2"]');
    expect(raw).toContain('["ema_fast",">","ema_slow"]');
  });

  it('renames a structure whose dependency was renamed (uses: follows the new key)', () => {
    const otherSwing: Primitive = {
      ...p('premium_discount'),
      id: 'pd_wide',
      fragment: {
        structures: { exec: [{ type: 'swing', key: 'swing', params: { left: 10, right: 10 } }, { type: 'premium_discount', key: 'pd', uses: 'swing' }] },
        entry_long: [['pd.zone', '==', 'discount']],
        entry_short: [['pd.zone', '==', 'premium']],
      },
    };
    const play = load({
      template: t('smc_reversal'),
      fills: [
        { slot: 'structure', primitive: p('break_of_structure') },
        { slot: 'zone', primitive: p('fair_value_gap') },
        { slot: 'filter', primitive: otherSwing },
        { slot: 'risk', primitive: p('atr_stop_rr') },
      ],
    });
    expect(play.structures.map((s) => `${s.type}:${s.key}<-${s.uses.join(',')}`)).toEqual([
      'swing:swing<-', 'market_structure:ms<-swing', 'fair_value_gap:fvg<-', 'swing:swing_2<-', 'premium_discount:pd<-swing_2',
    ]);
  });

  it('narrows directions to what every primitive supports and refuses contradictions', () => {
    const spring = { template: t('range_reversal'), fills: [{ slot: 'event', primitive: p('wyckoff_spring') }, { slot: 'risk', primitive: p('atr_stop_rr') }] };
    expect(directionsOf(spring)).toEqual({ long: true, short: false });
    expect(load(spring).position_policy.mode).toBe('long_only');
    const bad: Composition = { template: t('range_reversal'), fills: [{ slot: 'event', primitive: p('wyckoff_upthrust') }, { slot: 'confirm', primitive: { ...p('volume_spike'), fragment: { ...p('volume_spike').fragment, entry_short: undefined } } }, { slot: 'risk', primitive: p('atr_stop_rr') }] };
    expect(directionsOf(bad)).toEqual({ long: false, short: false });
    expect(composeRaw(bad, { name: 'x', description: 'y' })).toBeUndefined();
  });

  it('refuses a primitive that adds nothing (a volume filter next to a spring that already checks volume)', () => {
    const comp = { template: t('range_reversal'), fills: [{ slot: 'event', primitive: p('wyckoff_spring') }, { slot: 'confirm', primitive: p('volume_spike') }, { slot: 'risk', primitive: p('atr_stop_rr') }] };
    expect(composeRaw(comp, { name: 'x', description: 'y' })).toBeUndefined();
  });
});

function play(text: string): Play {
  const { play: p, errors } = loadPlay(text, 'sig.yml');
  if (!p) throw new Error(errors.map((e) => e.format()).join('\n'));
  return p;
}

const base = (fast: string, slow: string, len: string, threshold: string, op = '">"', setup = 'fresh') => `
name: sig_test
features:
  ${fast}: { indicator: ema, params: { length: ${len} } }
  ${slow}: { indicator: ema, params: { length: [50, 100] } }
  atr_14: { indicator: atr, params: { length: 14 } }
structures:
  exec:
    - { type: trend, key: regime, params: { ema_length: [20, 50] } }
setups:
  ${setup}:
    all:
      - [regime.transition, ==, recent]
actions:
  entry_long:
    all:
      - setup: ${setup}
      - [regime.state, ==, trending_up]
      - [${fast}, ${op}, ${slow}]
      - [close, ">", ${threshold}]
risk_model:
  stop_loss: { type: atr_multiple, value: [1.5, 2.0], atr_feature_id: atr_14 }
  take_profit: { type: rr_ratio, value: 2.0 }
`;

describe('playSignature', () => {
  it('ignores keys, setup names, parameter values and numeric thresholds', () => {
    const a = playSignature(play(base('ema_fast', 'ema_slow', '[8, 12]', '0')));
    const b = playSignature(play(base('fast', 'slow', '{ min: 5, max: 30, step: 5 }', '100', '">"', 'new_regime')));
    expect(b).toBe(a);
  });

  it('changes with an operator, an enum label, an indicator or the risk rule types', () => {
    const a = playSignature(play(base('ema_fast', 'ema_slow', '[8, 12]', '0')));
    expect(playSignature(play(base('ema_fast', 'ema_slow', '[8, 12]', '0', 'cross_above')))).not.toBe(a);
    expect(playSignature(play(base('ema_fast', 'ema_slow', '[8, 12]', '0').replace('trending_up', 'trending_down')))).not.toBe(a);
    expect(playSignature(play(base('ema_fast', 'ema_slow', '[8, 12]', '0').replace('indicator: ema, params: { length: [50', 'indicator: sma, params: { length: [50')))).not.toBe(a);
    expect(playSignature(play(base('ema_fast', 'ema_slow', '[8, 12]', '0').replace('type: rr_ratio', 'type: percent')))).not.toBe(a);
  });
});

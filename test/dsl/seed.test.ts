// The seed's example must parse exactly as written (DESIGN.md "The Play DSL"): defaults fill the header,
// `=` means `==`, trend stands alone with ema_length and exposes state/transition, 3 genes / 18 combos.
import { describe, it, expect } from 'vitest';
import {
  DEFAULT_ACCOUNT, DEFAULT_RISK, genomeOf, loadPlay, serializePlay, spaceSize, enumerateGenomes, type Condition,
} from '../../src/dsl/index.ts';
import { SEED } from './helpers/seed.ts';

describe('the seed example', () => {
  const { play, errors } = loadPlay(SEED, 'seed.yml');

  it('parses exactly as written', () => {
    expect(errors).toEqual([]);
    expect(play).toBeDefined();
  });

  it('takes the documented header defaults', () => {
    expect(play!.version).toBe('3.0.0');
    expect(play!.symbol).toBe('BTCUSDT');
    expect(play!.timeframes).toEqual({ low_tf: '15m', med_tf: '1h', high_tf: 'D', exec: 'low_tf' });
    expect(play!.account).toEqual(DEFAULT_ACCOUNT);
    expect(play!.position_policy).toEqual({ mode: 'long_only', exit_mode: 'sl_tp_only', max_positions_per_symbol: 1 });
    expect(play!.risk).toEqual(DEFAULT_RISK);
    expect(play!.risk_model).toBeUndefined();
  });

  it('keeps feature keys that do not encode params, with ranges as choices', () => {
    expect(play!.features.map((f) => [f.key, f.indicator, f.params.length, f.tf, f.source])).toEqual([
      ['ema_fast', 'ema', { choices: [8, 12, 20] }, '15m', 'close'],
      ['ema_slow', 'ema', { choices: [50, 100, 200] }, '15m', 'close'],
    ]);
  });

  it('declares a standalone trend with ema_length and the default transition_bars', () => {
    expect(play!.structures).toEqual([
      { key: 'regime', type: 'trend', role: 'exec', tf: '15m', params: { ema_length: { choices: [20, 50] }, transition_bars: 5 }, uses: [] },
    ]);
  });

  it('reads "=" as "==" and the state names as ENUM constants', () => {
    const rules = play!.actions.form === 'rules' ? play!.actions.rules : [];
    expect(rules.map((r) => r.action)).toEqual(['entry_long']);
    const when = rules[0].when as Extract<Condition, { items: Condition[] }>;
    expect(when.kind).toBe('all');
    expect(when.items).toEqual([
      {
        kind: 'cmp', op: '==',
        lhs: { kind: 'ref', offset: 0, ref: { source: 'structure', key: 'regime', field: 'state', type: 'ENUM', values: ['trending_up', 'trending_down', 'ranging'] } },
        rhs: { kind: 'const', value: 'trending_up' },
      },
      {
        kind: 'cmp', op: '==',
        lhs: { kind: 'ref', offset: 0, ref: { source: 'structure', key: 'regime', field: 'transition', type: 'ENUM', values: ['recent', 'none'] } },
        rhs: { kind: 'const', value: 'recent' },
      },
      {
        kind: 'cmp', op: '>',
        lhs: { kind: 'ref', offset: 0, ref: { source: 'feature', key: 'ema_fast', field: 'value', type: 'FLOAT' } },
        rhs: { kind: 'ref', offset: 0, ref: { source: 'feature', key: 'ema_slow', field: 'value', type: 'FLOAT' } },
      },
    ]);
  });

  it('has 3 ranged parameters and 18 combinations', () => {
    expect(genomeOf(play!).map((g) => [g.path, g.size])).toEqual([
      ['features.ema_fast.params.length', 3],
      ['features.ema_slow.params.length', 3],
      ['structures.regime.params.ema_length', 2],
    ]);
    expect(spaceSize(play!)).toBe(18);
    expect([...enumerateGenomes(play!)]).toHaveLength(18);
  });

  it('round-trips through serializePlay', () => {
    expect(loadPlay(serializePlay(play!)).play).toEqual(play);
  });
});

// Header blocks: YAML positions, defaults, timeframes, account, position policy, risk, entry, synthetic,
// validation, backtest, deploy, strict unknown keys.
import { describe, it, expect } from 'vitest';
import { loadPlay } from '../../src/dsl/index.ts';
import { EMA_FEATURES, fail, ok, play, where } from './helpers/load.ts';

const ACTIONS = `actions:
  entry_long:
    - [ema_9, ">", ema_21]
`;
const base = (extra = '') => play(`${EMA_FEATURES}${ACTIONS}${extra}`);

describe('YAML and document level', () => {
  it('reports YAML syntax errors with file:line:column', () => {
    const r = loadPlay('name: x\nfeatures: { a: [1, 2\nactions: {}\n', 'bad.yml');
    expect(r.play).toBeUndefined();
    expect(r.errors[0].code).toBe('DSL_YAML_SYNTAX');
    expect(r.errors[0].location.file).toBe('bad.yml');
    expect(r.errors[0].location.line).toBeGreaterThanOrEqual(2);
  });

  it('rejects duplicate mapping keys at the second key', () => {
    expect(where(`${base()}name: again\n`)).toEqual(['DSL_DUPLICATE_KEY', 8, 1]);
  });

  it('rejects a document that is not a mapping', () => {
    expect(where('- a\n- b\n')[0]).toBe('DSL_NOT_A_MAPPING');
    expect(where('')[0]).toBe('DSL_NOT_A_MAPPING');
  });

  it('rejects unknown top-level keys at the key', () => {
    expect(where(`${base()}strategy: x\n`)).toEqual(['DSL_UNKNOWN_KEY', 8, 1]);
  });

  it('requires name and actions', () => {
    expect(where(`${EMA_FEATURES}${ACTIONS}`)[0]).toBe('DSL_MISSING_FIELD');
    expect(fail(play(EMA_FEATURES)).message).toMatch(/actions/);
  });

  it('resolves YAML aliases', () => {
    const p = ok(play(`features:\n  a: &e { indicator: ema, params: { length: 9 } }\n  b: *e\n${ACTIONS.replace('ema_9', 'a').replace('ema_21', 'b')}`));
    expect(p.features.map((f) => f.key)).toEqual(['a', 'b']);
  });

  it('only accepts version 3.0.0', () => {
    expect(ok(`version: "3.0.0"\n${base()}`).version).toBe('3.0.0');
    expect(where(`version: 2\n${base()}`)).toEqual(['DSL_INVALID_VALUE', 1, 10]);
  });
});

describe('timeframes', () => {
  const tf = (body: string) => base(`timeframes:\n${body}`);

  it('accepts the role mapping and resolves exec', () => {
    const p = ok(tf('  low_tf: 5m\n  med_tf: 1h\n  high_tf: 4h\n  exec: med_tf\n'));
    expect(p.timeframes).toEqual({ low_tf: '5m', med_tf: '1h', high_tf: '4h', exec: 'med_tf' });
    expect(p.features[0].tf).toBe('1h');
  });

  it('rejects exec given as a raw interval', () => {
    expect(where(tf('  low_tf: 15m\n  med_tf: 1h\n  high_tf: D\n  exec: "15m"\n'))).toEqual(['DSL_EXEC_NOT_ROLE', 12, 9]);
  });

  it('rejects htf/ltf keys (and not also the missing role they misspell)', () => {
    const e = fail(tf('  low_tf: 15m\n  med_tf: 1h\n  htf: D\n  exec: low_tf\n'));
    expect([e.code, e.location.line, e.location.column]).toEqual(['DSL_BAD_TIMEFRAME_KEY', 11, 3]);
  });

  it('rejects invalid intervals (there is no 8h)', () => {
    expect(where(tf('  low_tf: 15m\n  med_tf: 1h\n  high_tf: 8h\n  exec: low_tf\n'))).toEqual(['DSL_INVALID_TIMEFRAME', 11, 12]);
  });

  it('requires high_tf >= med_tf >= low_tf', () => {
    expect(where(tf('  low_tf: 1h\n  med_tf: 15m\n  high_tf: D\n  exec: low_tf\n'))).toEqual(['DSL_TIMEFRAME_ORDER', 10, 11]);
    expect(where(tf('  low_tf: 15m\n  med_tf: 4h\n  high_tf: 1h\n  exec: low_tf\n'))[0]).toBe('DSL_TIMEFRAME_ORDER');
    ok(tf('  low_tf: 15m\n  med_tf: 15m\n  high_tf: 15m\n  exec: high_tf\n'));
  });

  it('requires every role when the block is given', () => {
    expect(where(tf('  low_tf: 15m\n  med_tf: 1h\n  exec: low_tf\n'))).toEqual(['DSL_MISSING_FIELD', 9, 3]);
  });
});

describe('account and position policy', () => {
  it('fills account fields a play leaves out', () => {
    const p = ok(base('account:\n  starting_equity_usdt: 5000\n  fee_model: { taker_bps: 6 }\n'));
    expect(p.account.starting_equity_usdt).toBe(5000);
    expect(p.account.fee_model).toEqual({ taker_bps: 6, maker_bps: 2 });
    expect(p.account.min_trade_notional_usdt).toBe(10);
    expect(p.account.maintenance_margin_rate).toBe(0.005);
  });

  it('checks account bounds and keys', () => {
    expect(where(base('account:\n  max_leverage: 0.5\n'))).toEqual(['DSL_OUT_OF_BOUNDS', 9, 17]);
    expect(where(base('account:\n  leverage: 3\n'))).toEqual(['DSL_UNKNOWN_KEY', 9, 3]);
    expect(where(base('account:\n  margin_mode: cross\n'))[0]).toBe('DSL_INVALID_VALUE');
  });

  it('accepts mode, exit_mode and TRADE corpus fields max_positions / pyramid_mode', () => {
    const p = ok(base('position_policy:\n  mode: long_short\n  exit_mode: first_hit\n  max_positions: 3\n  pyramid_mode: scale_in\n'));
    expect(p.position_policy).toEqual({ mode: 'long_short', exit_mode: 'first_hit', max_positions_per_symbol: 1, max_positions: 3, pyramid_mode: 'scale_in' });
  });

  it('rejects the reserved allow_flip / allow_scale_in / allow_scale_out', () => {
    for (const k of ['allow_flip', 'allow_scale_in', 'allow_scale_out']) {
      expect(where(base(`position_policy:\n  mode: long_only\n  ${k}: false\n`))).toEqual(['DSL_RESERVED_FIELD', 10, 3]);
    }
  });

  it('supports only one position per symbol', () => {
    expect(where(base('position_policy:\n  max_positions_per_symbol: 2\n'))[0]).toBe('DSL_OUT_OF_BOUNDS');
  });
});

describe('risk', () => {
  it('defaults to stop 2% / take profit 4% when neither risk nor risk_model is given', () => {
    expect(ok(base()).risk).toEqual({ stop_loss_pct: 2, take_profit_pct: 4, max_position_pct: 100, tp_order_type: 'Market', sl_order_type: 'Market' });
  });

  it('accepts shorthand with ranges, a stop_loss rule dict and break-even', () => {
    const p = ok(base('risk:\n  stop_loss: { type: percent, value: [1, 2, 3] }\n  take_profit_pct: { min: 2, max: 6, step: 1 }\n  break_even: { activation_pct: 1.0, offset_pct: 0.1 }\n'));
    expect(p.risk!.stop_loss).toEqual({ type: 'percent', value: { choices: [1, 2, 3] } });
    expect(p.risk!.take_profit_pct).toEqual({ min: 2, max: 6, step: 1 });
    expect(p.risk!.break_even).toEqual({ activation_pct: 1, offset_pct: 0.1 });
  });

  it('requires a stop and a take profit in the shorthand', () => {
    expect(where(base('risk:\n  take_profit_pct: 4\n'))).toEqual(['DSL_MISSING_FIELD', 9, 3]);
  });

  it('accepts risk_model with sizing and defaults sizing when left out', () => {
    const atr = play(`features:\n  atr_14: { indicator: atr, params: { length: 14 } }\nactions:\n  entry_long: [[close, ">", 0]]\n`);
    const p = ok(`${atr}risk_model:\n  stop_loss: { type: atr_multiple, value: 2, atr_feature_id: atr_14 }\n  take_profit: { type: rr_ratio, value: 2 }\n  sizing: { model: risk_based, value: 1, max_leverage: 3 }\n`);
    expect(p.risk_model!.sizing).toEqual({ model: 'risk_based', value: 1, max_leverage: 3 });
    const q = ok(`${atr}risk_model:\n  stop_loss: { type: percent, value: 2 }\n  take_profit: { type: percent, value: 4 }\n`);
    expect(q.risk_model!.sizing).toEqual({ model: 'percent_equity', value: 100 });
  });

  it('checks atr_feature_id names a declared atr feature', () => {
    const rm = (id: string) => base(`risk_model:\n  stop_loss: { type: atr_multiple, value: 2, atr_feature_id: ${id} }\n  take_profit: { type: rr_ratio, value: 2 }\n`);
    expect(where(rm('atr_20'))[0]).toBe('DSL_UNDEFINED_REFERENCE');
    expect(where(rm('ema_9'))[0]).toBe('DSL_TYPE_MISMATCH');
  });

  it('requires the fields each stop type needs', () => {
    expect(where(base('risk:\n  stop_loss: { type: trailing_pct }\n  take_profit_pct: 3\n'))[0]).toBe('DSL_MISSING_FIELD');
    expect(where(base('risk:\n  stop_loss: { type: chandelier, value: 3 }\n  take_profit_pct: 3\n'))[0]).toBe('DSL_INVALID_VALUE');
  });

  it('rejects risk and risk_model together', () => {
    expect(where(base('risk:\n  stop_loss_pct: 2\n  take_profit_pct: 4\nrisk_model:\n  stop_loss: { type: percent, value: 2 }\n  take_profit: { type: percent, value: 4 }\n'))[0]).toBe('DSL_INVALID_VALUE');
  });
});

describe('entry, synthetic, validation, backtest, deploy and TRADE corpus blocks', () => {
  it('fills entry defaults', () => {
    expect(ok(base('entry:\n  order_type: LIMIT\n  limit_offset_pct: 0.05\n')).entry).toEqual({ order_type: 'LIMIT', limit_offset_pct: 0.05, time_in_force: 'GTC', expire_after_bars: 0 });
    expect(where(base('entry:\n  time_in_force: DAY\n'))[0]).toBe('DSL_INVALID_VALUE');
  });

  it('accepts synthetic and validation blocks', () => {
    const p = ok(base('synthetic: { pattern: trend_up_clean, bars: 200, seed: 7 }\nvalidation:\n  pattern: range_wide\n  expect_entries: [5, 100]\n  expect_direction: long\n  min_win_rate: 0.3\n  max_drawdown_pct: 25\n'));
    expect(p.synthetic).toEqual({ pattern: 'trend_up_clean', bars: 200, seed: 7 });
    expect(p.validation!.expect_entries).toEqual([5, 100]);
    expect(where(base('synthetic: { pattern: moon_shot }\n'))[0]).toBe('DSL_INVALID_VALUE');
    expect(where(base('synthetic: { bars: 10 }\n'))[0]).toBe('DSL_MISSING_FIELD');
  });

  it('accepts date_range, expected, risk_limits, backtest and deploy', () => {
    const p = ok(base('date_range: { start: "2024-01-10", end: "2024-03-14" }\nexpected: { min_trades: 1 }\nrisk_limits: { max_drawdown_pct: 50 }\nbacktest: { equity: 5000 }\ndeploy: { capital: 500 }\n'));
    expect(p.date_range).toEqual({ start: '2024-01-10', end: '2024-03-14' });
    expect(p.deploy).toEqual({ capital: 500, settle_coin: 'USDT', dcp_window: 30 });
    expect(where(base('date_range: { start: yesterday, end: "2024-03-14" }\n'))[0]).toBe('DSL_INVALID_VALUE');
    expect(where(base('deploy: { settle_coin: BTC }\n'))[0]).toBe('DSL_INVALID_VALUE');
  });
});

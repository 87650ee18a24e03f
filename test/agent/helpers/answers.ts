// Scripted model answers: a valid play (the seed's idea with a risk model), and broken variants.

export const VALID_PLAY = {
  version: '3.0.0',
  name: 'model_chose_this_name',
  description: 'Long at the start of an up-trend regime when the fast EMA is above the slow EMA',
  symbol: 'BTCUSDT',
  timeframes: { low_tf: '15m', med_tf: '1h', high_tf: '4h', exec: 'med_tf' },
  features: {
    ema_fast: { indicator: 'ema', params: { length: [8, 12, 20] } },
    ema_slow: { indicator: 'ema', params: { length: [50, 100, 200] } },
    atr_14: { indicator: 'atr', params: { length: 14 } },
  },
  structures: { exec: [{ type: 'trend', key: 'regime', params: { ema_length: [20, 50] } }] },
  actions: {
    entry_long: { all: [['regime.state', '==', 'trending_up'], ['regime.transition', '==', 'recent'], ['ema_fast', '>', 'ema_slow']] },
    exit_long: [['regime.state', '==', 'trending_down']],
  },
  position_policy: { mode: 'long_only', exit_mode: 'first_hit', max_positions_per_symbol: 1 },
  risk_model: {
    stop_loss: { type: 'atr_multiple', value: { min: 1.5, max: 3.0, step: 0.5 }, atr_feature_id: 'atr_14' },
    take_profit: { type: 'rr_ratio', value: [1.5, 2.0, 3.0] },
    sizing: { model: 'risk_based', value: 1.0, max_leverage: 3.0 },
  },
};

/** A structurally different valid play: an HMM regime with a MACD confirmation. */
export const OTHER_PLAY = {
  ...VALID_PLAY,
  description: 'Trade a fresh HMM bull regime when MACD momentum agrees',
  features: { macd: { indicator: 'macd', params: { fast: [8, 12], slow: [26], signal: [9] } }, atr_14: VALID_PLAY.features.atr_14 },
  structures: { exec: [{ type: 'hmm_regime', key: 'hmm', params: { n_states: [2, 3], train_bars: [500, 1000] } }] },
  actions: { entry_long: { all: [['hmm.state', '==', 'bull'], ['hmm.transition', '==', 'recent'], ['macd.histogram', '>', 0]] } },
  position_policy: { mode: 'long_only', exit_mode: 'sl_tp_only', max_positions_per_symbol: 1 },
};

export function answer(play: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { play, primitives: ['trend_regime', 'ema_trend', 'atr_stop_rr', 'not_a_primitive'], chunk_ids: [3, 5, 999], rationale: 'A fresh trend regime confirmed by EMA alignment.', ...extra };
}

/** Schema-level mistakes: an unknown top-level key and an exit mode that does not exist. */
export const SCHEMA_BROKEN = { ...VALID_PLAY, notes: 'free text', position_policy: { ...VALID_PLAY.position_policy, exit_mode: 'whenever' } };

/** Declaration-level mistake: a misspelt indicator. */
export const INDICATOR_BROKEN = { ...VALID_PLAY, features: { ...VALID_PLAY.features, ema_fast: { indicator: 'emma', params: { length: [8, 12, 20] } } } };

/** Reference-level mistake: a condition on a feature that is not declared. */
export const REFERENCE_BROKEN = { ...VALID_PLAY, actions: { entry_long: { all: [['regime.state', '==', 'trending_up'], ['ema_fast', '>', 'ema_slw']] } } };

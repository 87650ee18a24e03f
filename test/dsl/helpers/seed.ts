// The seed's example play, verbatim from DESIGN.md.
export const SEED = `name: regime_markov_candidate_001
description: "Generated from Simons Markov knowledge"
features:
  ema_fast: { indicator: ema, params: { length: [8, 12, 20] } }
  ema_slow: { indicator: ema, params: { length: [50, 100, 200] } }
structures:
  exec:
    - type: trend
      key: regime
      params:
        ema_length: [20, 50]
actions:
  entry_long:
    all:
      - [regime.state, "=", trending_up]
      - [regime.transition, "=", recent]
      - [ema_fast, ">", ema_slow]
`;

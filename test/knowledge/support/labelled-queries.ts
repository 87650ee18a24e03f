// Labelled queries over the shipped sources (knowledge/sources), for measuring retrieval. Each query is what a
// user might ask, mostly not in the source's own words; it is answered by the chunks of `file` that contain
// `phrase` (case-insensitive), or by any chunk of `file` when no phrase is given. Written from the texts
// before any ranking was measured, and not tuned to the results.

export interface Relevant {
  file: string;
  phrase?: string;
}

export interface LabelledQuery {
  query: string;
  relevant: Relevant[];
}

export const LABELLED_QUERIES: readonly LabelledQuery[] = [
  {
    query: 'use only filtered probabilities so the regime signal has no look-ahead bias',
    relevant: [{ file: 'simons_markov.md', phrase: 'filtered probability' }],
  },
  {
    query: 'how long does a regime last on average given the transition matrix',
    relevant: [
      { file: 'simons_markov.md', phrase: 'expected duration' },
      { file: 'statsmodels_markov_autoregression.md', phrase: 'expected duration' },
    ],
  },
  {
    query: 'go long when an uptrend is confirmed by the model and momentum agrees',
    relevant: [{ file: 'simons_markov.md', phrase: 'confirmed transition into the trending-up' }],
  },
  {
    query: 'false break below support that quickly reverses and shakes out weak holders',
    relevant: [{ file: 'wyckoff.md', phrase: 'Spring' }],
  },
  {
    query: 'heavy volume but the price barely moves, a warning the move may turn',
    relevant: [{ file: 'wyckoff.md', phrase: 'Effort versus result' }],
  },
  {
    query: 'gap between the previous high and the next low of a bullish candle',
    relevant: [{ file: 'smc_smart-money-concepts_README.md', phrase: 'fair value gap' }],
  },
  {
    query: 'break of structure and change of character',
    relevant: [{ file: 'smc_smart-money-concepts_README.md', phrase: 'CHoCH' }],
  },
  {
    query: 'order block: the last opposite candle before a strong move',
    relevant: [{ file: 'smc_smart-money-concepts_README.md', phrase: 'Order Blocks' }],
  },
  {
    query: 'trade two cointegrated assets when the spread between them diverges',
    relevant: [{ file: 'quant-trading_je-suis-tm_README.md', phrase: 'Pair trading' }],
  },
  {
    query: 'breakout at the London open using the last hour before it as the range',
    relevant: [{ file: 'quant-trading_je-suis-tm_README.md', phrase: 'London Breakout' }],
  },
  {
    query: "range breakout with thresholds from previous days' open, close, high and low",
    relevant: [{ file: 'quant-trading_je-suis-tm_README.md', phrase: 'Dual Thrust' }],
  },
  {
    query: 'set the stop-loss and take-profit prices when opening a long position',
    relevant: [
      { file: 'jesse_strategies_entering-and-exiting.md', phrase: 'go_long' },
      { file: 'jesse_strategies_example-strategies.md', phrase: 'stop_loss' },
    ],
  },
  {
    query: 'move the stop to break even once the trade is in profit',
    relevant: [{ file: 'jesse_strategies_example-strategies.md', phrase: 'break even' }],
  },
  {
    query: 'keep a separate period of data for validation so optimised parameters are not overfit',
    relevant: [{ file: 'jesse_optimize_overfitting.md' }],
  },
  {
    query: 'can I short sell in spot mode or only with futures',
    relevant: [{ file: 'jesse_strategies_futures-vs-spot.md' }],
  },
  {
    query: 'buy when price is two standard deviations below its average and sell back at the mean',
    relevant: [{ file: 'mean_reversion.md', phrase: 'z-score' }],
  },
  {
    query: 'half-life of a stationary spread from an Ornstein-Uhlenbeck fit',
    relevant: [{ file: 'mean_reversion.md', phrase: 'half-life' }],
  },
  {
    query: 'stock returns that switch between low, medium and high variance regimes',
    relevant: [{ file: 'statsmodels_markov_autoregression.md', phrase: 'Kim, Nelson' }],
  },
  {
    query: 'federal funds rate with a regime-switching intercept',
    relevant: [{ file: 'statsmodels_markov_regression.md', phrase: 'federal funds' }],
  },
];

/**
 * Queries whose words appear in the answer only in another form: other spellings (optimise/optimize), other
 * inflections (overfitted/overfitting, recessionary/recession), compounds split differently (breakeven/break
 * even). Exact-term BM25 misses these words; word pieces (character n-grams) still match them. Written after
 * the set above turned out to be easy for every method on this small corpus.
 */
export const WORD_FORM_QUERIES: readonly LabelledQuery[] = [
  { query: "optimising a strategy's tunable settings", relevant: [{ file: 'jesse_optimize_index.md' }] },
  { query: 'signs that a backtest was overfitted', relevant: [{ file: 'jesse_optimize_overfitting.md', phrase: 'Warning Signs' }] },
  { query: 'recessionary and expansionary regimes of output', relevant: [{ file: 'statsmodels_markov_autoregression.md', phrase: 'Hamilton' }] },
  { query: 'breakeven stop', relevant: [{ file: 'jesse_strategies_example-strategies.md', phrase: 'break even' }] },
  { query: 'leveraged contracts versus holding the coins', relevant: [{ file: 'jesse_strategies_futures-vs-spot.md' }] },
  { query: 'prices reverting after stretching away from averages', relevant: [{ file: 'mean_reversion.md' }] },
  { query: 'accumulating quietly before the markup', relevant: [{ file: 'wyckoff.md', phrase: 'Accumulation' }] },
  { query: 'standardised residuals of cointegrated pairs', relevant: [{ file: 'quant-trading_je-suis-tm_README.md', phrase: 'Pair trading' }] },
  { query: 'oversold momentum oscillators', relevant: [{ file: 'mean_reversion.md', phrase: 'RSI' }, { file: 'quant-trading_je-suis-tm_README.md', phrase: 'Relative Strength Index' }] },
  { query: 'stops clustered under equal lows get swept', relevant: [{ file: 'smc_smart-money-concepts_README.md', phrase: 'Liquidity' }, { file: 'wyckoff.md', phrase: 'Spring' }] },
];

// Shared shapes of the indicator stage (agreed in INTERFACES.md: do not change without telling the team).

/** Columnar candles plus the play's `source:` series, all the same length. */
export interface SeriesInput {
  ts: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  /** The feature's `source:` series (close by default); used by indicators that read one price series. */
  source: Float64Array;
  length: number;
}

export type IndicatorParams = Record<string, number | string>;

/**
 * Optional extra inputs for indicators that anchor on structure events (anchored_vwap,
 * anchored_volume_profile). `anchorResets[t] === 1` means a new anchor starts at bar t.
 * When absent, those indicators detect swing pivots themselves (see anchors.ts).
 */
export interface IndicatorContext {
  anchorResets?: ArrayLike<number>;
}

export interface IndicatorImpl {
  name: string;
  /** Output field names exactly as TRADE's DSL table lists them; single-output indicators: ['value']. */
  outputs: readonly string[];
  /** Every parameter the indicator accepts, with its default (TRADE's factory defaults). */
  defaults: Readonly<IndicatorParams>;
  /** Pure; allocates only its outputs (plus O(window) scratch). NaN until the first defined value. */
  compute(input: SeriesInput, params: IndicatorParams, ctx?: IndicatorContext): Record<string, Float64Array>;
  /**
   * Bars to skip before trusting every output (TRADE's "stable" rule where its registry gives one,
   * never less than the bars needed for every output to be defined).
   */
  warmup(params: IndicatorParams): number;
}

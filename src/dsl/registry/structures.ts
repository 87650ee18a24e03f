// The 13 structure detectors of TRADE's Play DSL (docs/dsl/structures.md) plus the seed's hmm_regime and
// trend's state/transition outputs. Params, `uses:` dependencies and typed outputs, incl. dynamic ones.
import { domainMin, isChoiceSet, isNumRange, type ParamValue } from '../ranges.ts';
import type { OutputSpec, ParamSpec, StructureDependency, StructureSpec } from './types.ts';

const F: OutputSpec = { type: 'FLOAT' };
const I: OutputSpec = { type: 'INT' };
const B: OutputSpec = { type: 'BOOL' };
const en = (...values: string[]): OutputSpec => ({ type: 'ENUM', values });
const OPEN_ENUM: OutputSpec = { type: 'ENUM', description: 'opaque identifier; compare with == / != only' };

const int = (def: number | undefined, min: number, max: number, description: string, required = false): ParamSpec => ({
  kind: 'int', description, default: def, min, max, required,
});
const pos = (def: number | undefined, description: string, max = 100): ParamSpec => ({
  kind: 'float', description, default: def, min: 0, minExclusive: true, max,
});
const nonneg = (def: number | undefined, description: string, max = 100): ParamSpec => ({
  kind: 'float', description, default: def, min: 0, max,
});
const bool = (def: boolean, description: string): ParamSpec => ({ kind: 'bool', description, default: def });
const atrKey = (required: boolean): ParamSpec => ({
  kind: 'ref', refTo: 'feature', required,
  description: required ? 'key of a declared ATR feature' : 'key of a declared ATR feature (absent: the detector uses its own ATR(14))',
});
const levels: ParamSpec = {
  kind: 'float_list', required: true, min: -10, max: 10,
  description: 'fibonacci ratios, e.g. [0.382, 0.5, 0.618]; the list is the value',
};

const uses = (...deps: [string, boolean][]): StructureDependency[] => deps.map(([type, required]) => ({ type, required }));

function staticSpec(
  type: string,
  description: string,
  params: Record<string, ParamSpec>,
  deps: StructureDependency[],
  outputs: Record<string, OutputSpec>,
): StructureSpec {
  return { type, description, params, uses: deps, outputs, outputsFor: () => ({ ...outputs }) };
}

/** Fibonacci level keys print a ratio the way JS prints the number (1.0 -> "1", like TRADE's `:g`). */
export function formatRatio(r: number): string {
  return String(r);
}

function levelList(params: Readonly<Record<string, unknown>>): number[] {
  const v = params.levels;
  return Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : [];
}

/** Slots that exist for every value a (possibly ranged) max_active can take. */
function slotCount(params: Readonly<Record<string, unknown>>): number {
  const v = params.max_active as ParamValue | undefined;
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  if (isChoiceSet(v) || isNumRange(v)) return domainMin(v) ?? 0;
  return 0;
}

const ZONE_SLOT_FIELDS: Record<string, OutputSpec> = {
  state: en('none', 'active', 'broken'),
  upper: F, lower: F, touched_this_bar: B, inside: B, touch_count: I, age_bars: I,
  anchor_idx: I, last_touch_age: I, instance_id: I,
};

const TREND_OUTPUTS: Record<string, OutputSpec> = {
  direction: { type: 'INT', description: '1 up, -1 down, 0 ranging' },
  strength: { type: 'INT', description: '0 weak, 1 normal, 2 strong' },
  bars_in_trend: I, wave_count: I,
  last_wave_direction: en('bullish', 'bearish', 'none'),
  last_hh: B, last_hl: B, last_lh: B, last_ll: B,
  version: I,
  state: { ...en('trending_up', 'trending_down', 'ranging'), description: 'seed extension: trend state' },
  transition: { ...en('recent', 'none'), description: 'recent for transition_bars bars after a state change' },
};

const BLOCK_OUTPUTS: Record<string, OutputSpec> = {
  new_this_bar: B,
  new_direction: { type: 'INT', description: '1 bull, -1 bear, 0 none' },
  new_upper: F, new_lower: F,
  nearest_bull_upper: F, nearest_bull_lower: F, nearest_bear_upper: F, nearest_bear_lower: F,
  active_bull_count: I, active_bear_count: I,
  any_mitigated_this_bar: B,
  version: I,
};

const list: StructureSpec[] = [
  staticSpec('swing', 'pivot highs/lows with delayed confirmation (fractal) or ATR zigzag', {
    left: int(undefined, 1, 500, 'bars left of the pivot (required in fractal mode)'),
    right: int(undefined, 1, 500, 'bars right of the pivot (required in fractal mode)'),
    mode: { kind: 'enum', description: 'pivot detection mode', default: 'fractal', values: ['fractal', 'atr_zigzag'] },
    atr_key: atrKey(false),
    major_threshold: pos(1.5, 'ATR multiple for a major pivot'),
    min_atr_move: nonneg(undefined, 'ignore pivots that moved less than this ATR multiple'),
    min_pct_move: nonneg(undefined, 'ignore pivots that moved less than this percentage'),
    strict_alternation: bool(false, 'enforce high-low-high-low'),
    atr_multiplier: pos(2, 'ATR multiple that reverses the zigzag (atr_zigzag mode)'),
  }, [], {
    high_level: F, low_level: F, high_idx: I, low_idx: I,
    version: I, high_version: I, low_version: I,
    high_significance: F, low_significance: F, high_is_major: B, low_is_major: B,
    high_accepted: B, low_accepted: B, high_replaced_pending: B, low_replaced_pending: B,
    pair_high_level: F, pair_low_level: F, pair_high_idx: I, pair_low_idx: I,
    pair_direction: en('bullish', 'bearish'), pair_version: I, pair_anchor_hash: OPEN_ENUM,
    last_confirmed_pivot_idx: I, last_confirmed_pivot_type: en('high', 'low'),
  }),
  staticSpec('rolling_window', 'sliding min or max of one price series', {
    size: int(undefined, 1, 5000, 'window size in bars', true),
    source: { kind: 'enum', required: true, description: 'series', values: ['open', 'high', 'low', 'close', 'volume'] },
    mode: { kind: 'enum', required: true, description: 'min or max', values: ['min', 'max'] },
  }, [], { value: F }),
  staticSpec('displacement', 'impulsive candle: large body, small wicks', {
    atr_key: atrKey(true),
    body_atr_min: pos(1.5, 'minimum body / ATR'),
    wick_ratio_max: nonneg(0.4, 'maximum wicks / body'),
  }, [], {
    is_displacement: B, direction: { type: 'INT', description: '1 bull, -1 bear, 0 none' },
    body_atr_ratio: F, wick_ratio: F, last_idx: I, last_direction: I, version: I,
  }),
  staticSpec('fair_value_gap', 'three-candle imbalances with mitigation tracking', {
    atr_key: atrKey(false),
    min_gap_atr: nonneg(0, 'minimum gap as an ATR multiple'),
    max_active: int(5, 1, 50, 'tracked gaps'),
  }, [], {
    ...BLOCK_OUTPUTS,
    nearest_bull_fill_pct: F, nearest_bear_fill_pct: F,
  }),
  staticSpec('trend', 'wave trend from swings (HH/HL vs LL/LH); standalone with ema_length when it has no uses:', {
    ema_length: int(50, 2, 1000, 'EMA period of a standalone trend (no uses:)'),
    transition_bars: int(5, 1, 500, 'bars `transition` stays `recent` after a state change'),
  }, uses(['swing', false]), TREND_OUTPUTS),
  staticSpec('market_structure', 'ICT break of structure (BOS) and change of character (CHoCH)', {
    confirmation_close: bool(false, 'require a close beyond the level (else the wick counts)'),
  }, uses(['swing', true]), {
    bias: { type: 'INT', description: '1 bull, -1 bear, 0 ranging' },
    bos_this_bar: B, choch_this_bar: B,
    bos_direction: en('bullish', 'bearish', 'none'), choch_direction: en('bullish', 'bearish', 'none'),
    last_bos_idx: I, last_bos_level: F, last_choch_idx: I, last_choch_level: F,
    break_level_high: F, break_level_low: F, version: I,
    direction: { type: 'INT', description: 'direction of the latest BOS/CHoCH: 1 bull, -1 bear, 0 none' },
    event_type: { type: 'INT', description: 'event this bar: 0 none, 1 BOS, 2 CHoCH' },
  }),
  {
    type: 'fibonacci',
    description: 'retracement/extension levels from swing anchors',
    params: {
      levels,
      mode: { kind: 'enum', description: 'level formula', default: 'retracement', values: ['retracement', 'extension', 'extension_up', 'extension_down'] },
      use_paired_anchor: bool(true, 'anchor on the latest complete swing pair'),
      use_trend_anchor: bool(false, 'anchor on the trend wave (needs uses: [swing, trend], use_paired_anchor: false)'),
    },
    uses: uses(['swing', true], ['trend', false]),
    outputs: {
      anchor_high: F, anchor_low: F, range: F,
      anchor_direction: en('bullish', 'bearish', ''), anchor_hash: OPEN_ENUM, anchor_trend_direction: I,
    },
    outputsFor(params) {
      const out: Record<string, OutputSpec> = {};
      for (const r of levelList(params)) out[`level[${formatRatio(r)}]`] = F;
      return { ...out, ...this.outputs };
    },
  },
  staticSpec('zone', 'one demand or supply zone from swing pivots', {
    zone_type: { kind: 'enum', required: true, description: 'demand or supply', values: ['demand', 'supply'] },
    width_atr: pos(undefined, 'zone width as an ATR multiple'),
    atr_key: atrKey(false),
  }, uses(['swing', true]), {
    state: en('none', 'active', 'broken'), upper: F, lower: F, anchor_idx: I, version: I,
  }),
  {
    type: 'derived_zone',
    description: 'K zone slots from fibonacci ratios of swings, with aggregates',
    params: {
      levels,
      mode: { kind: 'enum', description: 'level formula', default: 'retracement', values: ['retracement', 'extension'] },
      max_active: int(undefined, 1, 50, 'zone slots', true),
      width_pct: { kind: 'float', description: 'zone width as a fraction of the level', default: 0.002, min: 0, minExclusive: true, max: 1 },
      use_paired_source: bool(true, 'regenerate zones only on complete swing pairs'),
      break_tolerance_pct: nonneg(0.001, 'tolerance before a zone counts as broken (fraction)', 1),
    },
    uses: uses(['swing', true]),
    outputs: {
      active_count: I, any_active: B, any_touched: B, any_inside: B,
      first_active_lower: F, first_active_upper: F, first_active_idx: I, newest_active_idx: I, source_version: I,
    },
    outputsFor(params) {
      const out: Record<string, OutputSpec> = {};
      for (let n = 0; n < slotCount(params); n++) {
        for (const [f, spec] of Object.entries(ZONE_SLOT_FIELDS)) out[`zone[${n}].${f}`] = spec;
      }
      return { ...out, ...this.outputs };
    },
  },
  staticSpec('order_block', 'last opposing candle before a displacement, tracked for mitigation', {
    atr_key: atrKey(true),
    use_body: bool(true, 'body (true) or full range (false)'),
    require_displacement: bool(true, 'only after a displacement candle'),
    body_atr_min: pos(1.5, 'displacement threshold: body / ATR'),
    wick_ratio_max: nonneg(0.4, 'displacement wick limit'),
    max_active: int(5, 1, 50, 'tracked blocks'),
    lookback: int(3, 1, 50, 'bars back to search for the opposing candle'),
  }, uses(['swing', true], ['displacement', false]), { ...BLOCK_OUTPUTS, any_invalidated_this_bar: B }),
  staticSpec('liquidity_zones', 'clusters of swing highs/lows as liquidity pools, with sweeps', {
    atr_key: atrKey(false),
    tolerance_atr: pos(0.3, 'cluster tolerance as an ATR multiple'),
    sweep_atr: pos(0.1, 'sweep penetration as an ATR multiple'),
    min_touches: int(2, 2, 20, 'swings needed to form a zone'),
    max_active: int(5, 1, 50, 'tracked zones'),
    max_swing_history: int(20, 2, 500, 'swings remembered'),
  }, uses(['swing', true]), {
    sweep_this_bar: B,
    sweep_direction: { type: 'INT', description: '1 swept highs (bearish), -1 swept lows (bullish), 0 none' },
    swept_level: F, nearest_high_level: F, nearest_low_level: F,
    nearest_high_touches: I, nearest_low_touches: I, new_zone_this_bar: B, version: I,
  }),
  staticSpec('premium_discount', 'ICT premium/discount position within the swing range', {}, uses(['swing', true]), {
    zone: en('premium', 'discount', 'equilibrium', 'none'),
    equilibrium: F, premium_level: F, discount_level: F, depth_pct: F, version: I,
  }),
  staticSpec('breaker_block', 'failed order blocks flipped on CHoCH', {
    max_active: int(5, 1, 50, 'tracked breakers'),
    ms_key: { kind: 'ref', refTo: 'structure', refType: 'market_structure', description: 'key of a market_structure for CHoCH confirmation' },
  }, uses(['order_block', true], ['market_structure', false]), { ...BLOCK_OUTPUTS }),
  staticSpec('hmm_regime', 'Gaussian hidden Markov model over returns and volatility, forward-filtered', {
    n_states: int(3, 2, 4, 'hidden states'),
    train_bars: int(500, 50, 100_000, 'bars used to fit the model'),
    refit_every: int(100, 1, 100_000, 'bars between refits'),
    transition_bars: int(5, 1, 500, 'bars `transition` stays `recent` after a state change'),
  }, [], {
    state: en('bull', 'bear', 'sideways', 'high_volatility'),
    probability: { type: 'FLOAT', description: 'filtered probability of the current state' },
    transition: en('recent', 'none'),
  }),
];

export const STRUCTURES: Readonly<Record<string, StructureSpec>> = Object.freeze(
  Object.fromEntries(list.map((s) => [s.type, s])),
);

export const STRUCTURE_TYPES: readonly string[] = Object.freeze(list.map((s) => s.type));

export interface FieldLookup {
  /** Canonical spelling (`level[0.618]`, `zone[0].state`). */
  field: string;
  spec: OutputSpec;
}

/**
 * Resolves a field of a structure, accepting TRADE's spellings: `level[0.618]`, `level_0.618`, `level[1.0]`,
 * `zone[0].state`, `zone0_state`. Returns undefined when the structure never emits it.
 */
export function structureField(type: string, params: Readonly<Record<string, unknown>>, field: string): FieldLookup | undefined {
  const spec = STRUCTURES[type];
  if (!spec) return undefined;
  if (type === 'fibonacci') {
    const m = /^level(?:\[(-?[0-9.]+)\]|_(-?[0-9.]+))$/.exec(field);
    if (m) {
      const r = Number(m[1] ?? m[2]);
      if (!Number.isFinite(r) || !levelList(params).some((l) => Math.abs(l - r) < 1e-12)) return undefined;
      return { field: `level[${formatRatio(r)}]`, spec: F };
    }
  }
  if (type === 'derived_zone') {
    const m = /^zone(?:\[(\d+)\]\.|(\d+)_)([a-z_]+)$/.exec(field);
    if (m) {
      const n = Number(m[1] ?? m[2]);
      const slotSpec = ZONE_SLOT_FIELDS[m[3]];
      if (!slotSpec || n >= slotCount(params)) return undefined;
      return { field: `zone[${n}].${m[3]}`, spec: slotSpec };
    }
  }
  const out = spec.outputs[field];
  return out ? { field, spec: out } : undefined;
}

/** Human list of a structure's fields for error messages (dynamic ones shown by pattern). */
export function describeStructureFields(type: string): string {
  const spec = STRUCTURES[type];
  if (!spec) return '';
  const extra = type === 'fibonacci' ? ['level[<ratio>]'] : type === 'derived_zone' ? ['zone[<N>].<field>'] : [];
  return [...extra, ...Object.keys(spec.outputs)].join(', ');
}

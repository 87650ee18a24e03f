// The prompt: the DSL's rules in brief, the registries, the primitives catalogue with each fragment, a valid
// example composed from the catalogue (so it can never drift from the DSL), the Play's JSON Schema, and the
// source's passages.
import { INDICATORS, playJsonSchema, STRUCTURES } from '../../dsl/index.ts';
import type { Catalog } from '../../knowledge/catalog/index.ts';
import { composeRaw } from '../compose.ts';
import type { Passage, TranslationSource } from '../source.ts';

export const ANSWER_SCHEMA_NAME = 'submit_play';

/** The answer: the play plus what it was built from. The play schema's $defs move to the top level. */
export function answerSchema(): Record<string, unknown> {
  const { $defs, $schema: _s, title: _t, ...play } = playJsonSchema() as Record<string, unknown>;
  return {
    type: 'object',
    properties: {
      play: { ...play, description: 'the play, as the JSON form of its YAML' },
      primitives: { type: 'array', items: { type: 'string' }, description: 'ids of the catalogue primitives the play uses' },
      chunk_ids: { type: 'array', items: { type: 'integer' }, description: 'ids of the passages the idea comes from' },
      rationale: { type: 'string', description: 'what the play encodes and why, in one or two sentences' },
    },
    required: ['play', 'primitives', 'chunk_ids', 'rationale'],
    additionalProperties: false,
    ...($defs ? { $defs } : {}),
  };
}

function registrySummary(): string {
  const ind = Object.values(INDICATORS).map((s) => `${s.name}(${Object.keys(s.params).join(', ')})${s.multiOutput ? ` -> ${Object.keys(s.outputs).join(', ')}` : ''}`);
  const str = Object.values(STRUCTURES).map((s) => {
    const uses = s.uses.length ? ` uses ${s.uses.map((u) => `${u.type}${u.required ? '' : '?'}`).join(', ')}` : '';
    return `${s.type}(${Object.keys(s.params).join(', ')})${uses} -> ${Object.entries(s.outputs).map(([k, o]) => (o.values ? `${k}[${o.values.join('|')}]` : k)).join(', ')}`;
  });
  return `Indicators (params -> fields; single-output ones are read by their key):\n${ind.map((l) => `- ${l}`).join('\n')}\n\nStructures (params, dependencies -> fields, enum labels in []):\n${str.map((l) => `- ${l}`).join('\n')}`;
}

function catalogSummary(catalog: Catalog): string {
  return catalog.primitives
    .map((p) => `- ${p.id} [${p.kinds.join(', ')}]: ${p.title}. ${p.rationale}\n  fragment: ${JSON.stringify(p.fragment)}`)
    .join('\n');
}

function examplePlay(catalog: Catalog): string | undefined {
  const template = catalog.template('regime_based');
  const ids = ['trend_regime', 'ema_trend', 'atr_stop_rr'];
  const prims = ids.map((id) => catalog.primitive(id));
  if (!template || prims.some((p) => !p)) return undefined;
  const slots = ['regime', 'confirm', 'risk'];
  const raw = composeRaw(
    { template, fills: prims.map((p, i) => ({ slot: slots[i], primitive: p! })) },
    { name: 'example_regime_001', description: 'Long at the start of an up-trend regime confirmed by fast EMA > slow EMA, short in the mirror case' },
  );
  return raw ? JSON.stringify({ play: raw, primitives: ids, chunk_ids: [12], rationale: 'A fresh trend regime confirmed by EMA alignment.' }) : undefined;
}

export function systemPrompt(catalog: Catalog, opts: { includeSchema?: boolean } = {}): string {
  const example = examplePlay(catalog);
  return [
    "You are Playforge's translation agent. You turn trading knowledge into candidate strategies (\"plays\") in the Play DSL (TRADE Play DSL v3.0.0 with parameter ranges) for Bybit USDT perpetuals. A genetic algorithm will tune the ranged parameters, so the play must encode the idea of the text, not a curve fit.",
    '',
    'Answer with exactly one JSON object {"play": {...}, "primitives": [...], "chunk_ids": [...], "rationale": "..."} and nothing else.',
    '',
    'Rules:',
    '1. version "3.0.0", symbol "BTCUSDT", timeframes {"low_tf": "15m", "med_tf": "1h", "high_tf": "4h", "exec": "med_tf"}, the name you are given, and a description saying what the play encodes.',
    '2. features: key -> {indicator, params, tf?, source?}. A single-output feature is read by its key (ema_fast), a multi-output one as key.field (macd.histogram, bb.lower, adx.adx).',
    '3. structures: by role (exec, high_tf, ...), a list of {type, key, uses?, params}; fields are read as key.field (regime.state, ms.bos_this_bar). Dependencies (uses) come first.',
    '4. Conditions: [lhs, op, rhs] with op one of > < >= <= == != between near_pct near_abs in cross_above cross_below; {all: [...]}, {any: [...]}, {not: ...}; named setups referenced as {setup: name}; windows {occurred_within | holds_for | count_true: {bars, expr: [...]}}; an earlier bar as {feature_id, field, offset}; arithmetic operands like [volume, "/", volume_sma]. Never == or != on a FLOAT series (prices, indicators): use > < or near_pct. ENUM fields compare with == / != to their labels.',
    '5. Every tunable parameter (indicator and structure params, window bars, risk values) carries a range: a list of choices like [8, 12, 20] or {min, max, step}. Thresholds inside conditions are fixed numbers.',
    '6. actions: entry_long / entry_short (conditions that must all hold: {all: [...]}) and, where the idea has one, exit_long / exit_short.',
    '7. position_policy: {mode: long_only | short_only | long_short, exit_mode: first_hit (exit signals or SL/TP, whichever first) | sl_tp_only | signal, max_positions_per_symbol: 1}.',
    '8. risk_model: stop_loss {type: atr_multiple, value: <range>, atr_feature_id: <a declared atr feature>} (or trailing_atr), take_profit {type: rr_ratio, value: <range>} (or atr_multiple), sizing {model: risk_based, value: 1.0, max_leverage: 3.0}.',
    '9. No look-ahead: a condition at a bar may only read that bar and earlier ones.',
    '10. Built-in series: open high low close volume funding_rate (the perpetual funding rate, a fraction per 8 h funding interval: 0.0001 = 0.01 %).',
    '11. primitives: the ids of the catalogue primitives below that the play uses (an empty list when none fits); chunk_ids: the ids of the passages the idea comes from; rationale: one or two sentences.',
    '',
    registrySummary(),
    '',
    'Primitives catalogue (id [kinds]: title. rationale; the DSL fragment it contributes, conditions per side):',
    catalogSummary(catalog),
    ...(example ? ['', 'A valid answer (for its form; your play must follow the source):', example] : []),
    ...(opts.includeSchema === false ? [] : ['', 'JSON Schema of the play:', JSON.stringify(playJsonSchema())]),
  ].join('\n');
}

export interface PreviousCandidate {
  name: string;
  primitives: string[];
  description?: string;
}

export function passagesText(passages: readonly Passage[]): string {
  return passages.map((p) => `[chunk ${p.chunkId}]${p.heading ? ` ${p.heading}` : ''}\n${p.text.trim()}`).join('\n\n');
}

export function userPrompt(source: TranslationSource, passages: readonly Passage[], task: { name: string; index: number; n: number; previous: readonly PreviousCandidate[] }): string {
  const lines = [
    `Source document: "${source.title}" (${source.documentPath}).`,
    '',
    'Passages:',
    passagesText(passages),
    '',
    `Write candidate ${task.index} of ${task.n}, a play named exactly "${task.name}" that encodes a trading idea of this source.`,
  ];
  if (task.previous.length) {
    lines.push('Candidates already written (make this one structurally different: other primitives, entry logic or exits):');
    for (const p of task.previous) lines.push(`- ${p.name}: primitives ${p.primitives.join(', ') || '(none)'}${p.description ? `; ${p.description}` : ''}`);
  }
  return lines.join('\n');
}

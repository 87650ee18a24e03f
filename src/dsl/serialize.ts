// Play -> YAML in the DSL's own forms, such that loadPlay(serializePlay(p)).play deep-equals p.
// Conditions are written in the compact list form [lhs, op, rhs]; offsets use {feature_id, offset}.
import { Document, isScalar, visit } from 'yaml';
import { isChoiceSet, isNumRange, type ParamValue } from './ranges.ts';
import { refText } from './references.ts';
import { execInterval } from './declarations.ts';
import type { ActionBlock, Condition, Emit, MetadataValue, Operand, Play, Structure } from './types.ts';

/** A ranged value as written in YAML: choices as a list, a range as {min, max, step}. */
export function rawParam(v: ParamValue): unknown {
  if (isChoiceSet(v)) return [...v.choices];
  if (isNumRange(v)) return v.step === undefined ? { min: v.min, max: v.max } : { min: v.min, max: v.max, step: v.step };
  return Array.isArray(v) ? [...v] : v;
}

function rawParams(params: Record<string, ParamValue>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, rawParam(v)]));
}

export function rawOperand(o: Operand): unknown {
  switch (o.kind) {
    case 'const':
      return o.value;
    case 'list':
      return [...o.values];
    case 'range':
      return [o.low, o.high];
    case 'arith':
      return [rawOperand(o.left), o.op, rawOperand(o.right)];
    case 'ref': {
      if (o.offset === 0) return refText(o.ref);
      if (o.ref.source === 'builtin') return { feature_id: o.ref.name, offset: o.offset };
      return o.ref.field === 'value' ? { feature_id: o.ref.key, offset: o.offset } : { feature_id: o.ref.key, field: o.ref.field, offset: o.offset };
    }
  }
}

export function rawCondition(c: Condition): unknown {
  switch (c.kind) {
    case 'cmp': {
      const list = [rawOperand(c.lhs), c.op, rawOperand(c.rhs)];
      return c.tolerance === undefined ? list : [...list, c.tolerance];
    }
    case 'all':
    case 'any':
      return { [c.kind]: c.items.map(rawCondition) };
    case 'not':
      return { not: rawCondition(c.item) };
    case 'setup':
      return { setup: c.name };
    case 'window': {
      const body: Record<string, unknown> = {};
      if (c.duration !== undefined) body.duration = c.duration;
      else body.bars = rawParam(c.bars!);
      if (c.min_true !== undefined) body.min_true = rawParam(c.min_true);
      if (c.anchor_tf !== undefined) body.anchor_tf = c.anchor_tf;
      body.expr = rawCondition(c.expr);
      return { [c.duration !== undefined ? `${c.op}_duration` : c.op]: body };
    }
  }
}

/** A condition as a mapping (so `metadata` can sit beside it): comparisons in the verbose form. */
function conditionAsMapping(c: Condition): Record<string, unknown> {
  if (c.kind === 'cmp') {
    return { lhs: rawOperand(c.lhs), op: c.op, rhs: rawOperand(c.rhs), ...(c.tolerance === undefined ? {} : { tolerance: c.tolerance }) };
  }
  return rawCondition(c) as Record<string, unknown>;
}

function rawMetadata(m: Record<string, MetadataValue>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v.kind === 'ref' ? refText(v.ref) : v.value]));
}

function rawEmit(e: Emit): Record<string, unknown> {
  return { action: e.action, ...(e.percent === undefined ? {} : { percent: e.percent }), ...(e.metadata ? { metadata: rawMetadata(e.metadata) } : {}) };
}

function rawBlock(b: ActionBlock): Record<string, unknown> {
  return {
    id: b.id,
    cases: b.cases.map((c) => ({ when: rawCondition(c.when), emit: c.emit.map(rawEmit) })),
    ...(b.else ? { else: { emit: b.else.emit.map(rawEmit) } } : {}),
  };
}

function rawStructures(list: readonly Structure[]): Record<string, unknown> | undefined {
  if (list.length === 0) return undefined;
  const out: Record<string, unknown> = {};
  for (const s of list) {
    const decl = {
      type: s.type,
      key: s.key,
      ...(s.uses.length === 1 ? { uses: s.uses[0] } : s.uses.length > 1 ? { uses: [...s.uses] } : {}),
      ...(Object.keys(s.params).length ? { params: rawParams(s.params) } : {}),
    };
    if (s.tf_key !== undefined) {
      const byTf = (out[s.role] ??= {}) as Record<string, unknown[]>;
      (byTf[s.tf_key] ??= []).push(decl);
    } else {
      ((out[s.role] ??= []) as unknown[]).push(decl);
    }
  }
  return out;
}

function rawRiskBlock(v: unknown): unknown {
  if (isChoiceSet(v) || isNumRange(v)) return rawParam(v);
  if (Array.isArray(v)) return [...v];
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rawRiskBlock(x)]));
  return v;
}

/** The Play as the plain YAML-shaped object serializePlay writes. */
export function playToRaw(play: Play): Record<string, unknown> {
  const exec = execInterval(play.timeframes);
  const raw: Record<string, unknown> = { version: play.version, name: play.name };
  if (play.description !== undefined) raw.description = play.description;
  raw.symbol = play.symbol;
  raw.timeframes = { ...play.timeframes };
  raw.account = { ...play.account, fee_model: { ...play.account.fee_model } };
  raw.features = Object.fromEntries(
    play.features.map((f) => [
      f.key,
      {
        indicator: f.indicator,
        ...(Object.keys(f.params).length ? { params: rawParams(f.params) } : {}),
        ...(f.tf !== exec ? { tf: f.tf } : {}),
        ...(f.source !== 'close' ? { source: f.source } : {}),
      },
    ]),
  );
  const structures = rawStructures(play.structures);
  if (structures) raw.structures = structures;
  if (Object.keys(play.setups).length) {
    raw.setups = Object.fromEntries(Object.entries(play.setups).map(([k, c]) => [k, rawCondition(c)]));
  }
  raw.actions =
    play.actions.form === 'blocks'
      ? play.actions.blocks.map(rawBlock)
      : Object.fromEntries(
          play.actions.rules.map((r) => [r.action, r.metadata ? { ...conditionAsMapping(r.when), metadata: rawMetadata(r.metadata) } : rawCondition(r.when)]),
        );
  raw.position_policy = { ...play.position_policy };
  if (play.risk) raw.risk = rawRiskBlock(play.risk);
  if (play.risk_model) raw.risk_model = rawRiskBlock(play.risk_model);
  for (const k of ['entry', 'synthetic', 'validation', 'expected', 'risk_limits', 'date_range', 'backtest', 'deploy'] as const) {
    if (play[k] !== undefined) raw[k] = structuredClone(play[k]);
  }
  return raw;
}

/** YAML text of a Play; lists of scalars (conditions, choices) are written inline for readability. */
export function serializePlay(play: Play): string {
  const doc = new Document(playToRaw(play));
  visit(doc, {
    Seq(_, node) {
      if (node.items.every((i) => isScalar(i))) node.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0 });
}

// The normalised structure of a play, for deduplicating candidates: what it computes and how it decides,
// without the names it gives things, parameter values or thresholds. Two plays with the same signature
// differ only where evolution would explore anyway (keys, lengths, constants).
import type { Condition, Operand, Play, ResolvedRef } from '../dsl/index.ts';
import { canonical } from './compose.ts';

function refShape(play: Play, ref: ResolvedRef): string {
  if (ref.source === 'builtin') return ref.name;
  if (ref.source === 'feature') {
    const f = play.features.find((x) => x.key === ref.key);
    return `${f ? `${f.indicator}/${f.source}@${f.tf}` : '?'}.${ref.field}`;
  }
  const s = play.structures.find((x) => x.key === ref.key);
  return `${s ? `${s.type}@${s.tf}` : '?'}.${ref.field}`;
}

function operandShape(play: Play, o: Operand): unknown {
  switch (o.kind) {
    case 'ref':
      return o.offset ? [refShape(play, o.ref), `offset`] : refShape(play, o.ref);
    case 'const':
      // Enum labels carry meaning (trending_up vs trending_down); numbers are thresholds to evolve.
      return typeof o.value === 'string' ? o.value : '#';
    case 'list':
      return o.values.map((v) => (typeof v === 'string' ? v : '#'));
    case 'range':
      return ['#', '#'];
    case 'arith':
      return [operandShape(play, o.left), o.op, operandShape(play, o.right)];
  }
}

function conditionShape(play: Play, c: Condition, depth = 0): unknown {
  switch (c.kind) {
    case 'cmp':
      return [operandShape(play, c.lhs), c.op, operandShape(play, c.rhs)];
    case 'all':
    case 'any':
      return { [c.kind]: c.items.map((i) => canonical(conditionShape(play, i, depth))).sort() };
    case 'not':
      return { not: conditionShape(play, c.item, depth) };
    case 'setup': {
      const body = play.setups[c.name];
      // Setups are inlined so naming does not matter; the depth guard only protects against malformed input.
      return body && depth < 16 ? conditionShape(play, body, depth + 1) : { setup: '?' };
    }
    case 'window':
      return { [c.op]: conditionShape(play, c.expr, depth), ...(c.duration ? { duration: true } : {}) };
  }
}

export function playSignature(play: Play): string {
  const features = play.features.map((f) => `${f.indicator}/${f.source}@${f.tf}(${Object.keys(f.params).sort().join(',')})`).sort();
  const structures = play.structures.map((s) => `${s.type}@${s.tf}`).sort();
  const actions =
    play.actions.form === 'rules'
      ? play.actions.rules.map((r) => `${r.action}:${canonical(conditionShape(play, r.when))}`).sort()
      : play.actions.blocks.map((b) => canonical(b.cases.map((k) => [conditionShape(play, k.when), k.emit.map((e) => e.action)])));
  const rm = play.risk_model;
  const risk = rm ? [rm.stop_loss.type, rm.take_profit.type, rm.sizing.model, rm.break_even ? 'break_even' : ''] : ['shorthand'];
  return canonical({ features, structures, actions, mode: play.position_policy.mode, exit: play.position_policy.exit_mode, risk });
}

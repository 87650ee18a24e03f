// What a play reads besides its declarations: the built-in series (close, funding_rate, open_interest, ...)
// named in its conditions, metadata or as a feature `source:`. Lets a loader fetch funding only when needed.
import type { BuiltinName, Condition, MetadataValue, Operand, Play } from '../../dsl/index.ts';

export function builtinsRead(play: Play): Set<BuiltinName> {
  const out = new Set<BuiltinName>();
  for (const f of play.features) if (f.source === 'funding_rate' || f.source === 'open_interest') out.add(f.source);
  const operand = (o: Operand): void => {
    if (o.kind === 'ref' && o.ref.source === 'builtin') out.add(o.ref.name);
    if (o.kind === 'arith') {
      operand(o.left);
      operand(o.right);
    }
  };
  const meta = (m: Record<string, MetadataValue> | undefined): void => {
    for (const v of Object.values(m ?? {})) if (v.kind === 'ref' && v.ref.source === 'builtin') out.add(v.ref.name);
  };
  const cond = (c: Condition): void => {
    switch (c.kind) {
      case 'cmp':
        operand(c.lhs);
        operand(c.rhs);
        break;
      case 'all':
      case 'any':
        c.items.forEach(cond);
        break;
      case 'not':
        cond(c.item);
        break;
      case 'window':
        cond(c.expr);
        break;
      case 'setup':
        break;
    }
  };
  Object.values(play.setups).forEach(cond);
  if (play.actions.form === 'rules') {
    for (const r of play.actions.rules) {
      cond(r.when);
      meta(r.metadata);
    }
  } else {
    for (const b of play.actions.blocks) {
      for (const c of b.cases) {
        cond(c.when);
        c.emit.forEach((e) => meta(e.metadata));
      }
      b.else?.emit.forEach((e) => meta(e.metadata));
    }
  }
  return out;
}

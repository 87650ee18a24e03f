// A raw play -> YAML text in the style of examples/plays: feature declarations, parameters, risk rules and
// conditions written inline, blocks for the rest, and a header comment saying where the play came from.
import { Document, isCollection, isMap, isPair, isScalar, isSeq, type Node } from 'yaml';

const FLOW_MAP_PARENTS = new Set(['params', 'stop_loss', 'take_profit', 'sizing', 'break_even', 'fee_model']);

function isSmall(node: unknown): boolean {
  if (isScalar(node)) return true;
  if (isSeq(node)) return node.items.every(isSmall);
  if (isMap(node)) return node.items.every((p) => isPair(p) && isScalar(p.key) && isSmall(p.value));
  return false;
}

/** `[lhs, op, rhs]` / `[lhs, op, rhs, tolerance]` or an arithmetic operand `[a, "/", b]`. */
function isInlineCondition(node: { items: unknown[] }): boolean {
  const op = node.items[1];
  return (node.items.length === 3 || node.items.length === 4) && isScalar(op) && typeof op.value === 'string' && node.items.every(isSmall);
}

function styleNode(node: unknown, parentKey: string | undefined, grandKey: string | undefined): void {
  if (!isCollection(node)) return;
  if (isSeq(node)) {
    // Choice lists and each condition [lhs, op, rhs] (with arithmetic operands) stay on one line; lists of
    // conditions are blocks, one condition per line.
    if (node.items.length > 0 && (node.items.every(isScalar) || isInlineCondition(node))) {
      node.flow = true;
      return;
    }
    for (const item of node.items) styleNode(item, undefined, parentKey);
    return;
  }
  const flowMap =
    (parentKey !== undefined && FLOW_MAP_PARENTS.has(parentKey)) ||
    grandKey === 'features' ||
    // {feature_id, field, offset} operands and {min, max, step} ranges
    node.items.some((p) => isPair(p) && isScalar(p.key) && (p.key.value === 'feature_id' || p.key.value === 'min'));
  if (flowMap && isSmall(node)) {
    node.flow = true;
    return;
  }
  for (const pair of node.items) {
    if (!isPair(pair)) continue;
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    // A feature declaration is one line: `ema_fast: { indicator: ema, params: { length: [8, 12] } }`.
    styleNode(pair.value as Node, key, parentKey === 'features' ? 'features' : parentKey);
  }
}

export function renderPlayYaml(raw: Record<string, unknown>, headerLines: readonly string[] = []): string {
  const doc = new Document(raw);
  styleNode(doc.contents, undefined, undefined);
  const body = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  // Blank lines between top-level blocks, as in the hand-written examples.
  const spaced = body.replace(/\n(?=(?:features|structures|setups|actions|position_policy|risk_model|validation|timeframes|account):)/g, '\n\n');
  const header = headerLines.map((l) => (l ? `# ${l}` : '#')).join('\n');
  return header ? `${header}\n${spaced}` : spaced;
}

// Source positions on normalized nodes (conditions, features, structures) for later stages' messages.
// Stored non-enumerable, so a Play still deep-equals its round trip and serializes without them.
import type { SourceLocation } from '../common/errors.ts';

const LOC = Symbol('playforge.loc');

export function setLoc<T extends object>(node: T, loc: SourceLocation): T {
  Object.defineProperty(node, LOC, { value: loc, enumerable: false, configurable: true });
  return node;
}

/** Where a node of a loaded Play was written (undefined for nodes built in code or cloned). */
export function locOf(node: object): SourceLocation | undefined {
  return (node as Record<symbol, SourceLocation | undefined>)[LOC];
}

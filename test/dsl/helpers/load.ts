// Test helpers: load inline YAML plays and read their first error.
import { expect } from 'vitest';
import { loadPlay, type Play } from '../../../src/dsl/index.ts';
import type { PlayforgeError } from '../../../src/common/errors.ts';

/** Loads a play that must be valid; fails the test with every error otherwise. */
export function ok(yaml: string): Play {
  const r = loadPlay(yaml, 'test.yml');
  expect(r.errors.map((e) => e.format())).toEqual([]);
  return r.play!;
}

/** Loads a play that must be invalid; returns its first error. */
export function fail(yaml: string): PlayforgeError {
  const r = loadPlay(yaml, 'test.yml');
  expect(r.play).toBeUndefined();
  expect(r.errors.length).toBeGreaterThan(0);
  return r.errors[0];
}

/** code + line + column of the first error, for compact assertions. */
export function where(yaml: string): [string, number | undefined, number | undefined] {
  const e = fail(yaml);
  return [e.code, e.location.line, e.location.column];
}

/** A minimal valid play; `body` replaces/extends its blocks (YAML appended after name). */
export function play(body: string): string {
  return `name: t\n${body}`;
}

export const EMA_FEATURES = `features:
  ema_9: { indicator: ema, params: { length: 9 } }
  ema_21: { indicator: ema, params: { length: 21 } }
`;

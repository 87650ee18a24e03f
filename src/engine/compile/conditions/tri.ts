// Three-valued condition results. A condition is TRUE, FALSE, or UNKNOWN when a value it reads is missing
// (None/NaN/Infinity, offset or window beyond the history, division by zero). UNKNOWN never fires an action,
// and it stays UNKNOWN through `not`, so `not [rsi > 70]` is not true while RSI is still warming up (TRADE
// propagates a missing value through `not` too). all/any follow Kleene logic: all is FALSE as soon as one
// item is FALSE, any is TRUE as soon as one item is TRUE, whatever the others are.
// Encoding F=0 < U=1 < T=2 makes all = min, any = max, not = 2 - x.

export const F = 0;
export const U = 1;
export const T = 2;
export type Tri = 0 | 1 | 2;

/** NaN or +-Infinity: a missing value. */
export const isMissing = (x: number): boolean => x - x !== 0;

/** Arithmetic as TRADE does it: division (and modulo) by zero is missing; % takes the divisor's sign (Python). */
export function arith(op: string, a: number, b: number): number {
  let r: number;
  switch (op) {
    case '+':
      r = a + b;
      break;
    case '-':
      r = a - b;
      break;
    case '*':
      r = a * b;
      break;
    case '/':
      if (b === 0) return NaN;
      r = a / b;
      break;
    default: // '%'
      if (b === 0) return NaN;
      r = a % b;
      if (r !== 0 && b < 0 !== r < 0) r += b;
  }
  return r - r === 0 ? r : NaN;
}

/** 1 where the condition is TRUE, else 0 (FALSE and UNKNOWN alike): what a signal or a data-window cell shows. */
export function isTrue(tri: Uint8Array): Uint8Array {
  const out = new Uint8Array(tri.length);
  for (let i = 0; i < tri.length; i++) out[i] = tri[i] === T ? 1 : 0;
  return out;
}

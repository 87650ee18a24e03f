// Scans the bar loops use to find where a quiet stretch ends.

/** First index in [from, to) where `a` (or `b`) is set, else `to`. */
export function nextSet(a: Uint8Array, b: Uint8Array | undefined, from: number, to: number): number {
  let i = from;
  if (b === undefined) while (i < to && a[i] === 0) i++;
  else while (i < to && (a[i] | b[i]) === 0) i++;
  return i;
}

/** First index >= from where `col` holds a number (a funding settlement), else `n`. */
export function nextSettlement(col: Float64Array, from: number, n: number): number {
  let i = from;
  while (i < n && !(col[i] === col[i])) i++;
  return i;
}

/**
 * Two byte columns read four bars at a time: a Uint32Array view of each where both start on a 4-byte
 * boundary (the compiled signal columns own their buffers), else undefined and nextSetPair reads bytes.
 */
export interface ByteColumnPair {
  a: Uint8Array;
  b: Uint8Array;
  a32?: Uint32Array;
  b32?: Uint32Array;
}

export function byteColumnPair(a: Uint8Array, b: Uint8Array): ByteColumnPair {
  const aligned = a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0;
  return aligned
    ? { a, b, a32: new Uint32Array(a.buffer, a.byteOffset, a.length >> 2), b32: new Uint32Array(b.buffer, b.byteOffset, b.length >> 2) }
    : { a, b };
}

/** nextSet(p.a, p.b, from, to), a word at a time where it can (~4x fewer loads and tests on long stretches). */
export function nextSetPair(p: ByteColumnPair, from: number, to: number): number {
  const { a, b, a32, b32 } = p;
  let i = from;
  if (a32 !== undefined && b32 !== undefined) {
    while (i < to && (i & 3) !== 0) {
      if ((a[i] | b[i]) !== 0) return i;
      i++;
    }
    // (i stops short of a word boundary only at `to`: then there is nothing left to scan.)
    if ((i & 3) === 0) {
      const wEnd = to >> 2;
      let w = i >> 2;
      while (w < wEnd && (a32[w] | b32[w]) === 0) w++;
      i = w << 2;
    }
  }
  return nextSet(a, b, i, to);
}

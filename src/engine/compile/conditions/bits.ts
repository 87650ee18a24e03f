// Kleene all/any over 0/1 columns. TRUE of `all` is the AND of its items' TRUE columns and FALSE of `all` the OR
// of their FALSE columns (mirror for `any`), so combining never needs the three-valued column. The bytes are
// combined four at a time through Int32 views of the same memory (0/1 bytes AND/OR bytewise exactly).

/** out = a & b, bytewise. `out` may be `a`. */
export function andInto(a: Uint8Array, b: Uint8Array, out: Uint8Array): void {
  const n = out.length;
  let done = 0;
  if (aligned(a, b, out)) {
    const w = n >> 2;
    const a4 = new Int32Array(a.buffer, a.byteOffset, w), b4 = new Int32Array(b.buffer, b.byteOffset, w), o4 = new Int32Array(out.buffer, out.byteOffset, w);
    for (let k = 0; k < w; k++) o4[k] = a4[k] & b4[k];
    done = w << 2;
  }
  for (let i = done; i < n; i++) out[i] = a[i] & b[i];
}

/** out = a | b, bytewise. `out` may be `a`. */
export function orInto(a: Uint8Array, b: Uint8Array, out: Uint8Array): void {
  const n = out.length;
  let done = 0;
  if (aligned(a, b, out)) {
    const w = n >> 2;
    const a4 = new Int32Array(a.buffer, a.byteOffset, w), b4 = new Int32Array(b.buffer, b.byteOffset, w), o4 = new Int32Array(out.buffer, out.byteOffset, w);
    for (let k = 0; k < w; k++) o4[k] = a4[k] | b4[k];
    done = w << 2;
  }
  for (let i = done; i < n; i++) out[i] = a[i] | b[i];
}

/** out = a & ~b (a 0/1 column without the bars set in b), bytewise. */
export function andNotInto(a: Uint8Array, b: Uint8Array, out: Uint8Array): void {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = a[i] & (b[i] ^ 1);
}

function aligned(a: Uint8Array, b: Uint8Array, out: Uint8Array): boolean {
  return ((a.byteOffset | b.byteOffset | out.byteOffset) & 3) === 0;
}

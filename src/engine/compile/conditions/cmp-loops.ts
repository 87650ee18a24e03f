// The comparison loops of the vectorised evaluator, one tight typed-array loop per operator and operand shape.
// Each writes a 0/1 column: 1 where the comparison is TRUE, which means both values are defined (finite) and the
// relation holds. The missing check is folded into the comparison itself: NaN never compares true, and given
// `l > r` only `l = +Infinity` or `r = -Infinity` can still be missing, so two more compares against constants
// replace a full "is either value missing" test per bar. FALSE is the truth of the negated operator on
// defined values (l <= r is exactly "defined and not l > r"), so one set of loops serves both.
// The loops are branch-free (Number(a) & Number(b), no `cond ? 1 : 0`): a structure's ENUM state or two
// close indicators can flip often enough that a branch per bar mispredicts; `l === r ? 1 : 0` on the seed's
// regime state cost 2.7 ms per 1M bars, Number(l === r) a third of it.

import { MISSING_CODE } from '../small-codes.ts';

export type RelOp = 'gt' | 'lt' | 'ge' | 'le' | 'eq' | 'ne';

/** The relation that is TRUE exactly where `op` is FALSE (both values defined). */
export const NEGATED: Readonly<Record<RelOp, RelOp>> = { gt: 'le', le: 'gt', lt: 'ge', ge: 'lt', eq: 'ne', ne: 'eq' };

/** `c op x` as `x op' c`: the operator seen from the other side. */
export const MIRRORED: Readonly<Record<RelOp, RelOp>> = { gt: 'lt', lt: 'gt', ge: 'le', le: 'ge', eq: 'eq', ne: 'ne' };

const INF = Infinity;

/** out[i] = 1 where L[i] op R[i] is TRUE. */
export function relColCol(op: RelOp, L: Float64Array, R: Float64Array, out: Uint8Array): void {
  const n = out.length;
  switch (op) {
    case 'gt':
      for (let i = 0; i < n; i++) {
        const l = L[i], r = R[i];
        out[i] = Number(l > r) & Number(l !== INF) & Number(r !== -INF);
      }
      return;
    case 'lt':
      for (let i = 0; i < n; i++) {
        const l = L[i], r = R[i];
        out[i] = Number(l < r) & Number(l !== -INF) & Number(r !== INF);
      }
      return;
    case 'ge':
      for (let i = 0; i < n; i++) {
        const l = L[i], r = R[i];
        out[i] = Number(l >= r) & Number(l !== INF) & Number(r !== -INF);
      }
      return;
    case 'le':
      for (let i = 0; i < n; i++) {
        const l = L[i], r = R[i];
        out[i] = Number(l <= r) & Number(l !== -INF) & Number(r !== INF);
      }
      return;
    case 'eq':
      for (let i = 0; i < n; i++) {
        const l = L[i];
        out[i] = Number(l === R[i]) & Number(l - l === 0);
      }
      return;
    case 'ne':
      for (let i = 0; i < n; i++) {
        const l = L[i], r = R[i];
        out[i] = Number(l !== r) & Number(l - l === 0) & Number(r - r === 0);
      }
      return;
  }
}

/** out[i] = 1 where L[i] op r is TRUE; `r` is a defined (finite) constant. */
export function relColConst(op: RelOp, L: Float64Array, r: number, out: Uint8Array): void {
  const n = out.length;
  switch (op) {
    case 'gt':
      for (let i = 0; i < n; i++) {
        const l = L[i];
        out[i] = Number(l > r) & Number(l !== INF);
      }
      return;
    case 'lt':
      for (let i = 0; i < n; i++) {
        const l = L[i];
        out[i] = Number(l < r) & Number(l !== -INF);
      }
      return;
    case 'ge':
      for (let i = 0; i < n; i++) {
        const l = L[i];
        out[i] = Number(l >= r) & Number(l !== INF);
      }
      return;
    case 'le':
      for (let i = 0; i < n; i++) {
        const l = L[i];
        out[i] = Number(l <= r) & Number(l !== -INF);
      }
      return;
    case 'eq':
      // r is finite, so l === r is already defined.
      for (let i = 0; i < n; i++) out[i] = Number(L[i] === r);
      return;
    case 'ne':
      for (let i = 0; i < n; i++) {
        const l = L[i];
        out[i] = Number(l !== r) & Number(l - l === 0);
      }
      return;
  }
}

/**
 * out[i] = 1 where codes[i] == c (`eq`), or where it is defined and != c (`ne`): a small-code column (1 byte
 * per bar, small-codes.ts). Four bars per step through Int32 views (a one-byte-per-iteration loop costs ~4
 * cycles per bar in V8 whatever it does): x = word ^ (c in every byte) has a zero byte exactly where the bar
 * equals c, and ((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x sets each byte's top bit exactly where that byte is not
 * zero, without carries between bytes (each byte sum is at most 0xfe).
 */
export function codesEqConst(op: 'eq' | 'ne', codes: Int8Array, c: number, out: Uint8Array): void {
  const n = out.length;
  let done = 0;
  if (((codes.byteOffset | out.byteOffset) & 3) === 0) {
    const w = n >> 2;
    const words = new Int32Array(codes.buffer, codes.byteOffset, w), o4 = new Int32Array(out.buffer, out.byteOffset, w);
    const wantC = (c & 0xff) * 0x01010101, missing = (MISSING_CODE & 0xff) * 0x01010101;
    if (op === 'eq') {
      for (let k = 0; k < w; k++) o4[k] = zeroBytes(words[k] ^ wantC);
    } else {
      for (let k = 0; k < w; k++) {
        const x = words[k];
        o4[k] = ~(zeroBytes(x ^ wantC) | zeroBytes(x ^ missing)) & 0x01010101;
      }
    }
    done = w << 2;
  }
  for (let i = done; i < n; i++) {
    const k = codes[i];
    out[i] = op === 'eq' ? Number(k === c) : Number(k !== c) & Number(k !== MISSING_CODE);
  }
}

/** 1 in each byte of `x` that is zero, 0 in the others. */
function zeroBytes(x: number): number {
  return (~(((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x) >>> 7) & 0x01010101;
}

/**
 * TRUE of cross_above into `up` and of cross_below into `down` (either may be omitted) at every bar: the
 * previous bar's relation (l <= r, resp. l >= r) and this bar's (l > r, resp. l < r), all four values
 * defined; bar 0 has no previous bar. `R` may be a one-element constant (`rStep` 0). `up`/`down` must be
 * all zero: only the crossing bars are written.
 *
 * A cross can only fire where sign(l - r) changes between two bars, and two indicator columns keep their
 * order for long runs (EMA 12/26 on 1m bars: ~28 bars), so the loop only compares each bar's sign with the
 * last one and checks the full rule — the four values defined, the previous relation — at the few bars
 * where the sign changed. NaN reads as sign 0 and an infinity as a sign, but a cross needs defined values,
 * which the check at the change rejects; between changes nothing can cross. One pass, each value read
 * once, no store per bar: about half the time of the two-valued loop.
 */
export function crossRuns(L: Float64Array, R: Float64Array, rStep: 0 | 1, up: Uint8Array | undefined, down: Uint8Array | undefined): void {
  const n = L.length;
  if (n === 0) return;
  if (rStep === 0 && !(R[0] - R[0] === 0)) return; // a missing constant: every bar unknown
  let prev = Number(L[0] > R[0]) - Number(L[0] < R[0]);
  let i = 1;
  while (i < n) {
    // Inside a run only the run's own relation is tested: one compare per bar.
    if (rStep === 1) {
      if (prev === 1) while (i < n && L[i] > R[i]) i++;
      else if (prev === -1) while (i < n && L[i] < R[i]) i++;
    } else {
      const r = R[0];
      if (prev === 1) while (i < n && L[i] > r) i++;
      else if (prev === -1) while (i < n && L[i] < r) i++;
    }
    if (i >= n) break;
    const l = L[i], r = R[i * rStep];
    const sign = Number(l > r) - Number(l < r);
    if (sign !== prev) {
      prev = sign;
      const l0 = L[i - 1], r0 = R[(i - 1) * rStep];
      if (l - l === 0 && r - r === 0 && l0 - l0 === 0 && r0 - r0 === 0) {
        if (sign === 1) {
          if (up !== undefined && l0 <= r0) up[i] = 1;
        } else if (sign === -1 && down !== undefined && l0 >= r0) down[i] = 1;
      }
    }
    i++;
  }
}

/** 1 where a tri-state column equals `want` (T or F): the two-valued view of a tri column. */
export function triEquals(tri: Uint8Array, want: number, out: Uint8Array): void {
  for (let i = 0; i < tri.length; i++) out[i] = tri[i] === want ? 1 : 0;
}

// The comparison loops of the vectorised evaluator, one tight typed-array loop per operator and operand shape.
// Each writes a 0/1 column: 1 where the comparison is TRUE, which means both values are defined (finite) and the
// relation holds. The missing check is folded into the comparison itself: NaN never compares true, and given
// `l > r` only `l = +Infinity` or `r = -Infinity` can still be missing, so two more compares against constants
// (always predicted) replace a full "is either value missing" test per bar. FALSE is the truth of the negated
// operator on defined values (l <= r is exactly "defined and not l > r"), so one set of loops serves both.

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
        out[i] = l > r && l !== INF && r !== -INF ? 1 : 0;
      }
      return;
    case 'lt':
      for (let i = 0; i < n; i++) {
        const l = L[i], r = R[i];
        out[i] = l < r && l !== -INF && r !== INF ? 1 : 0;
      }
      return;
    case 'ge':
      for (let i = 0; i < n; i++) {
        const l = L[i], r = R[i];
        out[i] = l >= r && l !== INF && r !== -INF ? 1 : 0;
      }
      return;
    case 'le':
      for (let i = 0; i < n; i++) {
        const l = L[i], r = R[i];
        out[i] = l <= r && l !== -INF && r !== INF ? 1 : 0;
      }
      return;
    case 'eq':
      for (let i = 0; i < n; i++) {
        const l = L[i];
        out[i] = l === R[i] && l - l === 0 ? 1 : 0;
      }
      return;
    case 'ne':
      for (let i = 0; i < n; i++) {
        const l = L[i], r = R[i];
        out[i] = l !== r && l - l === 0 && r - r === 0 ? 1 : 0;
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
        out[i] = l > r && l !== INF ? 1 : 0;
      }
      return;
    case 'lt':
      for (let i = 0; i < n; i++) {
        const l = L[i];
        out[i] = l < r && l !== -INF ? 1 : 0;
      }
      return;
    case 'ge':
      for (let i = 0; i < n; i++) {
        const l = L[i];
        out[i] = l >= r && l !== INF ? 1 : 0;
      }
      return;
    case 'le':
      for (let i = 0; i < n; i++) {
        const l = L[i];
        out[i] = l <= r && l !== -INF ? 1 : 0;
      }
      return;
    case 'eq':
      // r is finite, so l === r is already defined.
      for (let i = 0; i < n; i++) out[i] = L[i] === r ? 1 : 0;
      return;
    case 'ne':
      for (let i = 0; i < n; i++) {
        const l = L[i];
        out[i] = l !== r && l - l === 0 ? 1 : 0;
      }
      return;
  }
}

/**
 * TRUE of cross_above (`above`) or cross_below at every bar: the previous bar's relation (l <= r, resp. l >= r)
 * and this bar's (l > r, resp. l < r), all four values defined; bar 0 has no previous bar. One pass, each value
 * read once: the previous bar's relation is carried in a register. `R` may be a one-element constant (`rStep` 0).
 */
export function crossTruth(above: boolean, L: Float64Array, R: Float64Array, rStep: 0 | 1, out: Uint8Array): void {
  const n = out.length;
  let prev = false;
  if (rStep === 1) {
    if (above) {
      for (let i = 0; i < n; i++) {
        const l = L[i], r = R[i];
        out[i] = prev && l > r && l !== INF && r !== -INF ? 1 : 0;
        prev = l <= r && l !== -INF && r !== INF;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const l = L[i], r = R[i];
        out[i] = prev && l < r && l !== -INF && r !== INF ? 1 : 0;
        prev = l >= r && l !== INF && r !== -INF;
      }
    }
    return;
  }
  const r = R[0];
  if (!(r - r === 0)) return; // a missing constant: every bar unknown (out stays 0)
  if (above) {
    for (let i = 0; i < n; i++) {
      const l = L[i];
      out[i] = prev && l > r && l !== INF ? 1 : 0;
      prev = l <= r && l !== -INF;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const l = L[i];
      out[i] = prev && l < r && l !== -INF ? 1 : 0;
      prev = l >= r && l !== INF;
    }
  }
}

/**
 * TRUE of cross_above into `up` and of cross_below into `down` for the same two columns, in one pass (a play
 * that enters on one cross and exits on the other reads both: half the column reads of two passes).
 */
export function crossBothTruth(L: Float64Array, R: Float64Array, up: Uint8Array, down: Uint8Array): void {
  const n = up.length;
  let wasLe = false, wasGe = false;
  for (let i = 0; i < n; i++) {
    const l = L[i], r = R[i];
    // Defined: neither value is NaN or infinite (l - l is 0 only for a finite l).
    const defined = l - l === 0 && r - r === 0;
    const le = defined && l <= r;
    const ge = defined && l >= r;
    up[i] = wasLe && !le && defined ? 1 : 0;
    down[i] = wasGe && !ge && defined ? 1 : 0;
    wasLe = le;
    wasGe = ge;
  }
}

/** 1 where a tri-state column equals `want` (T or F): the two-valued view of a tri column. */
export function triEquals(tri: Uint8Array, want: number, out: Uint8Array): void {
  for (let i = 0; i < tri.length; i++) out[i] = tri[i] === want ? 1 : 0;
}

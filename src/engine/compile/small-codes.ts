// A column of small integers (ENUM codes, BOOL, INT fields such as a bias) as one byte per bar, so equality
// tests read 1 byte per bar instead of 8. Missing values (NaN, +-Infinity) take MISSING_CODE, which no
// defined value maps to.

export const MISSING_CODE = -128;

/** The byte column of `col`, or null when some defined value is not an integer in [-127, 127]. */
export function toSmallCodes(col: Float64Array): Int8Array | null {
  const out = new Int8Array(col.length);
  for (let i = 0; i < col.length; i++) {
    const v = col[i];
    if (!(v - v === 0)) out[i] = MISSING_CODE;
    else if (v === Math.trunc(v) && v >= -127 && v <= 127) out[i] = v;
    else return null;
  }
  return out;
}

/** True when `c` is a value a small-code column can hold (compare codes with it as they are). */
export const isSmallCode = (c: number): boolean => Number.isInteger(c) && c >= -127 && c <= 127;

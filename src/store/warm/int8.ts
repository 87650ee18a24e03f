// int8 results the same way on both backends. PGlite returns a number when the value is a safe integer and a
// BigInt otherwise; pg returns text. Ids and counts are far below 2^53, so callers get plain numbers, and a
// value that does not fit still comes back exact.

export function parseInt8(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

/** Elements of a one- or multi-dimensional int8[] already split by the driver into (nested) strings. */
export function parseInt8Elements(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(parseInt8Elements);
  return typeof value === 'string' ? parseInt8(value) : value;
}

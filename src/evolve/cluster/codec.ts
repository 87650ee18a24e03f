// Lossless JSON for what crosses Redis: BullMQ stores job data and return values with JSON.stringify, which
// turns NaN and ±Infinity into null and -0 into 0. Metrics may hold Infinity (profitFactor without losses),
// and a cluster run must return bit-for-bit what a local run returns, so those numbers travel tagged.

const TAG = '$num';

function replace(this: unknown, _key: string, value: unknown): unknown {
  if (typeof value !== 'number') return value;
  if (Number.isNaN(value)) return { [TAG]: 'NaN' };
  if (value === Infinity) return { [TAG]: 'Infinity' };
  if (value === -Infinity) return { [TAG]: '-Infinity' };
  if (Object.is(value, -0)) return { [TAG]: '-0' };
  return value; // finite: V8 prints the shortest text that parses back to the same double
}

const SPECIAL: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };

function revive(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== TAG) return value;
  const text = (value as Record<string, unknown>)[TAG];
  return typeof text === 'string' && text in SPECIAL ? SPECIAL[text] : value;
}

/** JSON text that decodeExact turns back into an equal value, non-finite numbers and -0 included. */
export function encodeExact(value: unknown): string {
  return JSON.stringify(value, replace);
}

export function decodeExact<T>(text: string): T {
  return JSON.parse(text, revive) as T;
}

// Shared building blocks: tiny streaming steppers (O(1) per bar, no per-bar allocation) that every
// indicator family composes, so EMA/Wilder seeding, rolling sums and window min/max live in one place.
//
// NaN convention for all steppers: a NaN input yields NaN at that bar. Recursive filters (Ema) keep
// their state and carry on at the next valid value; rolling windows report NaN while a NaN is inside.

/** A new output array of `n` NaNs. */
export function nanArray(n: number): Float64Array {
  const out = new Float64Array(n);
  out.fill(NaN);
  return out;
}

/** a / b, but NaN instead of ±Infinity (or 0/0) when the denominator is zero. */
export function safeDiv(a: number, b: number): number {
  return b === 0 ? NaN : a / b;
}

/**
 * Exponential smoothing seeded with the simple mean of the first `length` valid inputs (TA-Lib's and
 * pandas_ta's `presma=True` convention). alpha = 2/(length+1) for EMA, 1/length for Wilder's RMA.
 * Output is NaN until `length` valid inputs have been seen.
 */
export class EmaStep {
  private readonly alpha: number;
  private readonly length: number;
  private count = 0;
  private sum = 0;
  private value = NaN;

  constructor(length: number, alpha: number) {
    this.length = length;
    this.alpha = alpha;
  }

  static ema(length: number): EmaStep {
    return new EmaStep(length, 2 / (length + 1));
  }

  static wilder(length: number): EmaStep {
    return new EmaStep(length, 1 / length);
  }

  step(x: number): number {
    if (x !== x) return NaN;
    if (this.count >= this.length) {
      this.value += this.alpha * (x - this.value);
      return this.value;
    }
    this.sum += x;
    this.count++;
    if (this.count === this.length) {
      this.value = this.sum / this.length;
      return this.value;
    }
    return NaN;
  }
}

/** Rolling sum over the last `length` inputs; NaN until full or while a NaN is in the window. */
export class RollingSum {
  private readonly buf: Float64Array;
  private readonly length: number;
  private pos = 0;
  private filled = 0;
  private nans = 0;
  private sum = 0;

  constructor(length: number) {
    this.length = length;
    this.buf = new Float64Array(length);
  }

  step(x: number): number {
    if (this.filled === this.length) {
      const old = this.buf[this.pos];
      if (old !== old) this.nans--;
      else this.sum -= old;
    } else {
      this.filled++;
    }
    this.buf[this.pos] = x;
    if (x !== x) this.nans++;
    else this.sum += x;
    if (++this.pos === this.length) this.pos = 0;
    return this.filled === this.length && this.nans === 0 ? this.sum : NaN;
  }
}

/** Rolling mean (SMA) built on RollingSum. */
export class SmaStep {
  private readonly sum: RollingSum;
  private readonly length: number;

  constructor(length: number) {
    this.length = length;
    this.sum = new RollingSum(length);
  }

  step(x: number): number {
    return this.sum.step(x) / this.length;
  }
}

/**
 * Rolling population mean and standard deviation (ddof = 0, as TA-Lib/pandas_ta bbands).
 * Sums are taken of (x - shift) to avoid cancellation at large price levels, and recomputed exactly
 * from the window every `length` bars so rounding cannot drift over millions of bars.
 */
export class RollingStd {
  private readonly buf: Float64Array;
  private readonly length: number;
  private pos = 0;
  private filled = 0;
  private nans = 0;
  private shift = NaN;
  private s1 = 0;
  private s2 = 0;
  private sinceSync = 0;
  mean = NaN;

  constructor(length: number) {
    this.length = length;
    this.buf = new Float64Array(length);
  }

  private resync(): void {
    this.shift = NaN;
    this.s1 = 0;
    this.s2 = 0;
    for (let k = 0; k < this.filled; k++) {
      const v = this.buf[k];
      if (v !== v) continue;
      if (this.shift !== this.shift) this.shift = v;
      const d = v - this.shift;
      this.s1 += d;
      this.s2 += d * d;
    }
    this.sinceSync = 0;
  }

  /** Returns the standard deviation; `mean` holds the window mean afterwards (NaN when not defined). */
  step(x: number): number {
    if (this.filled === this.length) {
      const old = this.buf[this.pos];
      if (old !== old) this.nans--;
      else if (this.shift === this.shift) {
        const d = old - this.shift;
        this.s1 -= d;
        this.s2 -= d * d;
      }
    } else {
      this.filled++;
    }
    this.buf[this.pos] = x;
    if (x !== x) this.nans++;
    else {
      if (this.shift !== this.shift) this.shift = x;
      const d = x - this.shift;
      this.s1 += d;
      this.s2 += d * d;
    }
    if (++this.pos === this.length) this.pos = 0;
    if (++this.sinceSync >= this.length) this.resync();
    if (this.filled < this.length || this.nans > 0) {
      this.mean = NaN;
      return NaN;
    }
    const m = this.s1 / this.length;
    this.mean = this.shift + m;
    const v = this.s2 / this.length - m * m;
    return v > 0 ? Math.sqrt(v) : 0;
  }
}

/**
 * Rolling max or min over the last `length` inputs via a monotonic deque (amortised O(1)).
 * `argAge` after a step is how many bars ago the extreme occurred (ties: the most recent bar wins).
 * NaN until full or while a NaN is in the window.
 */
export class RollingExtreme {
  private readonly idx: Int32Array;
  private readonly val: Float64Array;
  private readonly cap: number;
  private readonly length: number;
  private readonly isMax: boolean;
  private head = 0;
  private size = 0;
  private t = -1;
  private lastNan = -1;
  argAge = -1;

  constructor(length: number, mode: 'max' | 'min') {
    this.length = length;
    this.isMax = mode === 'max';
    this.cap = length + 1;
    this.idx = new Int32Array(this.cap);
    this.val = new Float64Array(this.cap);
  }

  step(x: number): number {
    const t = ++this.t;
    const cap = this.cap;
    // drop the front if it left the window
    while (this.size > 0 && this.idx[this.head] <= t - this.length) {
      this.head = this.head + 1 === cap ? 0 : this.head + 1;
      this.size--;
    }
    if (x !== x) {
      this.lastNan = t;
    } else {
      // pop from the back every value the new one dominates (ties: keep the newest)
      while (this.size > 0) {
        let back = this.head + this.size - 1;
        if (back >= cap) back -= cap;
        const b = this.val[back];
        if (this.isMax ? b <= x : b >= x) this.size--;
        else break;
      }
      let slot = this.head + this.size;
      if (slot >= cap) slot -= cap;
      this.idx[slot] = t;
      this.val[slot] = x;
      this.size++;
    }
    if (t < this.length - 1 || this.lastNan > t - this.length || this.size === 0) {
      this.argAge = -1;
      return NaN;
    }
    this.argAge = t - this.idx[this.head];
    return this.val[this.head];
  }
}

/** Fixed-lag delay line: returns the input from `lag` steps ago (NaN until then). */
export class Lag {
  private readonly buf: Float64Array;
  private readonly lag: number;
  private pos = 0;
  private seen = 0;

  constructor(lag: number) {
    this.lag = lag;
    this.buf = new Float64Array(Math.max(lag, 1));
  }

  step(x: number): number {
    if (this.lag === 0) return x;
    const out = this.seen >= this.lag ? this.buf[this.pos] : NaN;
    this.buf[this.pos] = x;
    if (++this.pos === this.lag) this.pos = 0;
    this.seen++;
    return out;
  }
}

/** True range at bar i (NaN at i = 0: there is no previous close, as TA-Lib and pandas_ta). */
export function trueRangeAt(high: Float64Array, low: Float64Array, close: Float64Array, i: number): number {
  if (i === 0) return NaN;
  const pc = close[i - 1];
  const h = high[i];
  const l = low[i];
  const hl = h - l;
  const hc = Math.abs(h - pc);
  const lc = Math.abs(l - pc);
  return hl >= hc ? (hl >= lc ? hl : lc) : hc >= lc ? hc : lc;
}

/**
 * Array form of EmaStep (same seeding, same NaN rule, bit-identical results: see primitives.test.ts),
 * written as one tight loop over locals because a lone EMA/RMA is the engine's hottest path.
 */
export function smoothInto(src: Float64Array, length: number, alpha: number, out: Float64Array): Float64Array {
  const n = src.length;
  let i = 0;
  let count = 0;
  let sum = 0;
  for (; i < n && count < length; i++) {
    const x = src[i];
    if (x !== x) {
      out[i] = NaN;
      continue;
    }
    sum += x;
    count++;
    out[i] = count === length ? sum / length : NaN;
  }
  let v = sum / length;
  for (; i < n; i++) {
    const x = src[i];
    if (x !== x) {
      out[i] = NaN;
      continue;
    }
    v += alpha * (x - v);
    out[i] = v;
  }
  return out;
}

/** Fills `out` with EMA (SMA-seeded, alpha = 2/(length+1)) of `src`. */
export function emaInto(src: Float64Array, length: number, out: Float64Array): Float64Array {
  return smoothInto(src, length, 2 / (length + 1), out);
}

/** Fills `out` with Wilder's RMA (SMA-seeded, alpha = 1/length) of `src`. */
export function wilderInto(src: Float64Array, length: number, out: Float64Array): Float64Array {
  return smoothInto(src, length, 1 / length, out);
}

/** Fills `out` with the rolling mean of `src`. */
export function smaInto(src: Float64Array, length: number, out: Float64Array): Float64Array {
  const s = new SmaStep(length);
  for (let i = 0; i < src.length; i++) out[i] = s.step(src[i]);
  return out;
}

/**
 * Wilder's running-sum smoothing in TA-Lib's form (PLUS_DM, MINUS_DM, ADX's DI legs): the seed is the
 * plain sum of the first length-1 valid inputs, then S = S - S/length + x. Output is on the sum scale
 * (length x the average). NaN until length-1 valid inputs have been seen.
 */
export class WilderSumStep {
  private readonly length: number;
  private count = 0;
  private sum = 0;
  private seeded = false;

  constructor(length: number) {
    this.length = length;
  }

  step(x: number): number {
    if (x !== x) return NaN;
    if (this.seeded) {
      this.sum = this.sum - this.sum / this.length + x;
      return this.sum;
    }
    this.sum += x;
    this.count++;
    if (this.count >= this.length - 1) {
      this.seeded = true;
      return this.sum;
    }
    return NaN;
  }
}

// A pattern's plan: its price skeleton and events in SPAN time u in [0, 1], independent of the bar count,
// so the same pattern stretched over 500 or 50,000 bars keeps its shape (TRADE's "bar dilation").
// Levels are natural logs of price / start price, so mirroring a pattern (down-trend from up-trend) is a
// sign flip and prices stay positive.

export type Shape = 'linear' | 'accel' | 'decel' | 'smooth';
export type Side = 'low' | 'high';

/** A sine riding on a segment: amplitude (log units) moving linearly from amp0 to amp1 over the segment. */
export interface Wave {
  amp0: number;
  amp1: number;
  cycles: number;
  /** Radians at the segment start. */
  phase: number;
}

/** The skeleton from u0 to u1: `from` -> `to` along `shape`, plus waves; activity and volume regimes. */
export interface Segment {
  u0: number;
  u1: number;
  from: number;
  to: number;
  shape: Shape;
  waves: Wave[];
  /** Noise, wick and volume activity at the start and end of the segment (1 = the pattern's normal). */
  act0: number;
  act1: number;
  /** Volume multiplier at the start and end. */
  volume0: number;
  volume1: number;
}

/** Closes kept inside [lo + closePad, hi - closePad] and wicks inside [lo - wickPad, hi + wickPad]. */
export interface Band {
  u0: number;
  u1: number;
  lo0: number;
  lo1: number;
  hi0: number;
  hi1: number;
  closePad: number;
  wickPad: number;
}

/**
 * The skeleton steps by `size` at the first bar at or after u, plus `offset` bars (consecutive jumps at one
 * cursor fall on consecutive bars): one large-bodied, small-wicked candle.
 */
export interface Jump {
  u: number;
  offset: number;
  size: number;
  volume: number;
  /** Also keep the neighbours' facing wicks short, so the three candles leave a fair-value gap. */
  gap: boolean;
  /**
   * At least this many normal bar standard deviations: the step grows (and everything after it shifts) when
   * the bars are noisy, so an impulse stays impulsive on any interval and bar count. 0 = exactly `size`.
   */
  minSigmas: number;
  /** The segment after the jump takes the growth back, so every later waypoint keeps its level. */
  absorb: boolean;
}

/** A stop run: two bars close beyond `level`, the second wicks `depth` past it, the third closes back inside. */
export interface Sweep {
  u: number;
  side: Side;
  level: number;
  depth: number;
  volume: number;
}

/** The bar nearest u prints its high (or low) at `level`: equal highs/lows, double bottoms. */
export interface Touch {
  u: number;
  side: Side;
  level: number;
}

/** Noise of the pattern: an Ornstein-Uhlenbeck deviation from the skeleton in span time. */
export interface NoiseSpec {
  /** Stationary standard deviation of the deviation (log units). */
  vol: number;
  /** Mean-reversion time as a fraction of the span. */
  tau: number;
}

export interface Plan {
  segments: Segment[];
  bands: Band[];
  jumps: Jump[];
  sweeps: Sweep[];
  touches: Touch[];
  /** Span times where the deviation from the skeleton is pinned to zero (the shape's waypoints). */
  pins: number[];
  noise: NoiseSpec;
  /** Volume tilt by bar direction: up bars get exp(+bias), down bars exp(-bias) (accumulation > 0). */
  volumeBias: number;
}

export interface SegmentOptions {
  shape?: Shape;
  /** Activity over the segment: one value or [start, end]. */
  act?: number | readonly [number, number];
  volume?: number | readonly [number, number];
  waves?: ReadonlyArray<{ amp: number | readonly [number, number]; cycles: number; phase?: number }>;
  /** Pin the noise at the segment end (default true): the end level is met exactly. */
  pin?: boolean;
}

const pair = (v: number | readonly [number, number] | undefined, dflt: number): [number, number] =>
  v === undefined ? [dflt, dflt] : typeof v === 'number' ? [v, v] : [v[0], v[1]];

/** ln(1 + pct): a fractional price change as a log level. */
export const lv = (pct: number): number => Math.log1p(pct);

export function shapeAt(shape: Shape, t: number): number {
  switch (shape) {
    case 'accel':
      return t * t * Math.sqrt(t); // t^2.5: slow start, steep finish (parabolic legs, capitulation)
    case 'decel':
      return 1 - (1 - t) * (1 - t) * Math.sqrt(1 - t);
    case 'smooth':
      return (1 - Math.cos(Math.PI * t)) / 2;
    default:
      return t;
  }
}

/** Skeleton level of a segment at its local time t in [0, 1]. */
export function segmentLevel(s: Segment, t: number): number {
  let x = s.from + (s.to - s.from) * shapeAt(s.shape, t);
  for (const w of s.waves) x += (w.amp0 + (w.amp1 - w.amp0) * t) * Math.sin(2 * Math.PI * w.cycles * t + w.phase);
  return x;
}

/**
 * Builds a plan leg by leg with a cursor in span time. Spans need not sum to 1: finish() rescales them.
 * Levels given as `pct` are fractional changes from the START price (0.2 = +20%).
 */
export class PlanBuilder {
  private u = 0;
  private cur = 0;
  private readonly plan: Plan;

  constructor(noise: Partial<NoiseSpec> = {}) {
    this.plan = {
      segments: [], bands: [], jumps: [], sweeps: [], touches: [], pins: [0],
      noise: { vol: noise.vol ?? 0.012, tau: noise.tau ?? 0.03 },
      volumeBias: 0,
    };
  }

  /** Current cursor (span time, before rescaling). */
  get at(): number {
    return this.u;
  }

  /** Current skeleton level as a fractional change from the start price. */
  get levelPct(): number {
    return Math.expm1(this.cur);
  }

  /** A leg to `toPct` over `span`. */
  move(span: number, toPct: number, opts: SegmentOptions = {}): this {
    return this.moveLog(span, lv(toPct), opts);
  }

  /** A leg that keeps the current level (waves and noise only). */
  hold(span: number, opts: SegmentOptions = {}): this {
    return this.moveLog(span, this.cur, opts);
  }

  private moveLog(span: number, to: number, opts: SegmentOptions): this {
    if (!(span > 0)) throw new RangeError(`segment span must be > 0, got ${span}`);
    const [act0, act1] = pair(opts.act, 1);
    const [volume0, volume1] = pair(opts.volume, 1);
    const waves = (opts.waves ?? []).map((w) => {
      const [amp0, amp1] = pair(w.amp, 0);
      return { amp0, amp1, cycles: w.cycles, phase: w.phase ?? 0 };
    });
    const seg: Segment = { u0: this.u, u1: this.u + span, from: this.cur, to, shape: opts.shape ?? 'linear', waves, act0, act1, volume0, volume1 };
    this.plan.segments.push(seg);
    this.u = seg.u1;
    this.cur = segmentLevel(seg, 1);
    if (opts.pin !== false) this.plan.pins.push(this.u);
    return this;
  }

  /**
   * A one-bar step of `pct` (relative to the current level) at the cursor; pins the bars around it. A second
   * jump at the same cursor lands on the next bar (an opposing candle, then the displacement).
   */
  jump(pct: number, opts: { volume?: number; gap?: boolean; minSigmas?: number; absorb?: boolean } = {}): this {
    const size = lv(pct);
    const offset = this.plan.jumps.filter((j) => j.u === this.u).length;
    this.plan.jumps.push({
      u: this.u, offset, size, volume: opts.volume ?? 3, gap: opts.gap ?? false, minSigmas: opts.minSigmas ?? 0, absorb: opts.absorb ?? false,
    });
    this.cur += size;
    return this;
  }

  /** A stop run beyond `levelPct` by `depth` (fraction) at the cursor. */
  sweep(side: Side, levelPct: number, depth: number, opts: { volume?: number } = {}): this {
    this.plan.sweeps.push({ u: this.u, side, level: lv(levelPct), depth: lv(depth), volume: opts.volume ?? 2.5 });
    return this;
  }

  touch(u: number, side: Side, levelPct: number): this {
    this.plan.touches.push({ u, side, level: lv(levelPct) });
    return this;
  }

  /** A band from u0 to u1 whose edges move linearly: lo/hi as one value or [start, end] (fractions). */
  band(u0: number, u1: number, lo: number | readonly [number, number], hi: number | readonly [number, number], pads: { closePad?: number; wickPad?: number } = {}): this {
    const [lo0, lo1] = pair(lo, 0);
    const [hi0, hi1] = pair(hi, 0);
    this.plan.bands.push({ u0, u1, lo0: lv(lo0), lo1: lv(lo1), hi0: lv(hi0), hi1: lv(hi1), closePad: pads.closePad ?? 0.002, wickPad: pads.wickPad ?? 0.003 });
    return this;
  }

  pin(): this {
    this.plan.pins.push(this.u);
    return this;
  }

  withVolumeBias(bias: number): this {
    this.plan.volumeBias = bias;
    return this;
  }

  /** The finished plan with span times rescaled to [0, 1]. */
  finish(): Plan {
    const total = this.u;
    if (!(total > 0) || this.plan.segments.length === 0) throw new RangeError('a pattern plan needs at least one segment');
    const k = 1 / total;
    const p = this.plan;
    return {
      segments: p.segments.map((s) => ({ ...s, u0: s.u0 * k, u1: s.u1 * k, waves: s.waves.map((w) => ({ ...w })) })),
      bands: p.bands.map((b) => ({ ...b, u0: b.u0 * k, u1: b.u1 * k })),
      jumps: p.jumps.map((j) => ({ ...j, u: j.u * k })),
      sweeps: p.sweeps.map((s) => ({ ...s, u: s.u * k })),
      touches: p.touches.map((t) => ({ ...t, u: t.u * k })),
      pins: p.pins.map((u) => u * k),
      noise: { ...p.noise },
      volumeBias: p.volumeBias,
    };
  }
}

/** The same pattern upside down (in log price): up-trend -> down-trend, lows <-> highs, bias reversed. */
export function mirrorPlan(p: Plan): Plan {
  const flip = (s: Side): Side => (s === 'low' ? 'high' : 'low');
  return {
    segments: p.segments.map((s) => ({ ...s, from: -s.from, to: -s.to, waves: s.waves.map((w) => ({ ...w, amp0: -w.amp0, amp1: -w.amp1 })) })),
    bands: p.bands.map((b) => ({ ...b, lo0: -b.hi0, lo1: -b.hi1, hi0: -b.lo0, hi1: -b.lo1 })),
    jumps: p.jumps.map((j) => ({ ...j, size: -j.size })),
    sweeps: p.sweeps.map((s) => ({ ...s, side: flip(s.side), level: -s.level })),
    touches: p.touches.map((t) => ({ ...t, side: flip(t.side), level: -t.level })),
    pins: [...p.pins],
    noise: { ...p.noise },
    volumeBias: -p.volumeBias,
  };
}

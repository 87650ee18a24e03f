// Renders a plan onto n bars: log close = skeleton + slow deviation (span-time OU, pinned at waypoints)
// + fast bar noise; then bands, sweeps, candles (open = previous close, as in a 24/7 market), wicks and
// volume. Every random draw comes from forks of one seeded Rng, so a seed gives the same bars every time.
import type { Rng } from '../../common/rng.ts';
import { segmentLevel, type Plan } from './plan.ts';

export interface RenderOptions {
  /** Fast, stationary bar noise (log std) for the interval: realistic candles at any bar count. */
  barNoise: number;
  /** Mean volume of a normal bar. */
  baseVolume: number;
  startPrice: number;
}

/** Where the bars go (the columns of a Candles, each of length n). */
export interface RenderTarget {
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/** AR(1) coefficient of the fast noise: a little bar-to-bar persistence, no drift. */
const FAST_PHI = 0.3;
/** Wicks as a multiple of the bar's own volatility. */
const WICK_SCALE = 0.55;
/**
 * Bars between the touches that build a sweep's pool (two touches before it). In bars, not span time, so the
 * pool is fresh for an exec-timeframe liquidity detector however far the pattern is dilated.
 */
const POOL_SPACING = 12;

/** First bar whose span time u_i = i / (n - 1) is >= u. */
export function barAtOrAfter(u: number, n: number): number {
  if (n <= 1) return 0;
  return Math.min(n - 1, Math.max(0, Math.ceil(u * (n - 1) - 1e-9)));
}

function nearestBar(u: number, n: number): number {
  return n <= 1 ? 0 : Math.min(n - 1, Math.max(0, Math.round(u * (n - 1))));
}

export function renderPlan(plan: Plan, n: number, rng: Rng, opts: RenderOptions, out: RenderTarget): void {
  const noiseRng = rng.fork();
  const fastRng = rng.fork();
  const wickRng = rng.fork();
  const volRng = rng.fork();
  const uAt = (i: number): number => (n > 1 ? i / (n - 1) : 0);

  // Skeleton, activity and volume regime per bar.
  const skel = new Float64Array(n);
  const act = new Float64Array(n);
  const vmul = new Float64Array(n);
  const segs = plan.segments;
  for (let k = 0; k < segs.length; k++) {
    const s = segs[k];
    const first = barAtOrAfter(s.u0, n);
    const end = k + 1 < segs.length ? barAtOrAfter(segs[k + 1].u0, n) : n;
    const len = s.u1 - s.u0;
    for (let i = first; i < end; i++) {
      const t = Math.min(1, Math.max(0, (uAt(i) - s.u0) / len));
      skel[i] = segmentLevel(s, t);
      act[i] = s.act0 + (s.act1 - s.act0) * t;
      vmul[i] = s.volume0 + (s.volume1 - s.volume0) * t;
    }
  }

  // Noise scales: the OU in span time (exact AR(1) discretisation, so its size does not depend on n) and
  // the standard deviation of one normal bar's log return (act = 1), which wicks and volume are measured by.
  const { vol, tau } = plan.noise;
  const kappa = Math.min(1, 1 / (n * tau));
  const innovSd = vol * Math.sqrt(1 - (1 - kappa) * (1 - kappa));
  const refSd = Math.hypot(vol * Math.sqrt(2 * kappa), opts.barNoise * Math.sqrt(2 * (1 - FAST_PHI)));

  // Bars whose noise innovations are held still (jumps) or pinned (waypoints, both sides of jumps).
  const still = new Uint8Array(n);
  const pinned = new Uint8Array(n);
  const eventVolume = new Float64Array(n).fill(1);
  const smallWick = new Uint8Array(n); // 1: both wicks small, 2: low wick small, 3: high wick small
  for (const u of plan.pins) pinned[barAtOrAfter(u, n)] = 1;
  pinned[0] = 1;
  for (const j of plan.jumps) {
    const b0 = barAtOrAfter(j.u, n);
    const b = b0 + j.offset;
    if (b >= n) continue;
    // The segment after u starts at the level after every jump at u; bars before this one's turn lack it.
    for (let i = b0; i < b; i++) skel[i] -= j.size;
    const extra = Math.sign(j.size) * Math.max(0, j.minSigmas * refSd * act[b] - Math.abs(j.size));
    if (extra !== 0) {
      // Grown step: shift everything after it, or (absorb) fade the shift out over the segment that follows.
      const k = segs.findIndex((sg) => sg.u0 >= j.u - 1e-12);
      const end = j.absorb && k >= 0 && k + 1 < segs.length ? barAtOrAfter(segs[k + 1].u0, n) : n;
      const fade = j.absorb ? Math.max(1, end - b) : Infinity;
      for (let i = b; i < end; i++) skel[i] += extra * (1 - (i - b) / fade);
    }
    still[b] = 1;
    if (b > 0) pinned[b - 1] = 1;
    pinned[b] = 1;
    eventVolume[b] *= j.volume;
    smallWick[b] = 1;
    if (j.gap) {
      // Up-gap: bar before keeps a short upper wick, bar after a short lower wick (and the reverse).
      if (b > 0 && smallWick[b - 1] === 0) smallWick[b - 1] = j.size > 0 ? 3 : 2;
      if (b + 1 < n && smallWick[b + 1] === 0) smallWick[b + 1] = j.size > 0 ? 2 : 3;
    }
  }

  // Slow deviation from the skeleton.
  const dev = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    const e = noiseRng.normal();
    dev[i] = (1 - kappa) * dev[i - 1] + (still[i] ? 0 : innovSd * act[i] * e);
  }
  // Bridge correction: subtract the line through the pinned values, so every pin lands on its skeleton level.
  let prev = 0;
  let prevVal = dev[0];
  for (let i = 1; i <= n; i++) {
    if (i < n && !pinned[i]) continue;
    const val = i < n ? dev[i] : 0;
    const span = i - prev;
    for (let m = prev + 1; m <= Math.min(i, n - 1); m++) {
      dev[m] -= i < n ? prevVal + ((val - prevVal) * (m - prev)) / span : prevVal;
    }
    if (i < n) {
      prev = i;
      prevVal = val;
    }
  }
  dev[0] = 0;

  // Fast noise: stationary AR(1), quiet on pins and jump bars.
  const fastSd = opts.barNoise * Math.sqrt(1 - FAST_PHI * FAST_PHI);
  const x = new Float64Array(n);
  let f = 0;
  for (let i = 0; i < n; i++) {
    const e = fastRng.normal();
    f = pinned[i] || still[i] ? 0 : FAST_PHI * f + fastSd * act[i] * e;
    x[i] = skel[i] + dev[i] + f;
  }

  // Bands: soft reflection of closes off the edges, then a hard clamp.
  const wickLo = new Float64Array(n).fill(-Infinity);
  const wickHi = new Float64Array(n).fill(Infinity);
  for (const b of plan.bands) {
    const first = barAtOrAfter(b.u0, n);
    const last = Math.min(n - 1, Math.floor(b.u1 * (n - 1) + 1e-9));
    for (let i = first; i <= last; i++) {
      if (still[i]) continue;
      const t = b.u1 > b.u0 ? Math.min(1, Math.max(0, (uAt(i) - b.u0) / (b.u1 - b.u0))) : 0;
      const lo = b.lo0 + (b.lo1 - b.lo0) * t;
      const hi = b.hi0 + (b.hi1 - b.hi0) * t;
      const cLo = lo + b.closePad;
      const cHi = hi - b.closePad;
      let v = x[i];
      if (v > cHi) v = cHi - 0.5 * (v - cHi);
      if (v < cLo) v = cLo + 0.5 * (cLo - v);
      x[i] = Math.min(cHi, Math.max(cLo, v));
      wickLo[i] = lo - b.wickPad;
      wickHi[i] = hi + b.wickPad;
    }
  }

  // Sweeps: two closes beyond the level, the deepest wick on the second, then a close back inside.
  const sweepWick = new Map<number, number>();
  const poolTouches: Array<{ i: number; side: 'low' | 'high'; level: number }> = [];
  for (const s of plan.sweeps) {
    const b = barAtOrAfter(s.u, n);
    for (let m = 1; m <= 2; m++) if (b - m * POOL_SPACING >= 1) poolTouches.push({ i: b - m * POOL_SPACING, side: s.side, level: s.level });
    const dir = s.side === 'low' ? -1 : 1;
    const beyond = (frac: number) => s.level + dir * frac * s.depth;
    for (let k = 0; k < 3 && b + k < n; k++) {
      wickLo[b + k] = -Infinity;
      wickHi[b + k] = Infinity;
      eventVolume[b + k] *= k === 2 ? Math.sqrt(s.volume) : s.volume;
    }
    x[b] = beyond(0.45);
    if (b + 1 < n) {
      x[b + 1] = beyond(0.3);
      sweepWick.set(b + 1, beyond(1));
    }
    if (b + 2 < n) x[b + 2] = dir < 0 ? Math.max(x[b + 2], s.level + 0.25 * s.depth) : Math.min(x[b + 2], s.level - 0.25 * s.depth);
  }

  // Candles.
  const p0 = opts.startPrice;
  const { open, high, low, close, volume } = out;
  for (let i = 0; i < n; i++) {
    const c = p0 * Math.exp(x[i]);
    const o = i === 0 ? p0 : close[i - 1];
    close[i] = c;
    open[i] = o;
    const barSd = refSd * act[i];
    let up = Math.abs(wickRng.normal()) * WICK_SCALE * barSd;
    let down = Math.abs(wickRng.normal()) * WICK_SCALE * barSd;
    const body = Math.abs(Math.log(c / o));
    const sw = smallWick[i];
    if (sw === 1) {
      // Displacement candle: wicks a few percent of the body.
      up = Math.min(up, 0.06 * body * wickRng.next());
      down = Math.min(down, 0.06 * body * wickRng.next());
    } else if (sw === 2) down = Math.min(down, 0.1 * barSd);
    else if (sw === 3) up = Math.min(up, 0.1 * barSd);
    const top = Math.max(o, c);
    const bottom = Math.min(o, c);
    high[i] = Math.max(top, Math.min(top * Math.exp(up), p0 * Math.exp(wickHi[i])));
    low[i] = Math.min(bottom, Math.max(bottom * Math.exp(-down), p0 * Math.exp(wickLo[i])));
    const sweepTo = sweepWick.get(i);
    if (sweepTo !== undefined) {
      const level = p0 * Math.exp(sweepTo);
      if (level < bottom) low[i] = level;
      else if (level > top) high[i] = level;
    }
    // Volume: regime x size of the move against a normal bar (capped, so an event's spike stays 3-8x)
    // x event spike x direction tilt x lognormal noise.
    const r = i === 0 ? 0 : Math.log(c / o);
    const move = i === 0 || !(refSd > 0) ? 1 : Math.min(Math.abs(r) / refSd, 4);
    const tilt = r > 0 ? Math.exp(plan.volumeBias) : r < 0 ? Math.exp(-plan.volumeBias) : 1;
    volume[i] = opts.baseVolume * vmul[i] * (0.5 + 0.5 * move) * eventVolume[i] * tilt * Math.exp(0.3 * volRng.normal() - 0.045);
  }

  // Touches: the bar nearest each touch prints its extreme at the level (a hair inside, so pools look equal).
  for (const t of [...plan.touches.map((x) => ({ i: nearestBar(x.u, n), side: x.side, level: x.level })), ...poolTouches]) {
    const i = t.i;
    const level = p0 * Math.exp(t.level);
    if (t.side === 'high') high[i] = Math.max(Math.max(open[i], close[i]), level * (1 - 0.0002 * wickRng.next()));
    else low[i] = Math.min(Math.min(open[i], close[i]), level * (1 + 0.0002 * wickRng.next()));
  }
}

// Deliberately slow, readable reference implementations written from the textbook formulas, in a
// different shape from src/indicators: plain number[] arrays, every window recomputed from scratch,
// recursions written out over whole arrays. Used only by tests.

export type Arr = ArrayLike<number>;

const nan = (n: number): number[] => new Array<number>(n).fill(NaN);
const isNum = (x: number): boolean => !Number.isNaN(x);

function window(x: Arr, t: number, n: number): number[] {
  const w: number[] = [];
  for (let k = t - n + 1; k <= t; k++) w.push(x[k]);
  return w;
}

const sum = (w: number[]): number => w.reduce((a, b) => a + b, 0);
const mean = (w: number[]): number => sum(w) / w.length;
const div = (a: number, b: number): number => (b === 0 ? NaN : a / b);

/** SMA: mean of each full window; NaN if the window has a NaN. */
export function refSma(x: Arr, n: number): number[] {
  const out = nan(x.length);
  for (let t = n - 1; t < x.length; t++) out[t] = mean(window(x, t, n));
  return out;
}

export function refRollingSum(x: Arr, n: number): number[] {
  const out = nan(x.length);
  for (let t = n - 1; t < x.length; t++) out[t] = sum(window(x, t, n));
  return out;
}

/**
 * Exponential smoothing seeded by the mean of the first n valid values; NaN inputs give NaN and are
 * skipped by the recursion.
 */
export function refSeededSmoothing(x: Arr, n: number, alpha: number): number[] {
  const out = nan(x.length);
  const validIdx: number[] = [];
  for (let t = 0; t < x.length; t++) if (isNum(x[t])) validIdx.push(t);
  if (validIdx.length < n) return out;
  const seed = mean(validIdx.slice(0, n).map((t) => x[t]));
  let prev = seed;
  out[validIdx[n - 1]] = seed;
  for (const t of validIdx.slice(n)) {
    prev = alpha * x[t] + (1 - alpha) * prev;
    out[t] = prev;
  }
  return out;
}

export const refEma = (x: Arr, n: number): number[] => refSeededSmoothing(x, n, 2 / (n + 1));
export const refWilder = (x: Arr, n: number): number[] => refSeededSmoothing(x, n, 1 / n);

export function refWma(x: Arr, n: number): number[] {
  const out = nan(x.length);
  for (let t = n - 1; t < x.length; t++) {
    const w = window(x, t, n);
    let num = 0;
    for (let k = 0; k < n; k++) num += (k + 1) * w[k];
    out[t] = num / ((n * (n + 1)) / 2);
  }
  return out;
}

export function refDema(x: Arr, n: number): number[] {
  const e1 = refEma(x, n);
  const e2 = refEma(e1, n);
  return e1.map((v, i) => 2 * v - e2[i]);
}

export function refTema(x: Arr, n: number): number[] {
  const e1 = refEma(x, n);
  const e2 = refEma(e1, n);
  const e3 = refEma(e2, n);
  return e1.map((v, i) => 3 * v - 3 * e2[i] + e3[i]);
}

/** Triangular MA as one weighted window: weights = convolution of two boxcars (TA-Lib's split). */
export function refTrima(x: Arr, n: number): number[] {
  const a = Math.ceil(n / 2);
  const b = n % 2 === 1 ? a : Math.floor(n / 2) + 1;
  const w = new Array<number>(a + b - 1).fill(0);
  for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) w[i + j] += 1 / (a * b);
  const out = nan(x.length);
  for (let t = w.length - 1; t < x.length; t++) {
    let acc = 0;
    for (let k = 0; k < w.length; k++) acc += w[k] * x[t - w.length + 1 + k];
    out[t] = acc;
  }
  return out;
}

export function refZlma(x: Arr, n: number): number[] {
  const lag = Math.floor((n - 1) / 2);
  const adj = nan(x.length);
  for (let t = lag; t < x.length; t++) adj[t] = 2 * x[t] - x[t - lag];
  return refEma(adj, n);
}

export function refKama(x: Arr, n: number, fast = 2, slow = 30): number[] {
  const out = nan(x.length);
  if (x.length <= n) return out;
  const fr = 2 / (fast + 1);
  const sr = 2 / (slow + 1);
  let k = x[n - 1];
  for (let t = n; t < x.length; t++) {
    let noise = 0;
    for (let j = t - n + 1; j <= t; j++) noise += Math.abs(x[j] - x[j - 1]);
    const er = noise === 0 ? 0 : Math.abs(x[t] - x[t - n]) / noise;
    const sc = (er * (fr - sr) + sr) ** 2;
    k = k + sc * (x[t] - k);
    out[t] = k;
  }
  return out;
}

export function refAlma(x: Arr, n: number, sigma: number, offset: number): number[] {
  const out = nan(x.length);
  for (let t = n - 1; t < x.length; t++) {
    let num = 0;
    let den = 0;
    for (let j = 0; j < n; j++) {
      const m = Math.floor(offset * (n - 1));
      const s = n / sigma;
      const wj = Math.exp(-((j - m) ** 2) / (2 * s * s));
      num += wj * x[t - n + 1 + j];
      den += wj;
    }
    out[t] = num / den;
  }
  return out;
}

export function refLinreg(x: Arr, n: number): number[] {
  const out = nan(x.length);
  for (let t = n - 1; t < x.length; t++) {
    const y = window(x, t, n);
    if (n === 1) {
      out[t] = y[0];
      continue;
    }
    const xs = y.map((_, k) => k);
    const xb = mean(xs);
    const yb = mean(y);
    let sxy = 0;
    let sxx = 0;
    for (let k = 0; k < n; k++) {
      sxy += (xs[k] - xb) * (y[k] - yb);
      sxx += (xs[k] - xb) ** 2;
    }
    const slope = sxy / sxx;
    out[t] = yb + slope * (n - 1 - xb);
  }
  return out;
}

export function refMidprice(h: Arr, l: Arr, n: number): number[] {
  const out = nan(h.length);
  for (let t = n - 1; t < h.length; t++) out[t] = (Math.max(...window(h, t, n)) + Math.min(...window(l, t, n))) / 2;
  return out;
}

function changes(x: Arr): { up: number[]; down: number[] } {
  const up = nan(x.length);
  const down = nan(x.length);
  for (let t = 1; t < x.length; t++) {
    const d = x[t] - x[t - 1];
    up[t] = Math.max(d, 0);
    down[t] = Math.max(-d, 0);
  }
  return { up, down };
}

export function refRsi(x: Arr, n: number): number[] {
  const { up, down } = changes(x);
  const g = refWilder(up, n);
  const l = refWilder(down, n);
  return g.map((v, i) => div(100 * v, v + l[i]));
}

export function refCmo(x: Arr, n: number): number[] {
  const { up, down } = changes(x);
  const g = refWilder(up, n);
  const l = refWilder(down, n);
  return g.map((v, i) => div(100 * (v - l[i]), v + l[i]));
}

export function refTrueRange(h: Arr, l: Arr, c: Arr): number[] {
  const out = nan(h.length);
  for (let t = 1; t < h.length; t++) out[t] = Math.max(h[t] - l[t], Math.abs(h[t] - c[t - 1]), Math.abs(l[t] - c[t - 1]));
  return out;
}

export const refAtr = (h: Arr, l: Arr, c: Arr, n: number): number[] => refWilder(refTrueRange(h, l, c), n);

export function refCci(h: Arr, l: Arr, c: Arr, n: number): number[] {
  const tp = Array.from({ length: h.length }, (_, i) => (h[i] + l[i] + c[i]) / 3);
  const out = nan(h.length);
  for (let t = n - 1; t < h.length; t++) {
    const w = window(tp, t, n);
    const m = mean(w);
    const md = mean(w.map((v) => Math.abs(v - m)));
    out[t] = div(tp[t] - m, 0.015 * md);
  }
  return out;
}

export function refWillr(h: Arr, l: Arr, c: Arr, n: number): number[] {
  const out = nan(h.length);
  for (let t = n - 1; t < h.length; t++) {
    const hh = Math.max(...window(h, t, n));
    const ll = Math.min(...window(l, t, n));
    out[t] = div(100 * (c[t] - ll), hh - ll) - 100;
  }
  return out;
}

export function refMfi(h: Arr, l: Arr, c: Arr, v: Arr, n: number): number[] {
  const tp = Array.from({ length: h.length }, (_, i) => (h[i] + l[i] + c[i]) / 3);
  const out = nan(h.length);
  for (let t = n; t < h.length; t++) {
    let pos = 0;
    let neg = 0;
    for (let j = t - n + 1; j <= t; j++) {
      if (tp[j] > tp[j - 1]) pos += tp[j] * v[j];
      if (tp[j] < tp[j - 1]) neg += tp[j] * v[j];
    }
    out[t] = div(100 * pos, pos + neg);
  }
  return out;
}

export function refCmf(h: Arr, l: Arr, c: Arr, v: Arr, n: number): number[] {
  const out = nan(h.length);
  for (let t = n - 1; t < h.length; t++) {
    let mf = 0;
    let vol = 0;
    for (let j = t - n + 1; j <= t; j++) {
      const clv = h[j] === l[j] ? 0 : (c[j] - l[j] - (h[j] - c[j])) / (h[j] - l[j]);
      mf += clv * v[j];
      vol += v[j];
    }
    out[t] = div(mf, vol);
  }
  return out;
}

export function refUo(h: Arr, l: Arr, c: Arr, f: number, m: number, s: number): number[] {
  const out = nan(h.length);
  const avg = (t: number, n: number): number => {
    let bp = 0;
    let tr = 0;
    for (let j = t - n + 1; j <= t; j++) {
      bp += c[j] - Math.min(l[j], c[j - 1]);
      tr += Math.max(h[j], c[j - 1]) - Math.min(l[j], c[j - 1]);
    }
    return div(bp, tr);
  };
  for (let t = Math.max(f, m, s); t < h.length; t++) out[t] = (100 * (4 * avg(t, f) + 2 * avg(t, m) + avg(t, s))) / 7;
  return out;
}

export function refBbands(x: Arr, n: number, k: number): Record<string, number[]> {
  const r = { lower: nan(x.length), middle: nan(x.length), upper: nan(x.length), bandwidth: nan(x.length), percent_b: nan(x.length) };
  for (let t = n - 1; t < x.length; t++) {
    const w = window(x, t, n);
    const m = mean(w);
    const sd = Math.sqrt(mean(w.map((v) => (v - m) ** 2)));
    r.middle[t] = m;
    r.upper[t] = m + k * sd;
    r.lower[t] = m - k * sd;
    r.bandwidth[t] = div(100 * (r.upper[t] - r.lower[t]), m);
    r.percent_b[t] = div(x[t] - r.lower[t], r.upper[t] - r.lower[t]);
  }
  return r;
}

export function refStoch(h: Arr, l: Arr, c: Arr, k: number, d: number, smooth: number): Record<string, number[]> {
  const raw = nan(h.length);
  for (let t = k - 1; t < h.length; t++) {
    const hh = Math.max(...window(h, t, k));
    const ll = Math.min(...window(l, t, k));
    raw[t] = div(100 * (c[t] - ll), hh - ll);
  }
  const kk = refSma(raw, smooth);
  return { k: kk, d: refSma(kk, d) };
}

export function refStochRsi(x: Arr, n: number, rl: number, k: number, d: number): Record<string, number[]> {
  const r = refRsi(x, rl);
  const raw = nan(x.length);
  for (let t = n - 1; t < x.length; t++) {
    const w = window(r, t, n);
    if (w.some(Number.isNaN)) continue;
    raw[t] = div(100 * (r[t] - Math.min(...w)), Math.max(...w) - Math.min(...w));
  }
  const kk = refSma(raw, k);
  return { k: kk, d: refSma(kk, d) };
}

export function refMacd(x: Arr, f: number, s: number, g: number): Record<string, number[]> {
  const ef = refEma(x, f);
  const es = refEma(x, s);
  const m = ef.map((v, i) => v - es[i]);
  const sig = refEma(m, g);
  return { macd: m, signal: sig, histogram: m.map((v, i) => v - sig[i]) };
}

export function refPpo(x: Arr, f: number, s: number, g: number): Record<string, number[]> {
  const sf = refSma(x, f);
  const ss = refSma(x, s);
  const p = sf.map((v, i) => div(100 * (v - ss[i]), ss[i]));
  const sig = refEma(p, g);
  return { ppo: p, signal: sig, histogram: p.map((v, i) => v - sig[i]) };
}

export function refTrix(x: Arr, n: number, g: number): Record<string, number[]> {
  const e3 = refEma(refEma(refEma(x, n), n), n);
  const t = e3.map((v, i) => (i === 0 ? NaN : div(100 * (v - e3[i - 1]), e3[i - 1])));
  return { trix: t, signal: refSma(t, g) };
}

export function refTsi(x: Arr, f: number, s: number, g: number): Record<string, number[]> {
  const d = nan(x.length);
  for (let t = 1; t < x.length; t++) d[t] = x[t] - x[t - 1];
  const num = refEma(refEma(d, s), f);
  const den = refEma(refEma(d.map(Math.abs), s), f);
  const t = num.map((v, i) => div(100 * v, den[i]));
  return { tsi: t, signal: refEma(t, g) };
}

export function refKvo(h: Arr, l: Arr, c: Arr, v: Arr, f: number, s: number, g: number): Record<string, number[]> {
  const sv = nan(h.length);
  for (let t = 1; t < h.length; t++) {
    const now = (h[t] + l[t] + c[t]) / 3;
    const before = (h[t - 1] + l[t - 1] + c[t - 1]) / 3;
    sv[t] = v[t] * Math.sign(now - before);
  }
  const ef = refEma(sv, f);
  const es = refEma(sv, s);
  const k = ef.map((x, i) => x - es[i]);
  return { kvo: k, signal: refEma(k, g) };
}

/** TA-Lib's Wilder running sum: seed = sum of the first n-1 valid values, then S - S/n + x. */
export function refWilderSum(x: Arr, n: number): number[] {
  const out = nan(x.length);
  const idx: number[] = [];
  for (let t = 0; t < x.length; t++) if (isNum(x[t])) idx.push(t);
  const seedCount = Math.max(n - 1, 1);
  if (idx.length < seedCount) return out;
  let s = sum(idx.slice(0, seedCount).map((t) => x[t]));
  out[idx[seedCount - 1]] = s;
  for (const t of idx.slice(seedCount)) {
    s = s - s / n + x[t];
    out[t] = s;
  }
  return out;
}

function directional(h: Arr, l: Arr): { plus: number[]; minus: number[] } {
  const plus = nan(h.length);
  const minus = nan(h.length);
  for (let t = 1; t < h.length; t++) {
    const up = h[t] - h[t - 1];
    const dn = l[t - 1] - l[t];
    plus[t] = up > dn && up > 0 ? up : 0;
    minus[t] = dn > up && dn > 0 ? dn : 0;
  }
  return { plus, minus };
}

export function refDm(h: Arr, l: Arr, n: number): Record<string, number[]> {
  const { plus, minus } = directional(h, l);
  return { dmp: refWilderSum(plus, n), dmn: refWilderSum(minus, n) };
}

export function refAdx(h: Arr, l: Arr, c: Arr, n: number): Record<string, number[]> {
  const { plus, minus } = directional(h, l);
  const str = refWilderSum(refTrueRange(h, l, c), n);
  const sp = refWilderSum(plus, n);
  const sm = refWilderSum(minus, n);
  const dmp = nan(h.length);
  const dmn = nan(h.length);
  const dx = nan(h.length);
  for (let t = n; t < h.length; t++) {
    dmp[t] = div(100 * sp[t], str[t]);
    dmn[t] = div(100 * sm[t], str[t]);
    dx[t] = div(100 * Math.abs(dmp[t] - dmn[t]), dmp[t] + dmn[t]);
  }
  const adx = refWilder(dx, n);
  const adxr = adx.map((v, t) => (t >= n - 1 ? (v + adx[t - (n - 1)]) / 2 : NaN));
  return { adx, dmp, dmn, adxr };
}

export function refAroon(h: Arr, l: Arr, n: number): Record<string, number[]> {
  const up = nan(h.length);
  const down = nan(h.length);
  for (let t = n; t < h.length; t++) {
    // scan newest -> oldest; strict comparison keeps the most recent extreme on ties
    let hiAge = 0;
    let loAge = 0;
    for (let age = 1; age <= n; age++) {
      if (h[t - age] > h[t - hiAge]) hiAge = age;
      if (l[t - age] < l[t - loAge]) loAge = age;
    }
    up[t] = (100 * (n - hiAge)) / n;
    down[t] = (100 * (n - loAge)) / n;
  }
  return { up, down, osc: up.map((v, i) => v - down[i]) };
}

export function refVortex(h: Arr, l: Arr, c: Arr, n: number): Record<string, number[]> {
  const tr = refTrueRange(h, l, c);
  const vip = nan(h.length);
  const vim = nan(h.length);
  for (let t = n; t < h.length; t++) {
    let p = 0;
    let m = 0;
    let r = 0;
    for (let j = t - n + 1; j <= t; j++) {
      p += Math.abs(h[j] - l[j - 1]);
      m += Math.abs(l[j] - h[j - 1]);
      r += tr[j];
    }
    vip[t] = div(p, r);
    vim[t] = div(m, r);
  }
  return { vip, vim };
}

export function refKc(h: Arr, l: Arr, c: Arr, n: number, k: number): Record<string, number[]> {
  const basis = refEma(c, n);
  const band = refEma(refTrueRange(h, l, c), n);
  const b = basis.map((v, i) => (Number.isNaN(band[i]) ? NaN : v));
  return { basis: b, upper: b.map((v, i) => v + k * band[i]), lower: b.map((v, i) => v - k * band[i]) };
}

export function refDonchian(h: Arr, l: Arr, lo: number, up: number): Record<string, number[]> {
  const r = { lower: nan(h.length), middle: nan(h.length), upper: nan(h.length) };
  for (let t = Math.max(lo, up) - 1; t < h.length; t++) {
    r.upper[t] = Math.max(...window(h, t, up));
    r.lower[t] = Math.min(...window(l, t, lo));
    r.middle[t] = (r.upper[t] + r.lower[t]) / 2;
  }
  return r;
}

/** SuperTrend transcribed from pandas_ta's documented loop: basic bands first, then the walk. */
export function refSupertrend(h: Arr, l: Arr, c: Arr, n: number, mult: number): Record<string, number[]> {
  const a = refAtr(h, l, c, n);
  const upper = a.map((v, i) => (h[i] + l[i]) / 2 + mult * v);
  const lower = a.map((v, i) => (h[i] + l[i]) / 2 - mult * v);
  const dir = new Array<number>(h.length).fill(1);
  const r = { trend: nan(h.length), direction: nan(h.length), long: nan(h.length), short: nan(h.length) };
  for (let i = 1; i < h.length; i++) {
    if (c[i] > upper[i - 1]) dir[i] = 1;
    else if (c[i] < lower[i - 1]) dir[i] = -1;
    else {
      dir[i] = dir[i - 1];
      if (dir[i] > 0 && lower[i] < lower[i - 1]) lower[i] = lower[i - 1];
      if (dir[i] < 0 && upper[i] > upper[i - 1]) upper[i] = upper[i - 1];
    }
    if (Number.isNaN(a[i])) continue;
    r.direction[i] = dir[i];
    if (dir[i] > 0) r.trend[i] = r.long[i] = lower[i];
    else r.trend[i] = r.short[i] = upper[i];
  }
  return r;
}

export function refPsar(h: Arr, l: Arr, c: Arr, af0: number, step: number, maxAf: number): Record<string, number[]> {
  const r = { long: nan(h.length), short: nan(h.length), af: nan(h.length), reversal: nan(h.length) };
  let falling = l[0] - l[1] > h[1] - h[0] && l[0] - l[1] > 0;
  let sar = c[0];
  let ep = falling ? l[0] : h[0];
  let af = af0;
  for (let i = 1; i < h.length; i++) {
    let next = sar + af * (ep - sar);
    const reverse = falling ? h[i] > next : l[i] < next;
    if (falling) {
      if (l[i] < ep) [ep, af] = [l[i], Math.min(af + step, maxAf)];
      next = Math.max(h[i - 1], next);
    } else {
      if (h[i] > ep) [ep, af] = [h[i], Math.min(af + step, maxAf)];
      next = Math.min(l[i - 1], next);
    }
    if (reverse) {
      next = ep;
      af = af0;
      falling = !falling;
      ep = falling ? l[i] : h[i];
    }
    sar = next;
    (falling ? r.short : r.long)[i] = sar;
    r.af[i] = af;
    r.reversal[i] = reverse ? 1 : 0;
  }
  return r;
}

export function refSqueeze(h: Arr, l: Arr, c: Arr, bbl: number, bbs: number, kcl: number, kcs: number): Record<string, number[]> {
  const bb = refBbands(c, bbl, bbs);
  const basis = refSma(c, kcl);
  const range = refSma(refTrueRange(h, l, c), kcl);
  const mom = nan(h.length);
  for (let t = 12; t < h.length; t++) mom[t] = c[t] - c[t - 12];
  const r = { sqz: refSma(mom, 6), on: nan(h.length), off: nan(h.length), no_sqz: nan(h.length) };
  for (let t = 0; t < h.length; t++) {
    const kl = basis[t] - kcs * range[t];
    const ku = basis[t] + kcs * range[t];
    if (Number.isNaN(kl) || Number.isNaN(bb.lower[t])) continue;
    const on = bb.lower[t] > kl && bb.upper[t] < ku;
    const off = bb.lower[t] < kl && bb.upper[t] > ku;
    r.on[t] = Number(on);
    r.off[t] = Number(off);
    r.no_sqz[t] = Number(!on && !off);
  }
  return r;
}

export function refFisher(h: Arr, l: Arr, n: number): Record<string, number[]> {
  const mid = Array.from({ length: h.length }, (_, i) => (h[i] + l[i]) / 2);
  const f = nan(h.length);
  if (h.length >= n) f[n - 1] = 0;
  let v = 0;
  for (let t = n; t < h.length; t++) {
    const w = window(mid, t, n);
    const hi = Math.max(...w);
    const lo = Math.min(...w);
    const range = Math.max(hi - lo, 0.001);
    v = 0.66 * ((mid[t] - lo) / range - 0.5) + 0.67 * v;
    v = v < -0.99 ? -0.999 : v > 0.99 ? 0.999 : v;
    f[t] = 0.5 * Math.log((1 + v) / (1 - v)) + 0.5 * f[t - 1];
  }
  return { fisher: f, signal: f.map((_, t) => (t === 0 ? NaN : f[t - 1])) };
}

export function refObv(c: Arr, v: Arr): number[] {
  const out: number[] = [v[0]];
  for (let t = 1; t < c.length; t++) out.push(out[t - 1] + v[t] * Math.sign(c[t] - c[t - 1]));
  return out;
}

/** UTC calendar keys computed with Date (a different route from the library's integer arithmetic). */
export function refSessionId(ts: number, anchor: 'D' | 'W' | 'M'): string {
  const d = new Date(ts);
  if (anchor === 'D') return d.toISOString().slice(0, 10);
  if (anchor === 'M') return d.toISOString().slice(0, 7);
  const monday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - ((d.getUTCDay() + 6) % 7)));
  return monday.toISOString().slice(0, 10);
}

export function refVwap(ts: Arr, h: Arr, l: Arr, c: Arr, v: Arr, anchor: 'D' | 'W' | 'M'): number[] {
  const out = nan(ts.length);
  const ids = Array.from(ts, (x) => refSessionId(x, anchor));
  for (let t = 0; t < ts.length; t++) {
    let pv = 0;
    let vol = 0;
    for (let j = t; j >= 0 && ids[j] === ids[t]; j--) {
      pv += ((h[j] + l[j] + c[j]) / 3) * v[j];
      vol += v[j];
    }
    out[t] = div(pv, vol);
  }
  return out;
}

export function refSessionLevels(ts: Arr, h: Arr, l: Arr): Record<string, number[]> {
  const n = ts.length;
  const r = {
    prev_day_high: nan(n),
    prev_day_low: nan(n),
    current_day_high: nan(n),
    current_day_low: nan(n),
    prev_week_high: nan(n),
    prev_week_low: nan(n),
  };
  const idsOf = { D: Array.from(ts, (x) => refSessionId(x, 'D')), W: Array.from(ts, (x) => refSessionId(x, 'W')) };
  const levels = (t: number, anchor: 'D' | 'W'): { curHi: number; curLo: number; prevHi: number; prevLo: number } => {
    const ids = idsOf[anchor];
    const cur: number[] = [];
    let j = t;
    for (; j >= 0 && ids[j] === ids[t]; j--) cur.push(j);
    const prev: number[] = [];
    if (j >= 0) {
      const pid = ids[j];
      for (; j >= 0 && ids[j] === pid; j--) prev.push(j);
    }
    return {
      curHi: Math.max(...cur.map((k) => h[k])),
      curLo: Math.min(...cur.map((k) => l[k])),
      prevHi: prev.length ? Math.max(...prev.map((k) => h[k])) : NaN,
      prevLo: prev.length ? Math.min(...prev.map((k) => l[k])) : NaN,
    };
  };
  for (let t = 0; t < n; t++) {
    const d = levels(t, 'D');
    const w = levels(t, 'W');
    r.current_day_high[t] = d.curHi;
    r.current_day_low[t] = d.curLo;
    r.prev_day_high[t] = d.prevHi;
    r.prev_day_low[t] = d.prevLo;
    r.prev_week_high[t] = w.prevHi;
    r.prev_week_low[t] = w.prevLo;
  }
  return r;
}

/** Brute-force swing pivots and anchor events, following the documented rules in src/indicators/anchors.ts. */
export function refAnchorResets(h: Arr, l: Arr, source: string, left = 5, right = 5): number[] {
  const out = new Array<number>(h.length).fill(0);
  let last = '';
  for (let c = 0; c < h.length; c++) {
    const p = c - right;
    if (p - left < 0) continue;
    const others = (x: Arr): number[] => [...window(x, p - 1, left), ...Array.from({ length: right }, (_, k) => x[p + 1 + k])];
    const isHigh = others(h).every((v) => v < h[p]);
    const isLow = others(l).every((v) => v > l[p]);
    const events: string[] = [];
    if (isHigh) events.push('high');
    if (isLow) events.push('low');
    for (const e of events) {
      if (source === 'swing_any' || source === `swing_${e}`) out[c] = 1;
      const pairEnds = last !== '' && last !== e;
      if (pairEnds && (source === 'pair_any' || source === `pair_${e}`)) out[c] = 1;
      last = e;
    }
  }
  return out;
}

export function refAnchoredVwap(h: Arr, l: Arr, c: Arr, v: Arr, resets: number[]): Record<string, number[]> {
  const value = nan(h.length);
  const bars = nan(h.length);
  for (let t = 0; t < h.length; t++) {
    let a = t;
    while (a > 0 && resets[a] !== 1) a--;
    let pv = 0;
    let vol = 0;
    for (let j = a; j <= t; j++) {
      pv += ((h[j] + l[j] + c[j]) / 3) * v[j];
      vol += v[j];
    }
    value[t] = div(pv, vol);
    bars[t] = t - a + 1;
  }
  return { value, bars_since_anchor: bars };
}

/** Volume profile of bars [start, t], straight from the definition in src/indicators/volume-profile.ts. */
export function refProfileAt(h: Arr, l: Arr, c: Arr, v: Arr, start: number, t: number, nb: number, pct: number): Record<string, number> {
  const bars = [];
  for (let j = start; j <= t; j++) if (v[j] > 0) bars.push(j);
  const none = { poc: NaN, vah: NaN, val: NaN, poc_volume: NaN, above_poc: NaN, in_value_area: NaN };
  if (bars.length === 0) return none;
  const lo = Math.min(...bars.map((j) => l[j]));
  const hi = Math.max(...bars.map((j) => h[j]));
  const total = sum(bars.map((j) => v[j]));
  if (hi === lo) return { poc: lo, vah: lo, val: lo, poc_volume: total, above_poc: Number(c[t] > lo), in_value_area: Number(c[t] === lo) };
  const width = (hi - lo) / nb;
  const vol = new Array<number>(nb).fill(0);
  for (const j of bars) {
    const a = Math.min(nb - 1, Math.floor((l[j] - lo) / width));
    const b = Math.min(nb - 1, Math.floor((h[j] - lo) / width));
    for (let k = a; k <= b; k++) vol[k] += v[j] / (b - a + 1);
  }
  const poc = vol.indexOf(Math.max(...vol));
  let a = poc;
  let b = poc;
  let acc = vol[poc];
  while (acc < total * pct && (a > 0 || b < nb - 1)) {
    const down = a > 0 ? vol[a - 1] : -1;
    const up = b < nb - 1 ? vol[b + 1] : -1;
    if (up >= down) acc += vol[++b];
    else acc += vol[--a];
  }
  const price = (k: number): number => lo + (k + 0.5) * width;
  return {
    poc: price(poc),
    vah: price(b),
    val: price(a),
    poc_volume: vol[poc],
    above_poc: Number(c[t] > price(poc)),
    in_value_area: Number(c[t] >= price(a) && c[t] <= price(b)),
  };
}

export function refVolumeProfile(h: Arr, l: Arr, c: Arr, v: Arr, nb: number, lookback: number, pct: number, resets?: number[]): Record<string, number[]> {
  const keys = ['poc', 'vah', 'val', 'poc_volume', 'above_poc', 'in_value_area'];
  const r: Record<string, number[]> = Object.fromEntries(keys.map((k) => [k, nan(h.length)]));
  let anchor = 0;
  for (let t = 0; t < h.length; t++) {
    if (resets && resets[t] === 1) anchor = t;
    if (!resets && t < lookback - 1) continue;
    const start = resets ? Math.max(anchor, t - lookback + 1) : t - lookback + 1;
    const p = refProfileAt(h, l, c, v, start, t, nb, pct);
    for (const k of keys) r[k][t] = p[k];
  }
  return r;
}

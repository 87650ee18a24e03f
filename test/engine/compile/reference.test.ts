// The compiled conditions against a deliberately simple per-bar reference evaluator written here: it walks
// the play's condition tree at every bar, reads base columns (exec-timeframe offsets it applies itself),
// compares ENUMs by label text, and uses null for "unknown". Run on real BTC candles for a play exercising
// every operator and form with real ENUM/INT/BOOL structure fields and a 4h timeframe, and for every example play.
import { describe, expect, it } from 'vitest';
import type { Condition, Emit, Operand, Play, Scalar } from '../../../src/dsl/index.ts';
import { durationMinutes, INTERVAL_MINUTES, refText } from '../../../src/dsl/index.ts';
import { compilePlay, execIntervalOf, type CompiledPlay } from '../../../src/engine/index.ts';
import { btcData, examplePlay, examplePlayFiles, play1h } from './helpers.ts';

type V = boolean | null;

class Reference {
  private readonly cols = new Map<string, { col: Float64Array; labels?: readonly string[] }>();
  private readonly setupMemo = new Map<string, V>();

  constructor(private readonly c: CompiledPlay) {}

  private tfOf(o: Extract<Operand, { kind: 'ref' }>): string {
    const r = o.ref;
    if (r.source === 'builtin') return this.c.execInterval;
    const decl = r.source === 'feature' ? this.c.play.features.find((f) => f.key === r.key) : this.c.play.structures.find((s) => s.key === r.key);
    return decl!.tf;
  }

  /** Base column: exec-timeframe columns unshifted (offsets applied by the reference), others with their offset. */
  private base(o: Extract<Operand, { kind: 'ref' }>): { col: Float64Array; labels?: readonly string[]; shift: number } {
    const text = refText(o.ref);
    const exec = this.tfOf(o) === this.c.execInterval;
    const key = exec ? text : `${text}@${o.offset}`;
    let hit = this.cols.get(key);
    if (!hit) {
      hit = { col: this.c.column(text, exec ? 0 : o.offset), labels: this.c.enumValues(text) };
      this.cols.set(key, hit);
    }
    return { ...hit, shift: exec ? o.offset : 0 };
  }

  /** A value: a finite number, a label (ENUM), or null when missing. */
  value(o: Operand, i: number): number | string | null {
    switch (o.kind) {
      case 'const':
        return typeof o.value === 'boolean' ? (o.value ? 1 : 0) : o.value;
      case 'ref': {
        const { col, labels, shift } = this.base(o);
        const v = i - shift >= 0 ? col[i - shift] : NaN;
        if (!Number.isFinite(v)) return null;
        return labels ? (labels[v] ?? null) : v;
      }
      case 'arith': {
        const a = this.value(o.left, i), b = this.value(o.right, i);
        if (typeof a !== 'number' || typeof b !== 'number') return null;
        let r: number;
        if (o.op === '+') r = a + b;
        else if (o.op === '-') r = a - b;
        else if (o.op === '*') r = a * b;
        else if (b === 0) return null;
        else if (o.op === '/') r = a / b;
        else r = a - b * Math.floor(a / b); // Python's modulo
        return Number.isFinite(r) ? r : null;
      }
      default:
        return null;
    }
  }

  cond(c: Condition, i: number): V {
    switch (c.kind) {
      case 'all': {
        const vs = c.items.map((x) => this.cond(x, i));
        return vs.includes(false) ? false : vs.includes(null) ? null : true;
      }
      case 'any': {
        const vs = c.items.map((x) => this.cond(x, i));
        return vs.includes(true) ? true : vs.includes(null) ? null : false;
      }
      case 'not': {
        const v = this.cond(c.item, i);
        return v === null ? null : !v;
      }
      case 'setup': {
        const key = `${c.name}@${i}`;
        if (!this.setupMemo.has(key)) this.setupMemo.set(key, this.cond(this.c.play.setups[c.name], i));
        return this.setupMemo.get(key)!;
      }
      case 'window': {
        const execMin = INTERVAL_MINUTES[this.c.execInterval];
        const bars = c.duration ? Math.max(1, Math.ceil(durationMinutes(c.duration)! / execMin)) : (c.bars as number);
        const stride = c.anchor_tf ? Math.max(1, Math.round(INTERVAL_MINUTES[c.anchor_tf] / execMin)) : 1;
        const samples: V[] = [];
        for (let k = 0; k < bars; k++) samples.push(i - k * stride >= 0 ? this.cond(c.expr, i - k * stride) : null);
        const t = samples.filter((s) => s === true).length;
        const f = samples.filter((s) => s === false).length;
        if (c.op === 'holds_for') return f > 0 ? false : t === bars ? true : null;
        if (c.op === 'occurred_within') return t > 0 ? true : f === bars ? false : null;
        const m = c.min_true as number;
        return t >= m ? true : bars - f < m ? false : null;
      }
      case 'cmp':
        return this.cmp(c, i);
    }
  }

  private cmp(c: Extract<Condition, { kind: 'cmp' }>, i: number): V {
    const l = this.value(c.lhs, i);
    if (l === null) return null;
    const same = (a: number | string, b: Scalar) => (typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : a === (typeof b === 'boolean' ? (b ? 1 : 0) : b));
    if (c.op === 'between' && c.rhs.kind === 'range') return (l as number) >= c.rhs.low && (l as number) <= c.rhs.high;
    if (c.op === 'in' && c.rhs.kind === 'list') return c.rhs.values.some((v) => same(l, v));
    const r = this.value(c.rhs, i);
    if (r === null) return null;
    const a = l as number, b = r as number;
    switch (c.op) {
      case '>':
        return a > b;
      case '<':
        return a < b;
      case '>=':
        return a >= b;
      case '<=':
        return a <= b;
      case '==':
        return same(l, r);
      case '!=':
        return !same(l, r);
      case 'near_abs':
        return Math.abs(a - b) <= c.tolerance!;
      case 'near_pct':
        return b === 0 ? null : Math.abs(a - b) / Math.abs(b) <= c.tolerance! / 100;
      default: {
        if (i === 0) return null;
        const l0 = this.value(c.lhs, i - 1), r0 = this.value(c.rhs, i - 1);
        if (l0 === null || r0 === null) return null;
        return c.op === 'cross_above' ? (l0 as number) <= (r0 as number) && a > b : (l0 as number) >= (r0 as number) && a < b;
      }
    }
  }

  /** Signals and exit percents the way the actions read: rules fire when TRUE; cases take the first TRUE one. */
  signals(): { signals: Record<string, number[]>; percent: Record<string, number[]>; conditions: Record<string, number[]> } {
    const { play, n } = this.c;
    const names = ['entry_long', 'entry_short', 'exit_long', 'exit_short', 'exit_all'];
    const signals = Object.fromEntries(names.map((a) => [a, new Array(n).fill(0)]));
    const percent = Object.fromEntries(names.map((a) => [a, new Array(n).fill(100)]));
    const conditions: Record<string, number[]> = {};
    for (const s of Object.keys(play.setups)) conditions[`setup.${s}`] = [];
    const emit = (e: Emit, i: number) => {
      if (e.action === 'no_action') return;
      const p = e.percent ?? 100;
      percent[e.action][i] = signals[e.action][i] ? Math.max(percent[e.action][i], p) : p;
      signals[e.action][i] = 1;
    };
    for (let i = 0; i < n; i++) {
      for (const s of Object.keys(play.setups)) conditions[`setup.${s}`].push(this.cond(play.setups[s], i) === true ? 1 : 0);
      if (play.actions.form === 'rules') {
        for (const r of play.actions.rules) {
          const v = this.cond(r.when, i) === true;
          (conditions[`when.${r.action}`] ??= []).push(v ? 1 : 0);
          if (v) emit({ action: r.action }, i);
        }
      } else {
        for (const b of play.actions.blocks) {
          const vs = b.cases.map((c) => this.cond(c.when, i) === true);
          vs.forEach((v, k) => (conditions[`${b.id}.case[${k}]`] ??= []).push(v ? 1 : 0));
          const hit = vs.indexOf(true);
          for (const e of hit >= 0 ? b.cases[hit].emit : (b.else?.emit ?? [])) emit(e, i);
        }
      }
    }
    return { signals, percent, conditions };
  }
}

function expectMatchesReference(compiled: CompiledPlay): void {
  const ref = new Reference(compiled).signals();
  const conds = compiled.conditionColumns();
  expect(Object.keys(conds).sort()).toEqual(Object.keys(ref.conditions).sort());
  for (const [name, col] of Object.entries(conds)) expect(Array.from(col), name).toEqual(ref.conditions[name]);
  for (const [name, col] of Object.entries(compiled.signals)) expect(Array.from(col), `signal ${name}`).toEqual(ref.signals[name]);
  for (const [name, col] of Object.entries(compiled.exitPercent)) expect(Array.from(col), `percent ${name}`).toEqual(ref.percent[name]);
}

const KITCHEN_SINK = `
features:
  ema_fast: { indicator: ema, params: { length: 9 } }
  ema_slow: { indicator: ema, params: { length: 21 } }
  rsi_14: { indicator: rsi, params: { length: 14 } }
  atr_14: { indicator: atr, params: { length: 14 } }
  macd: { indicator: macd, params: { fast: 12, slow: 26, signal: 9 } }
  st: { indicator: supertrend, params: { length: 10, multiplier: 3 } }
  vol_sma: { indicator: sma, source: volume, params: { length: 20 } }
  ema_4h: { indicator: ema, tf: high_tf, params: { length: 10 } }
structures:
  exec:
    - { type: swing, key: swing, params: { left: 3, right: 3, atr_key: atr_14 } }
    - { type: trend, key: trend, uses: swing }
    - { type: market_structure, key: ms, uses: swing }
    - { type: fibonacci, key: fib, uses: swing, params: { levels: [0.5, 0.618], mode: retracement } }
    - { type: premium_discount, key: pd, uses: swing }
  high_tf:
    - { type: trend, key: trend_4h, params: { ema_length: 10 } }
setups:
  bull:
    all:
      - [trend.direction, "==", 1]
      - [ema_fast, ">", ema_slow]
  bos_recent:
    occurred_within:
      bars: 12
      expr:
        - [ms.bos_this_bar, "==", 1]
actions:
  - id: entry
    cases:
      - when:
          all:
            - setup: bull
            - [pd.zone, in, [discount, equilibrium]]
            - [close, near_pct, "fib.level[0.618]", 2]
            - [rsi_14, between, [30, 60]]
        emit:
          - action: entry_long
      - when:
          all:
            - [trend_4h.state, "==", trending_down]
            - [close, "<", ema_4h]
            - any:
                - [ms.bos_direction, "==", bearish]
                - [trend.last_wave_direction, "==", ms.bos_direction]
            - lhs: [close, "-", ema_slow]
              op: "<"
              rhs: { "*": [atr_14, -0.5] }
        emit:
          - action: entry_short
      - when:
          all:
            - setup: bos_recent
            - [ms.bias, in, [1]]
            - holds_for: { bars: 2, anchor_tf: "4h", expr: [[close, ">", ema_4h]] }
            - lhs: [volume, "/", vol_sma]
              op: ">"
              rhs: 1.2
        emit:
          - action: entry_long
    else:
      emit:
        - action: no_action
  - id: exits
    cases:
      - when:
          any:
            - [ema_fast, cross_below, ema_slow]
            - [st.direction, "==", -1]
        emit:
          - action: exit_long
            percent: 50
      - when:
          count_true:
            bars: 6
            min_true: 4
            expr:
              - lhs: close
                op: "<"
                rhs: { feature_id: close, offset: 1 }
        emit:
          - action: exit_long
      - when:
          all:
            - holds_for_duration: { duration: "3h", expr: [[rsi_14, ">", 55]] }
            - not: [macd.histogram, "<", 0]
            - [close, near_abs, { feature_id: ema_fast, offset: 2 }, 150]
            - lhs: { feature_id: ema_4h, offset: 1 }
              op: "<"
              rhs: ema_4h
        emit:
          - action: exit_short
          - action: exit_all
            percent: 25
`;

describe('compiled conditions equal the reference evaluator', () => {
  it('a play using every operator and form on real 1h candles with a 4h timeframe', () => {
    const data = btcData('1h');
    const compiled = compilePlay(play1h(KITCHEN_SINK), data);
    expectMatchesReference(compiled);
    // the play is not vacuous: every case fires somewhere and stays off somewhere
    for (const [name, col] of Object.entries(compiled.conditionColumns())) {
      const ones = col.reduce((s, x) => s + x, 0);
      expect(ones, name).toBeGreaterThan(0);
      expect(ones, name).toBeLessThan(col.length);
    }
  });

  for (const file of examplePlayFiles()) {
    it(`example ${file}`, () => {
      const p: Play = examplePlay(file);
      const compiled = compilePlay(p, btcData(execIntervalOf(p), execIntervalOf(p) === '15m' ? 3000 : 2000));
      expectMatchesReference(compiled);
    });
  }
});

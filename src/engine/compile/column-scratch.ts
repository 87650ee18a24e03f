// Byte columns a compilation borrows and a scoring loop gives back, so a population scored one variant after
// another reuses the same few condition columns instead of allocating new ones per backtest.
//
// Why: typed arrays live outside V8's heap, and V8 starts a full mark-compact whenever enough such memory has
// been allocated since the last one. The seed example's four condition columns (~216 KB per backtest on 55k
// bars) forced one every ~300 backtests; its concurrent marking ran on the other core, so one evaluating
// thread already kept ~1.3 cores busy and two worker threads could not scale.

/** Free columns kept for reuse at most (a scoring loop needs a handful; more lengths only come and go). */
const MAX_FREE = 64;

export class ColumnScratch {
  private readonly free: Uint8Array[] = [];
  private readonly lent: Uint8Array[] = [];

  /** A column of `n` bytes, all zero when `zeroed` (else its bytes are left over: the caller writes every one). Valid until `release`. */
  take(n: number, zeroed: boolean): Uint8Array {
    const free = this.free;
    for (let k = free.length - 1; k >= 0; k--) {
      const c = free[k];
      if (c.length !== n) continue;
      free[k] = free[free.length - 1];
      free.pop();
      if (zeroed) c.fill(0);
      this.lent.push(c);
      return c;
    }
    const c = new Uint8Array(n);
    this.lent.push(c);
    return c;
  }

  /** Every column taken since the last release may be handed out again: nothing may read them after this. */
  release(): void {
    for (const c of this.lent) this.free.push(c);
    this.lent.length = 0;
    if (this.free.length > MAX_FREE) this.free.splice(0, this.free.length - MAX_FREE);
  }

  /** Columns currently lent and kept free (tests). */
  counts(): { lent: number; free: number } {
    return { lent: this.lent.length, free: this.free.length };
  }
}

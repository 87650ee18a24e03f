// Market series that are not candles: Playforge's `funding_rate` built-in and TRADE's `open_interest`.
//
// funding_rate at an exec bar is the last funding rate SETTLED at or before that bar's close, forward-filled,
// NaN before the first settlement. PlayData.funding carries each settlement on the bar whose span
// [open, next open) contains its time (data's alignFunding), so a rate settling exactly at a bar's close
// time is seen one bar later, at the close of the bar that opens then: conservative, never early.
// open_interest has no data source yet: its column is all NaN, so every condition reading it is false.

/** Last settled value, carried forward; NaN before the first settlement (or everywhere when there is none). */
export function forwardFillSettlements(perBar: Float64Array | undefined, n: number): Float64Array {
  const out = new Float64Array(n);
  let last = NaN;
  for (let i = 0; i < n; i++) {
    const v = perBar && i < perBar.length ? perBar[i] : NaN;
    if (!Number.isNaN(v)) last = v;
    out[i] = last;
  }
  return out;
}

/** An exec series sampled onto another timeframe: tf bar j takes the value of the last exec bar closed by its close. */
export function sampleOnTimeframe(execSeries: Float64Array, execClose: Float64Array, tfClose: Float64Array): Float64Array {
  const out = new Float64Array(tfClose.length);
  let i = -1;
  for (let j = 0; j < tfClose.length; j++) {
    while (i + 1 < execClose.length && execClose[i + 1] <= tfClose[j]) i++;
    out[j] = i >= 0 ? execSeries[i] : NaN;
  }
  return out;
}

export function missingSeries(n: number): Float64Array {
  return new Float64Array(n).fill(NaN);
}

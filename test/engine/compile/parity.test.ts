// Vectorised (backtest) and scalar (paper/live) evaluation agree on every bar of every example play: the
// actions actionsAt(i) returns are exactly the signals set at bar i, with the same exit percents.
import { describe, expect, it } from 'vitest';
import { compilePlay, execIntervalOf, SIGNAL_NAMES, type CompiledPlay } from '../../../src/engine/index.ts';
import { btcData, examplePlay, examplePlayFiles } from './helpers.ts';

function expectParity(c: CompiledPlay): number {
  let fired = 0;
  for (let i = 0; i < c.n; i++) {
    const want = SIGNAL_NAMES.filter((a) => c.signals[a][i] === 1).map((action) => ({
      action,
      percent: action === 'exit_long' || action === 'exit_short' || action === 'exit_all' ? c.exitPercent[action][i] : 100,
    }));
    const got = c.actionsAt(i);
    if (got.length !== want.length || got.some((g, k) => g.action !== want[k].action || g.percent !== want[k].percent)) {
      expect(got, `bar ${i}`).toEqual(want);
    }
    fired += got.length;
  }
  return fired;
}

describe('scalar and vectorised evaluation agree on every bar', () => {
  for (const file of examplePlayFiles()) {
    it(file, () => {
      const p = examplePlay(file);
      const iv = execIntervalOf(p);
      const c = compilePlay(p, btcData(iv, iv === '15m' ? 4000 : undefined));
      const fired = expectParity(c);
      expect(fired).toBeGreaterThan(0);
    });
  }
});

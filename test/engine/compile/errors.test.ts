// Compile-time errors a user can act on: unresolved ranges, data on the wrong interval, unknown references.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlay } from '../../../src/dsl/index.ts';
import { compilePlay, execIntervalOf, withExecInterval } from '../../../src/engine/index.ts';
import { btcData, EXAMPLE_PLAYS_DIR, examplePlay, play1h } from './helpers.ts';

describe('compile errors', () => {
  it('a play with ranges left must be resolved first', () => {
    const { play } = loadPlay(readFileSync(path.join(EXAMPLE_PLAYS_DIR, 'macd_momentum.yml'), 'utf8'));
    expect(() => compilePlay(play!, btcData('1h', 100))).toThrow(expect.objectContaining({ code: 'ENGINE_PLAY_NOT_CONCRETE' }));
  });

  it('the data must be on the play\'s exec interval, unless the play is moved onto it', () => {
    const seed = examplePlay('regime_markov_candidate_001.yml'); // timeframes left at the 15m default
    expect(execIntervalOf(seed)).toBe('15m');
    expect(() => compilePlay(seed, btcData('1h', 300))).toThrow(expect.objectContaining({ code: 'ENGINE_EXEC_INTERVAL_MISMATCH' }));
    const moved = withExecInterval(seed, '1h');
    expect(moved.features.map((f) => f.tf)).toEqual(['1h', '1h']);
    expect(moved.structures.map((s) => s.tf)).toEqual(['1h']);
    expect(moved.timeframes).toMatchObject({ low_tf: '1h', exec: 'low_tf' });
    expect(compilePlay(moved, btcData('1h', 300)).n).toBe(300);
    expect(withExecInterval(moved, '1h')).toBe(moved);
  });

  it('column() names what is unknown', () => {
    const c = compilePlay(play1h('features:\n  ema_9: { indicator: ema, params: { length: 9 } }\nactions:\n  entry_long: [[close, ">", ema_9]]'), btcData('1h', 100));
    expect(() => c.column('ema_10')).toThrow(expect.objectContaining({ code: 'ENGINE_UNKNOWN_REFERENCE' }));
    expect(() => c.column('ema_9.signal')).toThrow(/has no output 'signal'/);
    expect(c.column('ema_9')).toBe(c.column('ema_9.value'));
    expect(c.enumValues('ema_9')).toBeUndefined();
  });
});

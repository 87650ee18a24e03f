// A sample of TRADE's own plays (test/fixtures/trade-plays, unchanged) validates; the whole 266-play
// corpus is checked by `npm run corpus -- <path>` (tests may not read /work/shared).
import { describe, it, expect } from 'vitest';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPlayFile, type Play } from '../../src/dsl/index.ts';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/trade-plays');
const files = readdirSync(DIR).filter((f) => f.endsWith('.yml')).sort();

async function load(name: string): Promise<Play> {
  const { play, errors } = await loadPlayFile(path.join(DIR, name));
  expect(errors.map((e) => e.format())).toEqual([]);
  return play!;
}

describe('TRADE plays', () => {
  it('has 10-15 fixtures', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    expect(files.length).toBeLessThanOrEqual(15);
  });

  for (const f of files) it(`${f} validates`, async () => void (await load(f)));

  it('reads role-by-timeframe structures and market_structure direction/event_type', async () => {
    const p = await load('V_T30_003_ms_4h.yml');
    expect(p.structures.map((s) => [s.key, s.role, s.tf, s.tf_key ?? null])).toEqual([
      ['swing', 'exec', '15m', null], ['swing_4h', 'med_tf', '4h', '4h'], ['ms_4h', 'med_tf', '4h', '4h'],
    ]);
    const rule = p.actions.form === 'rules' ? p.actions.rules[0] : undefined;
    expect(rule?.when).toMatchObject({
      kind: 'all',
      items: [
        { op: '!=', lhs: { ref: { key: 'ms_4h', field: 'event_type', type: 'INT' } } },
        { op: '==', lhs: { ref: { key: 'ms_4h', field: 'direction', type: 'INT' } } },
        { op: '>' },
      ],
    });
  });

  it('reads fib level_<ratio> spelling and BOOL == true', async () => {
    const p = await load('V_T18_043_circular_ref.yml');
    const fib = p.structures.find((s) => s.key === 'fib')!;
    expect(fib.params.mode).toBe('retracement');
    expect(JSON.stringify(p.actions)).toContain('"field":"level[0.618]"');
  });

  it('reads a cases action list', async () => {
    const p = await load('sol_bb_scalp_3m.yml');
    expect(p.actions.form).toBe('blocks');
  });
});

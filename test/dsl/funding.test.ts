// The funding_rate extension (examples/plays/README.md): a built-in FLOAT series usable as an operand and as a source.
import { describe, it, expect } from 'vitest';
import { loadPlay, type Condition, type Play } from '../../src/dsl/index.ts';

const PLAY = `name: funding_probe
features:
  funding_avg: { indicator: sma, source: funding_rate, params: { length: [24, 48] } }
actions:
  entry_short:
    all:
      - [funding_rate, ">", 0.0003]
      - lhs: { feature_id: funding_rate, offset: 8 }
        op: ">"
        rhs: funding_avg
`;

function load(text: string): Play {
  const { play, errors } = loadPlay(text, 'funding.yml');
  if (!play) throw new Error(errors.map((e) => e.format()).join('\n'));
  return play;
}

function cmpItems(play: Play): Extract<Condition, { kind: 'cmp' }>[] {
  if (play.actions.form !== 'rules') throw new Error('expected action rules');
  const when = play.actions.rules[0].when;
  if (when.kind !== 'all') throw new Error('expected all:');
  return when.items.filter((c): c is Extract<Condition, { kind: 'cmp' }> => c.kind === 'cmp');
}

describe('funding_rate', () => {
  it('is a built-in FLOAT series in conditions, with offsets', () => {
    const [plain, shifted] = cmpItems(load(PLAY));
    expect(plain.lhs).toEqual({ kind: 'ref', ref: { source: 'builtin', name: 'funding_rate', type: 'FLOAT' }, offset: 0 });
    expect(shifted.lhs).toMatchObject({ kind: 'ref', ref: { source: 'builtin', name: 'funding_rate' }, offset: 8 });
  });

  it('is an indicator source', () => {
    const play = load(PLAY);
    expect(play.features[0]).toMatchObject({ key: 'funding_avg', indicator: 'sma', source: 'funding_rate' });
  });

  it('is a FLOAT: == on it is rejected where it is written', () => {
    const text = 'name: funding_eq\nactions:\n  entry_long:\n    - [funding_rate, "==", 0.0001]\n';
    const { play, errors } = loadPlay(text, 'eq.yml');
    expect(play).toBeUndefined();
    expect(errors[0]).toMatchObject({ code: 'DSL_FLOAT_EQUALITY', location: { line: 4, column: 22 } });
  });

  it('cannot be declared over: a feature named funding_rate would shadow the series', () => {
    const text = 'name: shadow\nfeatures:\n  funding_rate: { indicator: ema, params: { length: 9 } }\nactions:\n  entry_long:\n    - [close, ">", funding_rate]\n';
    const { play, errors } = loadPlay(text, 'shadow.yml');
    expect(play).toBeUndefined();
    expect(errors[0]).toMatchObject({ code: 'DSL_DUPLICATE_KEY', location: { line: 3, column: 3 } });
  });
});

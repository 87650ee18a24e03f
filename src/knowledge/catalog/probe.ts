// Checks a primitive's fragment with the DSL itself: the fragment alone becomes a small play, loadPlay validates
// it, and each DSL error is moved back onto the primitive's own file, line and column.
import { stringify } from 'yaml';
import { PlayforgeError } from '../../common/errors.ts';
import { loadPlay } from '../../dsl/index.ts';
import { parsePath, type PathSeg, type ParsedCatalogYaml } from './positions.ts';
import { FRAGMENT_SIDES, type Primitive } from './schema.ts';

/** Timeframes of every generated play: 1h bars to act on, 15m and 4h for finer and slower context. */
export const GENERATED_TIMEFRAMES = { low_tf: '15m', med_tf: '1h', high_tf: '4h', exec: 'med_tf' } as const;

const PROBE_RISK = { stop_loss: { type: 'percent', value: 2.0 }, take_profit: { type: 'percent', value: 4.0 } };

/** The primitive's fragment alone as a raw play (what loadPlay reads). */
export function probePlay(p: Primitive): Record<string, unknown> {
  const f = p.fragment;
  const actions: Record<string, unknown> = {};
  for (const side of FRAGMENT_SIDES) {
    const list = f[side];
    if (list) actions[side] = side.startsWith('entry') ? { all: list } : { any: list };
  }
  const long = Boolean(f.entry_long), short = Boolean(f.entry_short);
  // A filter or a risk rule has no entry of its own: a neutral entry lets the rest be checked.
  if (!long && !short) actions.entry_long = { all: [['close', '>', 0]] };
  return {
    name: `probe_${p.id}`,
    timeframes: { ...GENERATED_TIMEFRAMES },
    ...(f.features ? { features: f.features } : {}),
    ...(f.structures ? { structures: f.structures } : {}),
    ...(f.setups ? { setups: f.setups } : {}),
    actions,
    position_policy: {
      mode: long && short ? 'long_short' : short ? 'short_only' : 'long_only',
      exit_mode: f.exit_long || f.exit_short ? 'first_hit' : 'sl_tp_only',
    },
    risk_model: f.risk_model ?? PROBE_RISK,
  };
}

/** A DSL path of the probe play -> the path of the same node in the primitive file. */
export function fragmentPathOf(dslPath: string): PathSeg[] {
  const segs = parsePath(dslPath);
  const [head, ...rest] = segs;
  if (head === 'features' || head === 'structures' || head === 'setups' || head === 'risk_model') return ['fragment', head, ...rest];
  if (head === 'actions' && typeof rest[0] === 'string' && (FRAGMENT_SIDES as readonly string[]).includes(rest[0])) {
    // actions.<side>.all[i]... -> fragment.<side>[i]...
    return ['fragment', rest[0], ...rest.slice(2)];
  }
  return ['fragment'];
}

export function checkFragment(p: Primitive, parsed: Pick<ParsedCatalogYaml, 'locate'>): PlayforgeError[] {
  const { errors } = loadPlay(stringify(probePlay(p)), `${p.file}#probe`);
  return errors.map(
    (e) => new PlayforgeError('CATALOG_BAD_FRAGMENT', `primitive '${p.id}': ${e.message} [${e.code}]`, parsed.locate(fragmentPathOf(e.location.path ?? ''))),
  );
}

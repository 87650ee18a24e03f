// The offline translator: passages -> matched primitives -> template compositions -> validated candidates.
// The best-scoring composition comes first; the rest are drawn with a seeded RNG, weighted by how well the
// text supports them and pushed towards templates and core primitives not used yet, and duplicates (same
// normalised structure) are dropped.
import { createRng, type Rng } from '../common/rng.ts';
import type { Catalog, Primitive, Template } from '../knowledge/catalog/index.ts';
import { buildCandidate, wrap, type Candidate, type PrimitiveEvidence, type Provenance } from './candidate.ts';
import { composeRaw, type Composition, type SlotFill } from './compose.ts';
import { matchPrimitives, templateScore, tokenizePassages, type PrimitiveMatch } from './match.ts';
import type { TranslationSource } from './source.ts';

export interface ScoredComposition {
  composition: Composition;
  score: number;
  /** Every core slot is filled by a primitive the text names (trigger phrases matched). */
  supported: boolean;
  key: string;
}

export interface OfflineOptions {
  n: number;
  seed: number;
  symbol?: string;
  /** Softmax temperature of the draw: higher gives more variety, lower sticks to the best supported. */
  temperature?: number;
}

export interface OfflineResult {
  candidates: Candidate[];
  matches: PrimitiveMatch[];
  /** Compositions the text supports (every core slot matched). */
  supported: number;
  considered: number;
}

const CORE_WEIGHT = 2;
const RISK_WEIGHT = 0.5;
/** Weight factor per reuse of a template or a core primitive already in the chosen set (pushes towards variety). */
const REPEAT_PENALTY = 0.3;

/** Every way of filling the template's slots (a slot with min 0 may stay empty). */
function* fillings(template: Template, bySlot: readonly Primitive[][], i = 0, acc: SlotFill[] = []): Generator<SlotFill[]> {
  if (i === template.slots.length) {
    yield acc;
    return;
  }
  const slot = template.slots[i];
  if (slot.min === 0) yield* fillings(template, bySlot, i + 1, acc);
  for (const p of bySlot[i]) {
    if (acc.some((f) => f.primitive.id === p.id)) continue;
    yield* fillings(template, bySlot, i + 1, [...acc, { slot: slot.name, primitive: p }]);
  }
}

export function scoreCompositions(catalog: Catalog, matches: readonly PrimitiveMatch[], tokens: readonly string[][]): ScoredComposition[] {
  const byId = new Map(matches.map((m) => [m.primitive.id, m]));
  const out: ScoredComposition[] = [];
  for (const template of catalog.templates) {
    const tScore = Math.log1p(templateScore(template, tokens));
    const bySlot = template.slots.map((s) => catalog.primitives.filter((p) => p.kinds.some((k) => s.accepts.includes(k))));
    for (const fills of fillings(template, bySlot)) {
      let score = tScore;
      let supported = true;
      for (const f of fills) {
        const slot = template.slots.find((s) => s.name === f.slot)!;
        const m = byId.get(f.primitive.id);
        const weight = slot.core ? CORE_WEIGHT : slot.accepts.includes('risk') ? RISK_WEIGHT : 1;
        score += weight * Math.log1p(m?.score ?? 0);
        if (slot.core && !(m && m.triggerScore > 0)) supported = false;
      }
      out.push({
        composition: { template, fills },
        score,
        supported,
        key: `${template.id}:${fills.map((f) => `${f.slot}=${f.primitive.id}`).join(',')}`,
      });
    }
  }
  // Highest score first; the key breaks ties so the order never depends on catalogue file order.
  return out.sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A play-name stem from a document path: `knowledge/sources/simons_markov.md` -> `simons_markov`. */
export function sourceStem(documentPath: string): string {
  const base = documentPath.split(/[\\/]/).pop() ?? 'source';
  const stem = base
    .replace(/\.[a-z0-9]+$/i, '')
    .toLowerCase()
    .replace(/readme/g, '')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[0-9_]+|_+$/g, '');
  return (stem || 'source').slice(0, 40).replace(/_+$/, '');
}

function describe(comp: Composition): string {
  const main = comp.fills.filter((f) => !f.primitive.kinds.includes('risk')).map((f) => f.primitive.title);
  const risk = comp.fills.find((f) => f.primitive.kinds.includes('risk'))?.primitive.title;
  return `${comp.template.title}: ${main.join(' + ')}${risk ? `; ${risk}` : ''}`;
}

function evidenceOf(comp: Composition, byId: ReadonlyMap<string, PrimitiveMatch>): PrimitiveEvidence[] {
  return comp.fills.map((f) => {
    const m = byId.get(f.primitive.id);
    return {
      primitive: f.primitive.id,
      slot: f.slot,
      score: Math.round((m?.score ?? 0) * 100) / 100,
      phrases: (m?.phrases ?? []).slice(0, 6).map((p) => (p.count > 1 ? `${p.phrase} x${p.count}` : p.phrase)),
      chunkIds: (m?.chunkIds ?? []).slice(0, 4),
    };
  });
}

function headerFor(comp: Composition, evidence: readonly PrimitiveEvidence[]): string[] {
  const lines = [`Template ${comp.template.id}: ${comp.template.description}`, 'Primitives:'];
  for (const e of evidence) {
    const p = comp.fills.find((f) => f.primitive.id === e.primitive)!.primitive;
    const indent = (text: string, first: string, rest: string) => wrap(text, 96).map((l, i) => `${i ? rest : first}${l}`);
    lines.push(...indent(`${e.primitive} (${e.slot}): ${p.rationale}`, '  - ', '    '));
    lines.push(
      ...indent(
        e.phrases.length
          ? `matched ${e.phrases.map((x) => `"${x}"`).join(', ')} in chunks ${e.chunkIds.join(', ')}`
          : `not named in the text${e.chunkIds.length ? `; nearest passages ${e.chunkIds.join(', ')}` : ''} (completes the template)`,
        '      ',
        '      ',
      ),
    );
  }
  return lines;
}

function draw(pool: readonly ScoredComposition[], weights: readonly number[], rng: Rng): number {
  const total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return -1;
  let r = rng.next() * total;
  for (let i = 0; i < pool.length; i++) {
    r -= weights[i];
    if (r < 0) return i;
  }
  return pool.length - 1;
}

export async function translateOffline(source: TranslationSource, catalog: Catalog, opts: OfflineOptions): Promise<OfflineResult> {
  const tokens = tokenizePassages(source.passages);
  const matches = await matchPrimitives(source, catalog.primitives, tokens);
  const byId = new Map(matches.map((m) => [m.primitive.id, m]));
  const scored = scoreCompositions(catalog, matches, tokens);
  const rng = createRng(opts.seed);
  const temperature = opts.temperature ?? 1.5;
  const stem = sourceStem(source.documentPath);

  const candidates: Candidate[] = [];
  const signatures = new Set<string>();
  const usedTemplates = new Map<string, number>();
  const usedCore = new Map<string, number>();

  const tryAdd = (sc: ScoredComposition): void => {
    const comp = sc.composition;
    const name = `${stem}_${comp.template.stem}_${String(candidates.length + 1).padStart(3, '0')}`;
    const raw = composeRaw(comp, { name, description: describe(comp), symbol: opts.symbol });
    if (!raw) return;
    const evidence = evidenceOf(comp, byId);
    const provenance: Provenance = {
      documentId: source.documentId,
      documentPath: source.documentPath,
      documentTitle: source.title,
      chunkIds: [...new Set(evidence.flatMap((e) => e.chunkIds))].sort((a, b) => a - b),
      primitives: comp.fills.map((f) => f.primitive.id),
      template: comp.template.id,
      mode: 'offline',
      seed: opts.seed,
      evidence,
    };
    const built = buildCandidate(raw, provenance, `${name}.yml`, headerFor(comp, evidence));
    // Catalogue fragments are DSL-checked on load, so a composition that fails is a catalogue bug; skip it.
    if (!built.candidate || signatures.has(built.candidate.signature)) return;
    signatures.add(built.candidate.signature);
    candidates.push(built.candidate);
    usedTemplates.set(comp.template.id, (usedTemplates.get(comp.template.id) ?? 0) + 1);
    for (const f of comp.fills) {
      if (comp.template.slots.find((s) => s.name === f.slot)?.core) usedCore.set(f.primitive.id, (usedCore.get(f.primitive.id) ?? 0) + 1);
    }
  };

  // Supported compositions first; when the text supports fewer distinct plays than asked for, the rest
  // come from the best-scoring unsupported ones (their provenance says which primitives the text never named).
  for (const supported of [true, false]) {
    const pool = scored.filter((s) => s.supported === supported);
    if (pool.length === 0 || candidates.length >= opts.n) continue;
    if (candidates.length === 0) tryAdd(pool.shift()!);
    const top = pool.reduce((m, s) => Math.max(m, s.score), -Infinity);
    while (candidates.length < opts.n && pool.length > 0) {
      const weights = pool.map((s) => {
        const core = s.composition.fills.filter((f) => s.composition.template.slots.find((x) => x.name === f.slot)?.core);
        const repeat = (usedTemplates.get(s.composition.template.id) ?? 0) + core.reduce((a, f) => a + (usedCore.get(f.primitive.id) ?? 0), 0);
        return Math.exp((s.score - top) / temperature) * REPEAT_PENALTY ** repeat;
      });
      const i = draw(pool, weights, rng);
      if (i < 0) break;
      const [pick] = pool.splice(i, 1);
      tryAdd(pick);
    }
  }
  return { candidates, matches, supported: scored.filter((s) => s.supported).length, considered: scored.length };
}

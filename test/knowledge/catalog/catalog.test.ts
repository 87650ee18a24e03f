// The shipped primitives/templates catalogue: coverage of the concepts the translation agent needs, every
// template and primitive composable into a valid play, and loader errors located at file:line:column.
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { composeRaw, directionsOf, type SlotFill } from '../../../src/agent/index.ts';
import { loadPlay } from '../../../src/dsl/index.ts';
import { DEFAULT_KNOWLEDGE_DIR, loadCatalog, loadCatalogFiles, type Catalog, type Primitive, type Template } from '../../../src/knowledge/catalog/index.ts';
import { renderPlayYaml } from '../../../src/agent/render.ts';

let catalog: Catalog;
beforeAll(() => {
  catalog = loadCatalog();
});

/** A composition of the template with `core` in its first core slot and the first fitting primitive elsewhere. */
function composeWith(t: Template, pick: Primitive, pickSlot: string): Record<string, unknown> | undefined {
  const fills: SlotFill[] = [];
  for (const slot of t.slots) {
    if (slot.name === pickSlot) {
      fills.push({ slot: slot.name, primitive: pick });
      continue;
    }
    if (slot.min === 0) continue;
    const options = catalog.primitives.filter((p) => p.id !== pick.id && p.kinds.some((k) => slot.accepts.includes(k)));
    // The first option that leaves a trading direction with what is chosen so far.
    const ok = options.find((p) => {
      const d = directionsOf({ template: t, fills: [...fills, { slot: slot.name, primitive: p }] });
      return d.long || d.short;
    });
    if (!ok) return undefined;
    fills.push({ slot: slot.name, primitive: ok });
  }
  return composeRaw({ template: t, fills }, { name: `${t.stem}_${pick.id}_001`, description: `${t.title} with ${pick.title}` });
}

describe('shipped catalogue', () => {
  it('has at least 20 primitives covering the concepts of the brief, each with triggers and a one-line rationale', () => {
    expect(catalog.primitives.length).toBeGreaterThanOrEqual(20);
    const ids = new Set(catalog.primitives.map((p) => p.id));
    for (const id of [
      'trend_regime', 'hmm_regime', 'ema_trend', 'macd_momentum', 'rsi_reversion', 'bollinger_reversion', 'zscore_reversion',
      'donchian_breakout', 'volatility_expansion', 'break_of_structure', 'change_of_character', 'fair_value_gap', 'order_block',
      'liquidity_sweep', 'wyckoff_trading_range', 'wyckoff_spring', 'wyckoff_upthrust', 'funding_contrarian', 'atr_stop_rr',
    ]) {
      expect(ids.has(id), id).toBe(true);
    }
    for (const p of catalog.primitives) {
      expect(p.triggers.length, p.id).toBeGreaterThan(0);
      expect(p.rationale.includes('\n'), p.id).toBe(false);
      expect(Object.keys(p.fragment).length, p.id).toBeGreaterThan(0);
    }
  });

  it('has the five named templates (and the extra ones) with a core slot each', () => {
    const ids = catalog.templates.map((t) => t.id);
    expect(ids).toEqual(expect.arrayContaining(['regime_based', 'mean_revert', 'breakout', 'trend_follow', 'smc_reversal']));
    for (const t of catalog.templates) expect(t.slots.some((s) => s.core), t.id).toBe(true);
  });

  it('regime primitives bring a regime structure with a transition condition', () => {
    for (const id of ['trend_regime', 'hmm_regime']) {
      const p = catalog.primitive(id)!;
      expect(p.fragment.structures?.exec?.[0].type).toBe(id === 'trend_regime' ? 'trend' : 'hmm_regime');
      expect(JSON.stringify(p.fragment.entry_long)).toContain('.transition');
    }
  });

  it('every primitive fills a slot of some template, and every composition of it that way validates', () => {
    for (const p of catalog.primitives) {
      const uses = catalog.templates.flatMap((t) => t.slots.filter((s) => s.accepts.some((k) => p.kinds.includes(k))).map((s) => ({ t, s })));
      expect(uses.length, `${p.id} fits no template slot`).toBeGreaterThan(0);
      let valid = 0;
      for (const { t, s } of uses) {
        const raw = composeWith(t, p, s.name);
        if (!raw) continue;
        const { play, errors } = loadPlay(renderPlayYaml(raw), `${t.id}-${p.id}.yml`);
        expect(errors.map((e) => e.format()), `${t.id} with ${p.id}`).toEqual([]);
        expect(play!.risk_model?.stop_loss.type).toMatch(/atr/);
        valid++;
      }
      expect(valid, `${p.id} never composes`).toBeGreaterThan(0);
    }
  });

  it('keys declared by several primitives have one definition, so compositions share them', () => {
    const seen = new Map<string, { id: string; def: string }>();
    for (const p of catalog.primitives) {
      const decls: [string, unknown][] = [
        ...Object.entries(p.fragment.features ?? {}),
        ...Object.values(p.fragment.structures ?? {}).flatMap((list) => (list ?? []).map((d) => [String(d.key), d] as [string, unknown])),
      ];
      for (const [key, def] of decls) {
        const text = JSON.stringify(def);
        const other = seen.get(key);
        if (other) expect(text, `${key} in ${p.id} vs ${other.id}`).toBe(other.def);
        else seen.set(key, { id: p.id, def: text });
      }
    }
  });
});

describe('loader errors', () => {
  function catalogDir(files: Record<string, string>): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'pf-catalog-'));
    mkdirSync(path.join(dir, 'primitives'));
    mkdirSync(path.join(dir, 'templates'));
    // A minimal valid pair, overridden or extended by `files`.
    const base: Record<string, string> = {
      'primitives/atr_stop_rr.yml': readFileSync(path.join(DEFAULT_KNOWLEDGE_DIR, 'primitives', 'atr_stop_rr.yml'), 'utf8'),
      'primitives/ema_trend.yml': readFileSync(path.join(DEFAULT_KNOWLEDGE_DIR, 'primitives', 'ema_trend.yml'), 'utf8'),
      'templates/trend_follow.yml': [
        'id: trend_follow', 'title: Trend following', 'stem: trend', 'description: Follow the trend with an EMA alignment',
        'slots:', '  - { name: direction, accepts: [trend], core: true, exits: true }', '  - { name: risk, accepts: [risk] }', '',
      ].join('\n'),
    };
    for (const [f, text] of Object.entries({ ...base, ...files })) writeFileSync(path.join(dir, f), text);
    return dir;
  }

  const primitive = (body: string[]) => body.join('\n') + '\n';

  it('a valid minimal catalogue loads', () => {
    const { catalog: c, errors } = loadCatalogFiles(catalogDir({}));
    expect(errors).toEqual([]);
    expect(c!.primitives.map((p) => p.id).sort()).toEqual(['atr_stop_rr', 'ema_trend']);
  });

  it('reports YAML syntax errors with their line', () => {
    const { errors } = loadCatalogFiles(catalogDir({ 'primitives/bad.yml': 'id: bad\ntitle: [unclosed\n' }));
    expect(errors[0].code).toBe('CATALOG_YAML_SYNTAX');
    expect(errors[0].location.file).toMatch(/bad\.yml$/);
    expect(errors[0].location.line).toBeGreaterThanOrEqual(2);
  });

  it('points an unknown key at its own line and column', () => {
    const { errors } = loadCatalogFiles(catalogDir({
      'primitives/x_trend.yml': primitive([
        'id: x_trend', 'title: X trend', 'kinds: [trend]', 'rationale: A rationale long enough.', 'triggers: [x trend]',
        'colour: blue',
        'fragment:', '  entry_long:', '    - [close, ">", 0]',
      ]),
    }));
    expect(errors).toHaveLength(1);
    expect(errors[0].code).toBe('CATALOG_INVALID');
    expect(errors[0].message).toContain("'colour'");
    expect(errors[0].location).toMatchObject({ line: 6, column: 1 });
  });

  it('checks fragments with the DSL and points at the offending node of the primitive file', () => {
    const { errors } = loadCatalogFiles(catalogDir({
      'primitives/x_trend.yml': primitive([
        'id: x_trend', 'title: X trend', 'kinds: [trend]', 'rationale: A rationale long enough.', 'triggers: [x trend]',
        'fragment:',
        '  features:',
        '    fast: { indicator: emma, params: { length: [8, 12] } }',
        '  entry_long:',
        '    - [fast, ">", 0]',
      ]),
    }));
    expect(errors).toHaveLength(1);
    expect(errors[0].code).toBe('CATALOG_BAD_FRAGMENT');
    expect(errors[0].message).toContain("unknown indicator 'emma'");
    expect(errors[0].message).toContain('DSL_UNKNOWN_INDICATOR');
    expect(errors[0].location).toMatchObject({ line: 8, column: 24, path: 'fragment.features.fast.indicator' });
  });

  it('locates an undefined reference inside a condition list', () => {
    const { errors } = loadCatalogFiles(catalogDir({
      'primitives/x_trend.yml': primitive([
        'id: x_trend', 'title: X trend', 'kinds: [trend]', 'rationale: A rationale long enough.', 'triggers: [x trend]',
        'fragment:',
        '  features:',
        '    fast: { indicator: ema, params: { length: [8, 12] } }',
        '  entry_long:',
        '    - [fast, ">", 0]',
        '    - [fast, ">", slow]',
      ]),
    }));
    expect(errors[0].code).toBe('CATALOG_BAD_FRAGMENT');
    expect(errors[0].message).toContain("'slow'");
    expect(errors[0].location).toMatchObject({ line: 11, path: 'fragment.entry_long[1][2]' });
  });

  it('rejects a template slot accepting a kind no primitive has, a file named unlike its id, and duplicate ids', () => {
    const { errors } = loadCatalogFiles(catalogDir({
      'templates/odd.yml': [
        'id: odd', 'title: Odd one', 'stem: odd', 'description: A template with a missing kind',
        'slots:', '  - name: core', '    accepts: [trend, astrology]', '    core: true', '',
      ].join('\n'),
      'primitives/renamed.yml': readFileSync(path.join(DEFAULT_KNOWLEDGE_DIR, 'primitives', 'roc_momentum.yml'), 'utf8'),
    }));
    const unknownKind = errors.find((e) => e.code === 'CATALOG_UNKNOWN_KIND');
    expect(unknownKind?.message).toContain("'astrology'");
    expect(unknownKind?.location).toMatchObject({ line: 7, column: 22 });
    const misnamed = errors.find((e) => e.message.includes("must match the file name"));
    expect(misnamed?.location.file).toMatch(/renamed\.yml$/);
  });

  it('loadCatalog throws one error listing every problem; a folder without files is CATALOG_NOT_FOUND', () => {
    const dir = catalogDir({ 'primitives/bad.yml': 'id: bad\n' });
    expect(() => loadCatalog(dir)).toThrow(/CATALOG|kinds|title/);
    const empty = mkdtempSync(path.join(tmpdir(), 'pf-catalog-empty-'));
    expect(loadCatalogFiles(empty).errors[0].code).toBe('CATALOG_NOT_FOUND');
  });
});

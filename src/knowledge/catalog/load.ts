// loadCatalog: knowledge/primitives/*.yml and knowledge/templates/*.yml -> a checked catalogue. Every problem
// (YAML syntax, shape, duplicate ids, kinds no primitive provides, fragments the DSL rejects) is reported with
// the file, line and column it comes from.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { PlayforgeError } from '../../common/errors.ts';
import { parseCatalogYaml, pathToString, type PathSeg } from './positions.ts';
import { checkFragment } from './probe.ts';
import { normalizeTriggers, primitiveSchema, templateSchema, type Catalog, type Primitive, type Template } from './schema.ts';

/** The repository's knowledge/ folder (holds primitives/ and templates/). */
export const DEFAULT_KNOWLEDGE_DIR = fileURLToPath(new URL('../../../knowledge/', import.meta.url));

export interface CatalogLoadResult {
  catalog?: Catalog;
  errors: PlayforgeError[];
}

function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.yml') || f.endsWith('.yaml')).sort().map((f) => path.join(dir, f));
}

type Locate = (p: readonly PathSeg[], opts?: { key?: boolean }) => PlayforgeError['location'];

function zodErrors(issues: readonly z.core.$ZodIssue[], locate: Locate): PlayforgeError[] {
  return issues.map((i) => {
    const at = i.path.filter((s): s is string | number => typeof s !== 'symbol');
    if (i.code === 'unrecognized_keys') {
      return new PlayforgeError('CATALOG_INVALID', `unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `'${k}'`).join(', ')}`, locate([...at, i.keys[0]], { key: true }));
    }
    if (i.code === 'invalid_type' && /received undefined/.test(i.message)) {
      return new PlayforgeError('CATALOG_INVALID', `missing required field '${pathToString(at)}'`, locate(at));
    }
    return new PlayforgeError('CATALOG_INVALID', `${at.length ? `${pathToString(at)}: ` : ''}${i.message}`, locate(at));
  });
}

function readEntry<T>(file: string, schema: z.ZodType<T>, errors: PlayforgeError[]): { value: T; locate: Locate } | undefined {
  const parsed = parseCatalogYaml(fs.readFileSync(file, 'utf8'), file, 'CATALOG_YAML_SYNTAX');
  if (parsed.errors.length) {
    errors.push(...parsed.errors);
    return undefined;
  }
  const checked = schema.safeParse(parsed.value);
  if (!checked.success) {
    errors.push(...zodErrors(checked.error.issues, parsed.locate));
    return undefined;
  }
  const id = (checked.data as { id: string }).id;
  const stem = path.basename(file).replace(/\.ya?ml$/, '');
  if (id !== stem) {
    errors.push(new PlayforgeError('CATALOG_INVALID', `id '${id}' must match the file name '${stem}'`, parsed.locate(['id'])));
    return undefined;
  }
  return { value: checked.data, locate: parsed.locate };
}

export function loadCatalogFiles(dir: string = DEFAULT_KNOWLEDGE_DIR): CatalogLoadResult {
  const errors: PlayforgeError[] = [];
  const primitiveFiles = yamlFiles(path.join(dir, 'primitives'));
  const templateFiles = yamlFiles(path.join(dir, 'templates'));
  if (primitiveFiles.length === 0 || templateFiles.length === 0) {
    return { errors: [new PlayforgeError('CATALOG_NOT_FOUND', `no primitives or no templates under ${dir} (expected primitives/*.yml and templates/*.yml)`, { file: dir })] };
  }

  const primitives: Primitive[] = [];
  for (const file of primitiveFiles) {
    const entry = readEntry(file, primitiveSchema, errors);
    if (!entry) continue;
    const p: Primitive = { ...entry.value, triggers: normalizeTriggers(entry.value.triggers), file };
    const fragmentErrors = checkFragment(p, entry);
    if (fragmentErrors.length) errors.push(...fragmentErrors);
    else primitives.push(p);
  }

  const templates: Template[] = [];
  const kinds = new Set(primitives.flatMap((p) => p.kinds));
  for (const file of templateFiles) {
    const entry = readEntry(file, templateSchema, errors);
    if (!entry) continue;
    const t: Template = { ...entry.value, triggers: normalizeTriggers(entry.value.triggers), file };
    t.slots.forEach((slot, i) => {
      if (slot.min > slot.max) errors.push(new PlayforgeError('CATALOG_INVALID', `slot '${slot.name}': min ${slot.min} > max ${slot.max}`, entry.locate(['slots', i, 'min'])));
      slot.accepts.forEach((kind, j) => {
        if (!kinds.has(kind)) errors.push(new PlayforgeError('CATALOG_UNKNOWN_KIND', `slot '${slot.name}' accepts kind '${kind}' but no primitive has it`, entry.locate(['slots', i, 'accepts', j])));
      });
    });
    if (!t.slots.some((s) => s.core)) errors.push(new PlayforgeError('CATALOG_INVALID', `template '${t.id}' needs at least one core slot`, entry.locate(['slots'])));
    templates.push(t);
  }

  for (const [what, list] of [['primitive', primitives], ['template', templates]] as const) {
    const seen = new Map<string, string>();
    for (const x of list) {
      const other = seen.get(x.id);
      if (other) errors.push(new PlayforgeError('CATALOG_DUPLICATE_ID', `${what} id '${x.id}' is also used by ${other}`, { file: x.file, line: 1, column: 1 }));
      seen.set(x.id, x.file);
    }
  }
  if (errors.length) return { errors };
  const byPrimitive = new Map(primitives.map((p) => [p.id, p]));
  const byTemplate = new Map(templates.map((t) => [t.id, t]));
  return {
    errors: [],
    catalog: { primitives, templates, primitive: (id) => byPrimitive.get(id), template: (id) => byTemplate.get(id) },
  };
}

/** The catalogue, or a CATALOG_* error listing every problem (`file:line:col: message`). */
export function loadCatalog(dir: string = DEFAULT_KNOWLEDGE_DIR): Catalog {
  const { catalog, errors } = loadCatalogFiles(dir);
  if (catalog) return catalog;
  const first = errors[0];
  const rest = errors.length > 1 ? `\n${errors.slice(1).map((e) => `  ${e.format()}`).join('\n')}` : '';
  throw new PlayforgeError(first.code, `${first.message}${rest}`, first.location);
}

// Public surface of the primitive/template catalogue (knowledge/primitives, knowledge/templates).
export type { Catalog, Fragment, FragmentSide, Primitive, Template, TemplateSlot, Trigger } from './schema.ts';
export { FRAGMENT_SIDES } from './schema.ts';
export { loadCatalog, loadCatalogFiles, DEFAULT_KNOWLEDGE_DIR, type CatalogLoadResult } from './load.ts';
export { GENERATED_TIMEFRAMES, probePlay } from './probe.ts';

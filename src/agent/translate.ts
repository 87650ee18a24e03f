// translate(): a knowledge source -> n candidate plays, offline (catalogue composition) or with a language
// model. A source given as a path is read through the knowledge store, ingesting it first when needed.
import { PlayforgeError } from '../common/errors.ts';
import { loadCatalog, type Catalog } from '../knowledge/catalog/index.ts';
import { createEmbedder, openKnowledgeStore, resolveEmbedderConfig } from '../knowledge/index.ts';
import type { Candidate } from './candidate.ts';
import { createProvider, llmConfigured, resolveLlmConfig } from './llm/config.ts';
import { translateWithLlm, type CandidateFailure, type LlmEvent } from './llm/translate-llm.ts';
import type { LlmProvider } from './llm/types.ts';
import { translateOffline } from './offline.ts';
import { readSource, type KnowledgeReader, type TranslationSource } from './source.ts';

export type TranslateMode = 'offline' | 'llm';

export interface TranslateOptions {
  n: number;
  /** Default: llm when a provider is given or one is configured in the environment, else offline. */
  mode?: TranslateMode;
  provider?: LlmProvider;
  seed?: number;
  symbol?: string;
  catalog?: Catalog;
  /** An open knowledge store; without it one is opened on dataDir (and closed again). */
  knowledge?: KnowledgeReader;
  dataDir?: string;
  /** LLM mode: requests per candidate (first answer + repairs). */
  maxAttempts?: number;
  includeSchema?: boolean;
  onEvent?: (event: LlmEvent) => void;
  env?: NodeJS.ProcessEnv;
}

export interface TranslateResult {
  source: { documentId: string; documentPath: string; title: string; passages: number };
  mode: TranslateMode;
  model?: string;
  candidates: Candidate[];
  /** LLM mode: candidates that never validated, or the provider failure that stopped the run. */
  failures: CandidateFailure[];
}

export function defaultMode(opts: Pick<TranslateOptions, 'mode' | 'provider' | 'env'>): TranslateMode {
  return opts.mode ?? (opts.provider || llmConfigured({}, opts.env ?? process.env) ? 'llm' : 'offline');
}

async function withSource<T>(source: string | TranslationSource, opts: TranslateOptions, fn: (s: TranslationSource) => Promise<T>): Promise<T> {
  if (typeof source !== 'string') return fn(source);
  if (opts.knowledge) return fn(await readSource(opts.knowledge, source));
  // The same embedder the knowledge commands use (an endpoint from PLAYFORGE_EMBEDDINGS_URL, else the offline one).
  const env = opts.env ?? process.env;
  const store = await openKnowledgeStore({ dataDir: opts.dataDir, env, embedder: createEmbedder(resolveEmbedderConfig({}, env)) });
  try {
    return await fn(await readSource(store, source));
  } finally {
    await store.close();
  }
}

export async function translateDetailed(source: string | TranslationSource, opts: TranslateOptions): Promise<TranslateResult> {
  if (!Number.isInteger(opts.n) || opts.n < 1 || opts.n > 100) throw new PlayforgeError('AGENT_BAD_OPTION', `n must be an integer in 1..100, got ${opts.n}`, { path: 'n' });
  const catalog = opts.catalog ?? loadCatalog();
  const seed = opts.seed ?? 1;
  const mode = defaultMode(opts);
  const env = opts.env ?? process.env;
  if (mode === 'llm' && !opts.provider && !llmConfigured({}, env)) {
    throw new PlayforgeError('LLM_CONFIG', 'LLM mode needs a model: set PLAYFORGE_LLM_BASE_URL and PLAYFORGE_LLM_MODEL (any OpenAI-compatible server), or OPENAI_API_KEY / ANTHROPIC_API_KEY; or translate offline', { path: 'mode' });
  }
  const provider = mode === 'llm' ? (opts.provider ?? createProvider(resolveLlmConfig({}, env))) : undefined;
  return withSource(source, opts, async (src) => {
    const info = { documentId: src.documentId, documentPath: src.documentPath, title: src.title, passages: src.passages.length };
    if (!provider) {
      const r = await translateOffline(src, catalog, { n: opts.n, seed, symbol: opts.symbol });
      return { source: info, mode, candidates: r.candidates, failures: [] };
    }
    const r = await translateWithLlm(src, catalog, provider, { n: opts.n, seed, maxAttempts: opts.maxAttempts, includeSchema: opts.includeSchema, onEvent: opts.onEvent });
    return { source: info, mode, model: provider.model, candidates: r.candidates, failures: r.failures };
  });
}

/** The contract form: the candidates, or an error when none could be made. */
export async function translate(source: string | TranslationSource, opts: TranslateOptions): Promise<Candidate[]> {
  const r = await translateDetailed(source, opts);
  if (r.candidates.length === 0) {
    const why = r.failures.map((f) => `${f.name}: ${f.message}`).join('; ');
    throw new PlayforgeError(r.failures[0]?.code ?? 'AGENT_NO_CANDIDATES', `no valid candidate from ${r.source.documentPath}${why ? `: ${why}` : ''}`, { file: r.source.documentPath });
  }
  return r.candidates;
}

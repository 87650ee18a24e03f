// Which embedder to use: flags over environment over the offline default.
//   PLAYFORGE_EMBEDDINGS_URL / --embeddings-url           an OpenAI-compatible endpoint (else the offline embedder)
//   PLAYFORGE_EMBEDDINGS_MODEL / --embeddings-model       its model
//   PLAYFORGE_EMBEDDINGS_DIMENSIONS / --embeddings-dimensions  vector length to request (and to create a store with)
//   PLAYFORGE_EMBEDDINGS_API_KEY                          its key (only from the environment, never a flag)
//   OPENAI_API_KEY                                        used only when the endpoint is api.openai.com, so an
//                                                         OpenAI key is never sent to another server
import { PlayforgeError } from '../../common/errors.ts';
import { KNOWLEDGE_EMBEDDER_CONFIG } from '../errors.ts';
import type { Embedder } from './embedder.ts';
import { HashedNgramEmbedder } from './hashed-ngram.ts';
import { OpenAICompatibleEmbedder, normalizeBaseUrl, type OpenAICompatibleOptions } from './openai-compatible.ts';

export interface EmbedderConfig {
  /** An OpenAI-compatible endpoint; without it, the offline hashed n-gram embedder. */
  baseUrl?: string;
  model?: string;
  apiKey?: string;
  dimensions?: number;
  /** Hashed embedder only. */
  seed?: number;
  /** Endpoint only: batching, retries, timeout, retry notices. */
  endpoint?: Omit<OpenAICompatibleOptions, 'baseUrl' | 'model' | 'apiKey' | 'dimensions'>;
}

export interface EmbedderFlags {
  embeddingsUrl?: string;
  embeddingsModel?: string;
  embeddingsDimensions?: string | number;
}

function parseDimensions(raw: string | number | undefined, source: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 16_000) {
    throw new PlayforgeError(KNOWLEDGE_EMBEDDER_CONFIG, `${source} must be an integer in 1..16000, got "${raw}"`);
  }
  return n;
}

export function resolveEmbedderConfig(flags: EmbedderFlags = {}, env: NodeJS.ProcessEnv = process.env): EmbedderConfig {
  const baseUrl = flags.embeddingsUrl || env.PLAYFORGE_EMBEDDINGS_URL || undefined;
  const dimensions =
    flags.embeddingsDimensions !== undefined
      ? parseDimensions(flags.embeddingsDimensions, '--embeddings-dimensions')
      : parseDimensions(env.PLAYFORGE_EMBEDDINGS_DIMENSIONS, 'PLAYFORGE_EMBEDDINGS_DIMENSIONS');
  if (!baseUrl) return { dimensions };
  const model = flags.embeddingsModel || env.PLAYFORGE_EMBEDDINGS_MODEL || undefined;
  let apiKey = env.PLAYFORGE_EMBEDDINGS_API_KEY || undefined;
  if (!apiKey && env.OPENAI_API_KEY && new URL(normalizeBaseUrl(baseUrl)).hostname === 'api.openai.com') apiKey = env.OPENAI_API_KEY;
  return { baseUrl, model, apiKey, dimensions };
}

/** The offline HashedNgramEmbedder unless an endpoint URL is configured. */
export function createEmbedder(config: EmbedderConfig = {}): Embedder {
  if (config.baseUrl) {
    return new OpenAICompatibleEmbedder({ ...config.endpoint, baseUrl: config.baseUrl, model: config.model ?? '', apiKey: config.apiKey, dimensions: config.dimensions });
  }
  return new HashedNgramEmbedder({ dimensions: config.dimensions, seed: config.seed });
}

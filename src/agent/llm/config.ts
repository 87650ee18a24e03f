// Which language model to use: flags over environment over defaults. Keys only come from the environment
// (OPENAI_API_KEY / ANTHROPIC_API_KEY / PLAYFORGE_LLM_API_KEY) and are never logged; a provider's own key
// is sent only to that provider's official host, so pointing --base-url at another server cannot leak it.
import { PlayforgeError } from '../../common/errors.ts';
import { AnthropicProvider } from './anthropic-provider.ts';
import { OpenAICompatibleProvider } from './openai-provider.ts';
import type { RetryOptions } from './retry.ts';
import type { LlmConfig, LlmProvider, StructuredOutputMode } from './types.ts';

export interface LlmFlags {
  provider?: string;
  model?: string;
  baseUrl?: string;
  timeoutMs?: string | number;
  maxRetries?: string | number;
  structuredOutput?: string;
}

export const DEFAULT_MODELS = { openai: 'gpt-4o-mini', anthropic: 'claude-sonnet-4-5' } as const;
const OFFICIAL_HOSTS = { openai: 'api.openai.com', anthropic: 'api.anthropic.com' } as const;
const MODES: readonly StructuredOutputMode[] = ['auto', 'json_schema', 'json_object', 'none'];

function configError(message: string, path: string): PlayforgeError {
  return new PlayforgeError('LLM_CONFIG', message, { path });
}

function positiveInt(raw: string | number | undefined, name: string, fallback: number, min = 1): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw configError(`${name} must be an integer >= ${min}, got "${raw}"`, name);
  return n;
}

function hostOf(url: string, name: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    throw configError(`${name} is not a URL: "${url}"`, name);
  }
}

/** Whether anything in the flags or the environment asks for a model (else translation runs offline). */
export function llmConfigured(flags: LlmFlags = {}, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(
    flags.provider || flags.model || flags.baseUrl ||
      env.PLAYFORGE_LLM_PROVIDER || env.PLAYFORGE_LLM_MODEL || env.PLAYFORGE_LLM_BASE_URL ||
      env.PLAYFORGE_LLM_API_KEY || env.OPENAI_API_KEY || env.ANTHROPIC_API_KEY,
  );
}

export function resolveLlmConfig(flags: LlmFlags = {}, env: NodeJS.ProcessEnv = process.env): LlmConfig {
  const rawProvider = flags.provider || env.PLAYFORGE_LLM_PROVIDER || (env.ANTHROPIC_API_KEY && !env.OPENAI_API_KEY && !(flags.baseUrl || env.PLAYFORGE_LLM_BASE_URL) ? 'anthropic' : 'openai');
  if (rawProvider !== 'openai' && rawProvider !== 'anthropic') throw configError(`provider must be openai (any OpenAI-compatible server) or anthropic, got "${rawProvider}"`, 'provider');
  const provider = rawProvider;
  const baseUrl = flags.baseUrl || env.PLAYFORGE_LLM_BASE_URL || undefined;
  const official = !baseUrl || hostOf(baseUrl, 'base URL') === OFFICIAL_HOSTS[provider];
  const model = flags.model || env.PLAYFORGE_LLM_MODEL || (official ? DEFAULT_MODELS[provider] : undefined);
  if (!model) throw configError(`a custom base URL needs a model name (--model or PLAYFORGE_LLM_MODEL)`, 'model');
  const ownKey = provider === 'openai' ? env.OPENAI_API_KEY : env.ANTHROPIC_API_KEY;
  const apiKey = env.PLAYFORGE_LLM_API_KEY || (official ? ownKey : undefined) || undefined;
  const structuredOutput = (flags.structuredOutput || env.PLAYFORGE_LLM_STRUCTURED_OUTPUT || 'auto') as StructuredOutputMode;
  if (!MODES.includes(structuredOutput)) throw configError(`structured output must be one of ${MODES.join(', ')}, got "${structuredOutput}"`, 'structured-output');
  return {
    provider,
    model,
    baseUrl,
    apiKey,
    timeoutMs: positiveInt(flags.timeoutMs ?? env.PLAYFORGE_LLM_TIMEOUT_MS, 'timeout-ms', 120_000),
    maxRetries: positiveInt(flags.maxRetries ?? env.PLAYFORGE_LLM_MAX_RETRIES, 'max-retries', 3, 0),
    maxRetryDelayMs: 60_000,
    structuredOutput,
    maxTokens: 4096,
    temperature: 0.4,
  };
}

/** A printable description of a config: everything but the key (only whether one is set). */
export function describeLlmConfig(c: LlmConfig): Record<string, unknown> {
  return { provider: c.provider, model: c.model, baseUrl: c.baseUrl ?? null, apiKey: c.apiKey ? 'set' : 'none', timeoutMs: c.timeoutMs, maxRetries: c.maxRetries, structuredOutput: c.structuredOutput };
}

export function createProvider(config: LlmConfig, hooks: Pick<RetryOptions, 'onRetry' | 'sleep'> = {}): LlmProvider {
  return config.provider === 'anthropic' ? new AnthropicProvider(config, hooks) : new OpenAICompatibleProvider(config, hooks);
}

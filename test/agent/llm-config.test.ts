// LLM configuration (flags over environment, keys only from the environment and only to their own provider),
// Retry-After parsing and JSON extraction from text answers.
import { describe, expect, it } from 'vitest';
import { describeLlmConfig, extractJson, llmConfigured, resolveLlmConfig, translateDetailed, DEFAULT_MODELS } from '../../src/agent/index.ts';
import { defaultMode } from '../../src/agent/index.ts';
import { parseRetryAfter } from '../../src/agent/llm/retry.ts';

describe('resolveLlmConfig', () => {
  it('is offline by default and configured by any key, provider, model or URL', () => {
    expect(llmConfigured({}, {})).toBe(false);
    expect(defaultMode({ env: {} })).toBe('offline');
    expect(llmConfigured({}, { OPENAI_API_KEY: 'k' })).toBe(true);
    expect(llmConfigured({ baseUrl: 'http://127.0.0.1:11434/v1' }, {})).toBe(true);
    expect(defaultMode({ env: { PLAYFORGE_LLM_MODEL: 'llama3' } })).toBe('llm');
    expect(defaultMode({ mode: 'offline', env: { OPENAI_API_KEY: 'k' } })).toBe('offline');
  });

  it('sends OPENAI_API_KEY / ANTHROPIC_API_KEY only to their official hosts', () => {
    expect(resolveLlmConfig({}, { OPENAI_API_KEY: 'sk-openai' })).toMatchObject({ provider: 'openai', model: DEFAULT_MODELS.openai, apiKey: 'sk-openai' });
    expect(resolveLlmConfig({}, { ANTHROPIC_API_KEY: 'sk-ant' })).toMatchObject({ provider: 'anthropic', model: DEFAULT_MODELS.anthropic, apiKey: 'sk-ant' });
    const local = resolveLlmConfig({ baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.1' }, { OPENAI_API_KEY: 'sk-openai' });
    expect(local.apiKey).toBeUndefined();
    expect(resolveLlmConfig({ baseUrl: 'http://127.0.0.1:8000/v1', model: 'm' }, { OPENAI_API_KEY: 'sk-openai', PLAYFORGE_LLM_API_KEY: 'sk-local' }).apiKey).toBe('sk-local');
    expect(resolveLlmConfig({ baseUrl: 'https://api.openai.com/v1' }, { OPENAI_API_KEY: 'sk-openai' }).apiKey).toBe('sk-openai');
  });

  it('takes flags over the environment and checks them', () => {
    const c = resolveLlmConfig({ provider: 'openai', model: 'flag-model', timeoutMs: '5000', maxRetries: '0' }, { PLAYFORGE_LLM_MODEL: 'env-model', PLAYFORGE_LLM_TIMEOUT_MS: '9000' });
    expect(c).toMatchObject({ model: 'flag-model', timeoutMs: 5000, maxRetries: 0, structuredOutput: 'auto' });
    expect(resolveLlmConfig({}, { PLAYFORGE_LLM_PROVIDER: 'openai', PLAYFORGE_LLM_TIMEOUT_MS: '9000' }).timeoutMs).toBe(9000);
    expect(() => resolveLlmConfig({ baseUrl: 'http://127.0.0.1:1/v1' }, {})).toThrow(expect.objectContaining({ code: 'LLM_CONFIG' }));
    expect(() => resolveLlmConfig({ provider: 'mistral' }, {})).toThrow(/openai .* or anthropic/);
    expect(() => resolveLlmConfig({ timeoutMs: 'soon' }, { OPENAI_API_KEY: 'k' })).toThrow(/timeout-ms/);
    expect(() => resolveLlmConfig({ structuredOutput: 'xml' }, { OPENAI_API_KEY: 'k' })).toThrow(/structured output/);
  });

  it('describes a config without its key', () => {
    const text = JSON.stringify(describeLlmConfig(resolveLlmConfig({}, { OPENAI_API_KEY: 'sk-very-secret' })));
    expect(text).not.toContain('sk-very-secret');
    expect(text).toContain('"apiKey":"set"');
  });
});

describe('parseRetryAfter', () => {
  const h = (m: Record<string, string>) => ({ get: (k: string) => m[k] ?? null });
  it('reads retry-after-ms, seconds and HTTP dates', () => {
    expect(parseRetryAfter(h({ 'retry-after-ms': '250' }))).toBe(250);
    expect(parseRetryAfter(h({ 'retry-after': '3' }))).toBe(3000);
    expect(parseRetryAfter(h({ 'retry-after': new Date(10_000).toUTCString() }), 4_000)).toBe(6_000);
    expect(parseRetryAfter(h({}))).toBeUndefined();
  });
});

describe('extractJson', () => {
  it('parses plain JSON, fenced JSON and JSON inside prose (braces in strings respected)', () => {
    expect(extractJson('{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(extractJson('Here you go:\n```json\n{"a": [1, 2]}\n```\nDone.')).toEqual({ ok: true, value: { a: [1, 2] } });
    expect(extractJson('Sure! {"a": "x } y", "b": {"c": "{"}} trailing')).toEqual({ ok: true, value: { a: 'x } y', b: { c: '{' } } });
    expect(extractJson('noise {not json} then {"ok": true}')).toEqual({ ok: true, value: { ok: true } });
  });

  it('reports why nothing could be parsed', () => {
    const r = extractJson('{"play": {"name": "x", }');
    expect(r.ok).toBe(false);
    expect(extractJson('').ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/no JSON object|JSON/);
  });
});

describe('translate in LLM mode without a model', () => {
  it('says how to configure one instead of calling a default endpoint', async () => {
    const source = { documentId: 'd', documentPath: 'x.md', title: 'x', passages: [], search: async () => [] };
    await expect(translateDetailed(source, { n: 1, mode: 'llm', env: {} })).rejects.toMatchObject({ code: 'LLM_CONFIG' });
  });
});

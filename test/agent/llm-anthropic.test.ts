// Anthropic's messages API through a local fake server: the answer arrives as a forced tool call.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createProvider, resolveLlmConfig, type TranslationSource } from '../../src/agent/index.ts';
import { translateWithLlm } from '../../src/agent/llm/translate-llm.ts';
import { loadCatalog, type Catalog } from '../../src/knowledge/catalog/index.ts';
import { answer, INDICATOR_BROKEN, VALID_PLAY } from './helpers/answers.ts';
import { anthropicToolUse, startFakeServer, type FakeServer } from './helpers/fake-llm.ts';
import { sourceFromFile } from './helpers/source.ts';

const KEY = 'sk-ant-test-0123456789';
let catalog: Catalog;
let source: TranslationSource;
let server: FakeServer | undefined;

beforeAll(async () => {
  catalog = loadCatalog();
  source = await sourceFromFile('knowledge/sources/simons_markov.md');
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('Anthropic provider', () => {
  it('asks for the answer as a forced tool call and turns the tool input into a candidate', async () => {
    server = await startFakeServer([anthropicToolUse('submit_play', answer(VALID_PLAY), 'fake-claude-1')]);
    const provider = createProvider(resolveLlmConfig({ provider: 'anthropic', baseUrl: server.url, model: 'fake-claude-1', maxRetries: 0 }, { PLAYFORGE_LLM_API_KEY: KEY }));
    const r = await translateWithLlm(source, catalog, provider, { n: 1, seed: 2 });
    expect(r.failures).toEqual([]);
    expect(r.candidates[0].provenance).toMatchObject({ mode: 'llm', provider: 'anthropic', model: 'fake-claude-1', attempts: 1, primitives: ['trend_regime', 'ema_trend', 'atr_stop_rr'] });
    expect(r.candidates[0].play.structures[0]).toMatchObject({ type: 'trend', key: 'regime' });

    const req = server.requests[0];
    expect(req.url).toBe('/v1/messages');
    // The SDK sends the key as x-api-key or, in recent versions, as a bearer token.
    expect([req.headers['x-api-key'], req.headers.authorization]).toContain(req.headers['x-api-key'] === KEY ? KEY : `Bearer ${KEY}`);
    const body = req.body as { model: string; system: string; tools: { name: string; input_schema: Record<string, any> }[]; tool_choice: unknown; messages: { role: string }[] };
    expect(body.model).toBe('fake-claude-1');
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'submit_play' });
    expect(body.tools[0].name).toBe('submit_play');
    expect(body.tools[0].input_schema.properties.play).toBeDefined();
    expect(body.system).toContain('Primitives catalogue');
    expect(body.messages.map((m) => m.role)).toEqual(['user']);
  });

  it('repairs through the same conversation', async () => {
    server = await startFakeServer([anthropicToolUse('submit_play', answer(INDICATOR_BROKEN)), anthropicToolUse('submit_play', answer(VALID_PLAY))]);
    const provider = createProvider(resolveLlmConfig({ provider: 'anthropic', baseUrl: server.url, model: 'fake-claude-1', maxRetries: 0 }, { PLAYFORGE_LLM_API_KEY: KEY }));
    const r = await translateWithLlm(source, catalog, provider, { n: 1, seed: 2 });
    expect(r.candidates[0].provenance.attempts).toBe(2);
    const msgs = server.requests[1].body.messages as { role: string; content: string }[];
    expect(msgs.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(msgs[2].content).toContain('[DSL_UNKNOWN_INDICATOR]');
  });
});

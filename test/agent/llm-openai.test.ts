// LLM mode against a local OpenAI-compatible server replaying answers: a valid play, malformed JSON, plays the
// repair loop fixes from the DSL's file:line:col errors, one that never validates, a timeout, HTTP 429 with
// Retry-After, a server without json_schema support, plain-text answers, and duplicate structures.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createProvider, resolveLlmConfig, translate, type LlmProvider, type TranslationSource } from '../../src/agent/index.ts';
import { translateWithLlm } from '../../src/agent/llm/translate-llm.ts';
import { loadPlay } from '../../src/dsl/index.ts';
import { loadCatalog, type Catalog } from '../../src/knowledge/catalog/index.ts';
import { answer, INDICATOR_BROKEN, OTHER_PLAY, REFERENCE_BROKEN, SCHEMA_BROKEN, VALID_PLAY } from './helpers/answers.ts';
import { chatCompletion, startFakeServer, type FakeServer, type Reply } from './helpers/fake-llm.ts';
import { sourceFromFile } from './helpers/source.ts';

const KEY = 'sk-test-secret-0123456789';
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

async function setup(replies: Reply[], over: { timeoutMs?: number; maxRetries?: number; structuredOutput?: string } = {}) {
  server = await startFakeServer(replies);
  const delays: number[] = [];
  const config = resolveLlmConfig(
    { provider: 'openai', baseUrl: `${server.url}/v1`, model: 'fake-model', timeoutMs: over.timeoutMs ?? 5000, maxRetries: over.maxRetries ?? 2, structuredOutput: over.structuredOutput },
    { PLAYFORGE_LLM_API_KEY: KEY },
  );
  // Waits are recorded, not slept: the Retry-After value is what the test checks.
  const provider: LlmProvider = createProvider(config, { sleep: async (ms) => void delays.push(ms) });
  return { server, provider, delays };
}

const json = (v: unknown) => chatCompletion(JSON.stringify(v));
const lastUser = (s: FakeServer, i: number) => {
  const msgs = s.requests[i].body.messages as { role: string; content: string }[];
  return msgs[msgs.length - 1].content;
};

describe('OpenAI-compatible provider', () => {
  it('turns a valid answer into a candidate with LLM provenance, asking with json_schema and the full prompt', async () => {
    const { server: s, provider } = await setup([json(answer(VALID_PLAY))]);
    const r = await translateWithLlm(source, catalog, provider, { n: 1, seed: 3 });
    expect(r.failures).toEqual([]);
    const [c] = r.candidates;
    expect(c.play.name).toBe('simons_markov_llm_001');
    expect(c.provenance).toMatchObject({
      mode: 'llm', provider: 'openai', model: 'fake-model', template: null, seed: 3, attempts: 1,
      documentPath: 'knowledge/sources/simons_markov.md', primitives: ['trend_regime', 'ema_trend', 'atr_stop_rr'], chunkIds: [3, 5],
    });
    expect(loadPlay(c.yaml, 'c.yml').errors).toEqual([]);
    expect(c.yaml).toContain('# Model rationale: A fresh trend regime confirmed by EMA alignment.');
    expect(c.yaml).not.toContain(KEY);

    expect(s.requests).toHaveLength(1);
    const req = s.requests[0];
    expect(req.url).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
    const body = req.body as { model: string; response_format: { type: string; json_schema: { name: string; schema: Record<string, any> } }; messages: { role: string; content: string }[] };
    expect(body.model).toBe('fake-model');
    expect(body.response_format.type).toBe('json_schema');
    expect(body.response_format.json_schema.name).toBe('submit_play');
    expect(body.response_format.json_schema.schema.properties.play.properties.features).toBeDefined();
    expect(body.response_format.json_schema.schema.$defs).toBeDefined();
    expect(body.messages[0].role).toBe('system');
    for (const part of ['Primitives catalogue', '- trend_regime [regime]', 'JSON Schema of the play', 'A valid answer']) expect(body.messages[0].content).toContain(part);
    expect(body.messages[1].content).toContain('[chunk 1]');
    expect(body.messages[1].content).toContain('a play named exactly "simons_markov_llm_001"');
  });

  it('repairs malformed JSON', async () => {
    const { server: s, provider } = await setup([chatCompletion('{"play": {"name": "x", '), json(answer(VALID_PLAY))]);
    const r = await translateWithLlm(source, catalog, provider, { n: 1, seed: 1 });
    expect(r.candidates[0].provenance.attempts).toBe(2);
    const second = s.requests[1].body.messages as { role: string; content: string }[];
    expect(second.at(-2)).toEqual({ role: 'assistant', content: '{"play": {"name": "x", ' });
    expect(second.at(-1)!.content).toMatch(/^Your answer is not valid JSON/);
  });

  it('feeds the exact DSL errors back until the play validates (schema, then declaration mistakes)', async () => {
    const { server: s, provider } = await setup([json(answer(SCHEMA_BROKEN)), json(answer(INDICATOR_BROKEN)), json(answer(VALID_PLAY))]);
    const r = await translateWithLlm(source, catalog, provider, { n: 1, seed: 1 });
    expect(r.candidates).toHaveLength(1);
    expect(r.candidates[0].provenance.attempts).toBe(3);

    const first = lastUser(s, 1);
    expect(first).toContain('DSL_UNKNOWN_KEY');
    expect(first).toMatch(/simons_markov_llm_001\.yml:\d+:\d+: .*'whenever'/);
    const second = lastUser(s, 2);
    const m = /simons_markov_llm_001\.yml:(\d+):(\d+): unknown indicator 'emma' \(did you mean 'ema'\?\) \[DSL_UNKNOWN_INDICATOR\]/.exec(second);
    expect(m).not.toBeNull();
    // The line number points into the numbered YAML shown with it, at the misspelt indicator.
    const shown = second.split('\n').find((l) => l.startsWith(`${m![1].padStart(4)} | `));
    expect(shown).toContain('indicator: emma');
    expect(shown!.indexOf('emma') - '   1 | '.length + 1).toBe(Number(m![2]));
  });

  it('gives a clear failure when the play never validates', async () => {
    const { server: s, provider } = await setup([json(answer(REFERENCE_BROKEN)), json(answer(REFERENCE_BROKEN)), json(answer(INDICATOR_BROKEN))]);
    const r = await translateWithLlm(source, catalog, provider, { n: 1, seed: 1, maxAttempts: 3 });
    expect(r.candidates).toEqual([]);
    expect(s.requests).toHaveLength(3);
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]).toMatchObject({ name: 'simons_markov_llm_001', code: 'LLM_NO_VALID_PLAY', attempts: 3 });
    expect(r.failures[0].message).toContain('in 3 attempts');
    expect(r.failures[0].message).toContain("unknown indicator 'emma'");
    expect(lastUser(s, 1)).toContain("'ema_slw' is not a declared feature");
  });

  it('translate() throws the failure instead of returning nothing', async () => {
    const { provider } = await setup([json(answer(REFERENCE_BROKEN)), json(answer(REFERENCE_BROKEN))]);
    await expect(translate(source, { n: 1, mode: 'llm', provider, catalog, maxAttempts: 2 })).rejects.toMatchObject({ code: 'LLM_NO_VALID_PLAY' });
  });

  it('stops with LLM_TIMEOUT when the server does not answer in time', async () => {
    const { server: s, provider } = await setup([{ ...json(answer(VALID_PLAY)), delayMs: 5000 }], { timeoutMs: 300, maxRetries: 0 });
    const r = await translateWithLlm(source, catalog, provider, { n: 2, seed: 1 });
    expect(r.candidates).toEqual([]);
    expect(r.failures).toEqual([expect.objectContaining({ code: 'LLM_TIMEOUT', index: 1 })]);
    expect(r.failures[0].message).toContain('300 ms');
    // A provider failure ends the run: no request for the second candidate.
    expect(s.requests).toHaveLength(1);
  });

  it('waits out HTTP 429 as the Retry-After header says, then succeeds', async () => {
    const limited: Reply = { status: 429, headers: { 'retry-after': '2' }, body: { error: { message: 'Rate limit reached', type: 'rate_limit' } } };
    const { server: s, provider, delays } = await setup([limited, json(answer(VALID_PLAY))]);
    const r = await translateWithLlm(source, catalog, provider, { n: 1, seed: 1 });
    expect(r.candidates).toHaveLength(1);
    expect(delays).toEqual([2000]);
    expect(s.requests).toHaveLength(2);
  });

  it('reports LLM_RATE_LIMITED when retries run out', async () => {
    const limited: Reply = { status: 429, headers: { 'retry-after-ms': '1500' }, body: { error: { message: 'slow down' } } };
    const { provider, delays } = await setup([limited, limited], { maxRetries: 1 });
    const r = await translateWithLlm(source, catalog, provider, { n: 1, seed: 1 });
    expect(delays).toEqual([1500]);
    expect(r.failures[0]).toMatchObject({ code: 'LLM_RATE_LIMITED' });
    expect(r.failures[0].message).toContain('HTTP 429');
  });

  it('falls back to json_object when the server rejects json_schema, and remembers it', async () => {
    const rejected: Reply = { status: 400, body: { error: { message: "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model." } } };
    const { server: s, provider } = await setup([rejected, json(answer(VALID_PLAY)), json(answer(OTHER_PLAY))]);
    const r = await translateWithLlm(source, catalog, provider, { n: 2, seed: 1 });
    expect(r.candidates).toHaveLength(2);
    expect(s.requests.map((q) => (q.body.response_format as { type: string } | undefined)?.type)).toEqual(['json_schema', 'json_object', 'json_object']);
  });

  it('extracts the JSON from a plain-text answer when structured output is off', async () => {
    const prose = `Here is the play.\n\n\`\`\`json\n${JSON.stringify(answer(VALID_PLAY), null, 2)}\n\`\`\`\nIt trades fresh regimes.`;
    const { server: s, provider } = await setup([chatCompletion(prose)], { structuredOutput: 'none' });
    const r = await translateWithLlm(source, catalog, provider, { n: 1, seed: 1 });
    expect(r.candidates).toHaveLength(1);
    expect(s.requests[0].body.response_format).toBeUndefined();
  });

  it('sends a structural duplicate back and lists earlier candidates in the next prompt', async () => {
    const renamed = { ...VALID_PLAY, features: { fast: VALID_PLAY.features.ema_fast, slow: VALID_PLAY.features.ema_slow, atr_14: VALID_PLAY.features.atr_14 }, actions: { entry_long: { all: [['regime.state', '==', 'trending_up'], ['regime.transition', '==', 'recent'], ['fast', '>', 'slow']] }, exit_long: VALID_PLAY.actions.exit_long } };
    const { server: s, provider } = await setup([json(answer(VALID_PLAY)), json(answer(renamed)), json(answer(OTHER_PLAY))]);
    const r = await translateWithLlm(source, catalog, provider, { n: 2, seed: 1 });
    expect(r.candidates.map((c) => c.play.name)).toEqual(['simons_markov_llm_001', 'simons_markov_llm_002']);
    expect(r.candidates[1].play.structures[0].type).toBe('hmm_regime');
    expect(lastUser(s, 1)).toContain('- simons_markov_llm_001: primitives trend_regime, ema_trend, atr_stop_rr');
    expect(lastUser(s, 2)).toContain('same structure as a candidate already written');
  });

  it('never puts the API key in an error message, even when the server echoes it', async () => {
    const echo: Reply = { status: 422, body: { error: { message: `bad request from key ${KEY}` } } };
    const { provider } = await setup([echo]);
    const r = await translateWithLlm(source, catalog, provider, { n: 1, seed: 1 });
    expect(r.failures[0].code).toBe('LLM_REQUEST_REJECTED');
    expect(r.failures[0].message).toContain('bad request from key ***');
    expect(r.failures[0].message).not.toContain(KEY);
  });
});

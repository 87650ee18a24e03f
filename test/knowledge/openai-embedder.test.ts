// The OpenAI-compatible embedder against a local /v1/embeddings server: batching and ordering, retries that
// honour Retry-After, clear errors for garbled or inconsistent answers, and an API key that is sent but
// never shown. Configuration: flags over environment, and an OpenAI key only ever goes to OpenAI.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OpenAICompatibleEmbedder, createEmbedder, normalizeBaseUrl, resolveEmbedderConfig, type OpenAICompatibleOptions } from '../../src/knowledge/index.ts';
import { fakeVector, startFakeEmbeddingsServer, type FakeEmbeddingsServer } from './support/fake-embeddings-server.ts';

const KEY = 'sk-test-SECRET-0123456789';

let server: FakeEmbeddingsServer;
beforeAll(async () => {
  server = await startFakeEmbeddingsServer(8);
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
  server.script.length = 0;
  server.reverse = false;
  server.hang = false;
  server.dimensions = 8;
});

function embedder(options: Partial<OpenAICompatibleOptions> = {}): { e: OpenAICompatibleEmbedder; sleeps: number[] } {
  const sleeps: number[] = [];
  const e = new OpenAICompatibleEmbedder({
    baseUrl: server.baseUrl,
    model: 'test-embed',
    apiKey: KEY,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });
  return { e, sleeps };
}

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('expected a rejection');
}

describe('OpenAICompatibleEmbedder', () => {
  it('batches inputs, keeps their order whatever order the server answers in, and sends model, key and float format', async () => {
    const { e } = embedder({ batchSize: 2 });
    server.reverse = true;
    const texts = ['alpha', 'beta', '', 'delta', 'epsilon'];
    const vectors = await e.embed(texts);
    expect(server.requests.map((r) => r.body.input)).toEqual([['alpha', 'beta'], [' ', 'delta'], ['epsilon']]);
    expect(vectors.map((v) => Array.from(v))).toEqual(['alpha', 'beta', ' ', 'delta', 'epsilon'].map((t) => fakeVector(t, 8)));
    expect(server.requests[0]).toMatchObject({ path: '/v1/embeddings', authorization: `Bearer ${KEY}`, body: { model: 'test-embed', encoding_format: 'float' } });
    expect(server.requests[0].body.dimensions).toBeUndefined();
    expect(e.dimensions).toBe(8);
    expect(e.name).toBe('openai-compatible:test-embed');
  });

  it('asks for a length when configured, names itself with it, and checks every answer against it', async () => {
    const { e } = embedder({ dimensions: 8 });
    expect(e.name).toBe('openai-compatible:test-embed:d8');
    await e.embed(['x']);
    expect(server.requests[0].body.dimensions).toBe(8);
    server.dimensions = 6;
    const err = await failure(e.embed(['y']));
    expect(err.code).toBe('KNOWLEDGE_EMBEDDINGS_RESPONSE');
    expect(err.message).toMatch(/6 dimensions, expected 8/);
  });

  it('waits what Retry-After asks on a 429, then succeeds', async () => {
    const { e, sleeps } = embedder();
    server.script.push({ status: 429, headers: { 'retry-after': '2' }, body: JSON.stringify({ error: { message: 'slow down' } }) });
    const [v] = await e.embed(['after the wait']);
    expect(Array.from(v)).toEqual(fakeVector('after the wait', 8));
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toEqual([2000]);
  });

  it('backs off on 5xx without Retry-After, caps long waits, and gives up after maxRetries with the status', async () => {
    const { e, sleeps } = embedder({ maxRetries: 3, maxRetryDelayMs: 5_000 });
    server.script.push(
      { status: 503, body: '{}' },
      { status: 502, body: '{}' },
      { status: 429, headers: { 'retry-after': '3600' }, body: '{}' },
      { status: 500, body: JSON.stringify({ error: { message: 'still broken' } }) },
    );
    const err = await failure(e.embed(['x']));
    expect(err.code).toBe('KNOWLEDGE_EMBEDDINGS_HTTP');
    expect(err.message).toMatch(/after 4 attempts: HTTP 500/);
    expect(sleeps).toEqual([500, 1000, 5000]);
  });

  it('does not retry a client error, and never shows the key even when the server echoes it', async () => {
    const { e, sleeps } = embedder();
    server.script.push({ status: 401, body: JSON.stringify({ error: { message: `invalid key ${KEY}` } }) });
    const err = await failure(e.embed(['x']));
    expect(err.code).toBe('KNOWLEDGE_EMBEDDINGS_HTTP');
    expect(err.message).toMatch(/HTTP 401 \(check PLAYFORGE_EMBEDDINGS_API_KEY\)/);
    expect(err.message).not.toContain(KEY);
    expect(err.message).toContain('***');
    expect(sleeps).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('rejects a garbled body, a wrong count, a non-numeric value, and text instead of JSON', async () => {
    const { e } = embedder();
    server.script.push({ status: 200, body: '{"data": [{"embedding": [0.1, 0.2' });
    const garbled = await failure(e.embed(['x']));
    expect(garbled.code).toBe('KNOWLEDGE_EMBEDDINGS_RESPONSE');
    expect(garbled.message).toMatch(/not valid JSON/);

    server.script.push({ status: 200, body: JSON.stringify({ data: [{ index: 0, embedding: [1, 2] }] }) });
    expect((await failure(e.embed(['a', 'b']))).message).toMatch(/1 embeddings for 2 inputs/);

    server.script.push({ status: 200, body: JSON.stringify({ data: [{ index: 0, embedding: [1, 'x', 3] }] }) });
    expect((await failure(e.embed(['a']))).message).toMatch(/non-numeric or non-finite/);

    server.script.push({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html>proxy login</html>' });
    const html = await failure(e.embed(['a']));
    expect(html.code).toBe('KNOWLEDGE_EMBEDDINGS_RESPONSE');
    expect(html.message).toMatch(/got text "<html>proxy login/);

    server.script.push({ status: 200, body: JSON.stringify({ data: [{ index: 3, embedding: [1] }] }) });
    expect((await failure(e.embed(['a']))).message).toMatch(/index 3/);
  });

  it('reports a timeout and a refused connection as HTTP failures', async () => {
    server.hang = true;
    const slow = await failure(embedder({ timeoutMs: 150, maxRetries: 1 }).e.embed(['x']));
    expect(slow.code).toBe('KNOWLEDGE_EMBEDDINGS_HTTP');
    expect(slow.message).toMatch(/after 2 attempts: timed out/);
    server.hang = false;
    const closed = await startFakeEmbeddingsServer();
    const url = closed.baseUrl;
    await closed.close();
    const refused = await failure(new OpenAICompatibleEmbedder({ baseUrl: url, model: 'm', maxRetries: 0 }).embed(['x']));
    expect(refused.code).toBe('KNOWLEDGE_EMBEDDINGS_HTTP');
    expect(refused.message).toMatch(/connection failed/);
  });
});

describe('embedder configuration', () => {
  it('normalises base URLs', () => {
    expect(normalizeBaseUrl('http://127.0.0.1:11434')).toBe('http://127.0.0.1:11434/v1');
    expect(normalizeBaseUrl('http://127.0.0.1:8080/v1/')).toBe('http://127.0.0.1:8080/v1');
    expect(normalizeBaseUrl('https://api.openai.com/v1/embeddings')).toBe('https://api.openai.com/v1');
    expect(normalizeBaseUrl('http://user:pw@host:1/v1')).toBe('http://host:1/v1');
    expect(() => normalizeBaseUrl('localhost:11434')).toThrow(/http\(s\)/);
    expect(() => normalizeBaseUrl('not a url')).toThrow(/not a URL/);
  });

  it('takes flags over environment, and defaults to the offline embedder', () => {
    const env = { PLAYFORGE_EMBEDDINGS_URL: 'http://127.0.0.1:1/v1', PLAYFORGE_EMBEDDINGS_MODEL: 'env-model', PLAYFORGE_EMBEDDINGS_DIMENSIONS: '256', PLAYFORGE_EMBEDDINGS_API_KEY: 'k1' };
    expect(resolveEmbedderConfig({}, env)).toEqual({ baseUrl: 'http://127.0.0.1:1/v1', model: 'env-model', apiKey: 'k1', dimensions: 256 });
    expect(resolveEmbedderConfig({ embeddingsModel: 'flag-model', embeddingsDimensions: '128' }, env)).toMatchObject({ model: 'flag-model', dimensions: 128 });
    expect(resolveEmbedderConfig({}, {})).toEqual({ dimensions: undefined });
    expect(createEmbedder(resolveEmbedderConfig({}, {})).name).toBe('hashed-ngram-v2-d384-s24301');
    expect(createEmbedder(resolveEmbedderConfig({}, env)).name).toBe('openai-compatible:env-model:d256');
    expect(() => resolveEmbedderConfig({ embeddingsDimensions: 'lots' }, {})).toThrow(/--embeddings-dimensions must be an integer/);
    expect(() => createEmbedder({ baseUrl: 'http://127.0.0.1:1/v1' })).toThrow(/needs a model name/);
  });

  it('sends OPENAI_API_KEY to api.openai.com only', () => {
    const env = { OPENAI_API_KEY: 'sk-openai' };
    expect(resolveEmbedderConfig({ embeddingsUrl: 'https://api.openai.com/v1', embeddingsModel: 'text-embedding-3-small' }, env).apiKey).toBe('sk-openai');
    expect(resolveEmbedderConfig({ embeddingsUrl: 'http://127.0.0.1:11434', embeddingsModel: 'nomic-embed-text' }, env).apiKey).toBeUndefined();
  });
});

// `playforge knowledge add|ls|search|reembed` in-process on a PGlite data directory: --json documents on
// stdout, progress and notices on stderr, exit codes, and embedder changes caught with an actionable error.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { registerKnowledgeCommands } from '../../src/cli/commands/knowledge.ts';
import { isPlayforgeError } from '../../src/common/errors.ts';
import { SOURCES_DIR } from './support/corpus.ts';
import { startFakeEmbeddingsServer, type FakeEmbeddingsServer } from './support/fake-embeddings-server.ts';

interface Run {
  code: number;
  out: string;
  err: string;
}

/** `playforge --data-dir DIR knowledge ...args`, with main()'s handling of a thrown PlayforgeError. */
async function run(dataDir: string, ...args: string[]): Promise<Run> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  const program = new Command('playforge').option('--data-dir <dir>').exitOverride();
  registerKnowledgeCommands(program);
  let code: number;
  try {
    await program.parseAsync(['node', 'playforge', '--data-dir', dataDir, 'knowledge', ...args]);
    code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (!isPlayforgeError(e)) throw e;
    err += `error: ${e.format()}\n`;
    code = 1;
  } finally {
    vi.restoreAllMocks();
    process.exitCode = 0;
  }
  return { code, out, err };
}

export function cliCases(dataDir: string): void {
  let server: FakeEmbeddingsServer;
  const bulk = fs.mkdtempSync(path.join(os.tmpdir(), 'pf-knowledge-bulk-'));
  beforeAll(async () => {
    // The CLI must use this data directory's PGlite, whatever the environment says.
    vi.stubEnv('DATABASE_URL', '');
    vi.stubEnv('PLAYFORGE_EMBEDDINGS_URL', '');
    vi.stubEnv('PLAYFORGE_LOG_LEVEL', 'warn');
    server = await startFakeEmbeddingsServer(384);
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await server.close();
    fs.rmSync(bulk, { recursive: true, force: true });
  });
  afterEach(() => {
    process.exitCode = 0;
  });

  it('add --json ingests the shipped sources; adding them again writes nothing and says so', async () => {
    const first = await run(dataDir, 'add', SOURCES_DIR, '--json');
    expect(first.code).toBe(0);
    const doc = JSON.parse(first.out);
    expect(doc.ok).toBe(true);
    expect(doc.results[0].report).toMatchObject({ added: 12, failed: 0 });
    const again = await run(dataDir, 'add', SOURCES_DIR);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/: 12 unchanged; 0 chunks written \(embedder hashed-ngram-v2-d384-s24301\)\n$/);
  });

  it('ls lists documents with chunks and licences', async () => {
    const json = await run(dataDir, 'ls', '--json');
    const doc = JSON.parse(json.out);
    expect(doc.embedder).toBe('hashed-ngram-v2-d384-s24301');
    expect(doc.vectorMode).toBe('pgvector');
    expect(doc.documents).toHaveLength(12);
    const simons = doc.documents.find((d: { path: string }) => d.path.endsWith('simons_markov.md'));
    expect(simons).toMatchObject({ licence: 'MIT', origin: 'Playforge', format: 'markdown' });
    expect(simons.chunks).toBeGreaterThan(3);
    const licences = new Set(doc.documents.map((d: { licence: string }) => d.licence));
    expect(licences).toEqual(new Set(['MIT', 'Apache-2.0', 'BSD-3-Clause']));
    const human = await run(dataDir, 'ls');
    expect(human.out).toMatch(/simons_markov\.md\s+\d+ chunks\s+MIT\s+Regime trading with a hidden Markov model/);
    expect(human.out).toMatch(/12 documents, \d+ chunks/);
  });

  it('search prints ranked hits with their place in the document; --doc limits to one', async () => {
    const json = await run(dataDir, 'search', 'detect regime transitions with a hidden Markov model', '-k', '3', '--json');
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.out);
    expect(doc).toMatchObject({ mode: 'hybrid', vectorMode: 'pgvector' });
    expect(doc.hits).toHaveLength(3);
    expect(doc.hits[0].docPath).toMatch(/simons_markov\.md$/);
    expect(doc.hits[0].chunk).toMatchObject({ heading: expect.stringContaining('Regime trading'), lineStart: expect.any(Number) });
    const human = await run(dataDir, 'search', 'spring', '--doc', path.join(SOURCES_DIR, 'wyckoff.md'), '-k', '2');
    expect(human.out.match(/^\d+\. .*wyckoff\.md:\d+-\d+/gm)).toHaveLength(2);
    expect(human.out).toMatch(/score \d\.\d{4}; vector \d\.\d{3}; bm25 \d+\.\d{2}/);
    const unknown = await run(dataDir, 'search', 'spring', '--doc', 'nowhere.md');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/nowhere\.md is not in the knowledge store/);
  });

  it('reports progress on stderr for a large folder and keeps stdout for the result', async () => {
    for (let i = 0; i < 24; i++) fs.writeFileSync(path.join(bulk, `note_${String(i).padStart(2, '0')}.md`), `# Note ${i}\n\nIdea number ${i} about breakouts.\n`);
    const r = await run(dataDir, 'add', bulk, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).results[0].report.added).toBe(24);
    expect(r.err).toMatch(/ingesting: 24\/24 files/);
    expect(r.err.match(/ingesting: /g)?.length).toBeLessThanOrEqual(11);
  });
  it('an endpoint of another dimension is refused before anything is touched', async () => {
    server.dimensions = 8;
    const r = await run(dataDir, 'search', 'spring', '--embeddings-url', server.baseUrl, '--embeddings-model', 'small');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/KNOWLEDGE_EMBEDDER_MISMATCH/);
    expect(r.err).toMatch(/384-dimensional.*gives 8-dimensional/);
    server.dimensions = 384;
  });

  it('switching to an endpoint needs reembed, after which the endpoint searches; keyword search needs no embedder', async () => {
    const endpoint = ['--embeddings-url', server.baseUrl, '--embeddings-model', 'fake-384'];
    const refused = await run(dataDir, 'search', 'spring', ...endpoint);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/hashed-ngram-v2-d384-s24301.*openai-compatible:fake-384.*playforge knowledge reembed/);
    const re = await run(dataDir, 'reembed', ...endpoint, '--json');
    expect(JSON.parse(re.out)).toMatchObject({ embedder: 'openai-compatible:fake-384', previous: ['hashed-ngram-v2-d384-s24301'] });
    expect((await run(dataDir, 'search', 'spring', ...endpoint, '--json')).code).toBe(0);
    // Keyword search needs no embedder at all.
    expect((await run(dataDir, 'search', 'spring', '--mode', 'keyword')).code).toBe(0);
  });

}

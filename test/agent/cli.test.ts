// `playforge translate` end to end on a fresh data dir: candidate files with provenance headers, rows in the
// plays table (content hash = the file's sha256), and an LLM run that never validates storing nothing.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { candidatesOfDocument, saveCandidates, type Candidate } from '../../src/agent/index.ts';
import { main } from '../../src/cli/main.ts';
import { loadPlay } from '../../src/dsl/index.ts';
import { openWarmStore } from '../../src/store/index.ts';
import { answer, REFERENCE_BROKEN } from './helpers/answers.ts';
import { chatCompletion, startFakeServer } from './helpers/fake-llm.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'pf-translate-'));

// The test counts the rows of a store of its own: run on the embedded store in dataDir even where
// DATABASE_URL points at a shared server (CI), whose public schema other suites' runs also write to.
const serverUrl = process.env.DATABASE_URL;
beforeAll(() => {
  delete process.env.DATABASE_URL;
});
afterAll(() => {
  if (serverUrl !== undefined) process.env.DATABASE_URL = serverUrl;
});
const SOURCE = 'knowledge/sources/wyckoff.md';

async function run(args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await main(['node', 'playforge', '--data-dir', dataDir, ...args]);
    return { code, stdout };
  } finally {
    spy.mockRestore();
    errSpy.mockRestore();
    process.exitCode = undefined;
  }
}

afterEach(() => {
  process.exitCode = undefined;
});
afterAll(() => {
  process.exitCode = undefined;
});

describe('playforge translate', () => {
  const outDir = path.join(dataDir, 'cands');
  const failedDir = path.join(dataDir, 'failed');

  it('writes one YAML per candidate, says where each came from, and stores them; an LLM that never validates stores nothing', async () => {
    const offline = await run(['translate', SOURCE, '-n', '3', '--out', outDir, '--mode', 'offline']);
    expect(offline.code).toBe(0);
    const files = readdirSync(outDir).filter((f) => f.endsWith('.yml')).sort();
    expect(files).toHaveLength(3);
    expect(offline.stdout).toMatch(/^3 candidates from knowledge\/sources\/wyckoff\.md \("[^"]+", \d+ passages, offline\)/);
    for (const f of files) {
      const text = readFileSync(path.join(outDir, f), 'utf8');
      const { play, errors } = loadPlay(text, f);
      expect(errors).toEqual([]);
      expect(`${play!.name}.yml`).toBe(f);
      expect(text).toMatch(/^# Play: .*\n# Idea: /);
      expect(offline.stdout).toContain(`${play!.name} -> ${path.join(outDir, f)}`);
    }
    expect(offline.stdout).toMatch(/ {2}from chunks \d+(, \d+)* of document [0-9a-f-]{36}/);
    expect(offline.stdout).toMatch(/ {2}template range_reversal: /);
    expect(offline.stdout.match(/ {2}stored as play [0-9a-f-]{36}\n/g)).toHaveLength(3);

    const server = await startFakeServer([chatCompletion(JSON.stringify(answer(REFERENCE_BROKEN))), chatCompletion(JSON.stringify(answer(REFERENCE_BROKEN)))]);
    try {
      const llm = await run(['translate', SOURCE, '-n', '1', '--out', failedDir, '--mode', 'llm', '--provider', 'openai', '--base-url', `${server.url}/v1`, '--model', 'fake-model', '--max-attempts', '2', '--json']);
      expect(llm.code).toBe(1);
      const doc = JSON.parse(llm.stdout) as { mode: string; candidates: unknown[]; failures: { code: string; message: string }[] };
      expect(doc.mode).toBe('llm');
      expect(doc.candidates).toEqual([]);
      expect(doc.failures).toEqual([expect.objectContaining({ code: 'LLM_NO_VALID_PLAY', attempts: 2 })]);
      expect(server.requests).toHaveLength(2);
      expect(doc.failures[0].message).toContain("'ema_slw'");
      expect(existsSync(failedDir)).toBe(false);
    } finally {
      await server.close();
    }

    const warm = await openWarmStore({ dataDir });
    try {
      const { rows } = await warm.sql.query<{ name: string; yaml: string; content_hash: string; provenance: Record<string, any> }>('select name, yaml, content_hash, provenance from plays order by name');
      expect(rows.map((r) => `${r.name}.yml`)).toEqual(files);
      for (const r of rows) {
        const file = readFileSync(path.join(outDir, `${r.name}.yml`), 'utf8');
        expect(r.yaml).toBe(file);
        expect(r.content_hash).toBe(createHash('sha256').update(file).digest('hex'));
        expect(r.provenance).toMatchObject({ mode: 'offline', documentPath: SOURCE, template: expect.any(String), seed: 1 });
        expect(r.provenance.chunkIds.length).toBeGreaterThan(0);
        expect(r.provenance.primitives.length).toBeGreaterThanOrEqual(2);
      }
      const byDoc = await candidatesOfDocument(warm.sql, rows[0].provenance.documentId);
      expect(byDoc.map((r) => r.name).sort()).toEqual(rows.map((r) => r.name));
      // Storing the same YAML again finds the existing rows.
      const again: Candidate[] = rows.map((r) => ({ play: loadPlay(r.yaml).play!, yaml: r.yaml, provenance: r.provenance as Candidate['provenance'], signature: r.provenance.signature }));
      expect((await saveCandidates(warm.sql, again)).map((s) => s.created)).toEqual([false, false, false]);
      const count = await warm.sql.query<{ n: number }>('select count(*)::int as n from plays');
      expect(count.rows[0].n).toBe(3);
    } finally {
      await warm.close();
    }
  });
});

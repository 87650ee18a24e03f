// Candidates into the warm store's `plays` table, provenance as jsonb. The content hash is the sha256 of the
// YAML exactly as written to the candidate file, the same hash `playforge evolve` computes for a play file,
// so evolving a candidate finds this row and its provenance. Storing the same YAML twice finds the first row.
import { createHash } from 'node:crypto';
import type { SqlQueryable } from '../store/index.ts';
import type { Candidate } from './candidate.ts';

export interface StoredCandidate {
  id: string;
  name: string;
  /** False when the same YAML was stored before (the existing row is returned). */
  created: boolean;
}

export function contentHash(yaml: string): string {
  return createHash('sha256').update(yaml).digest('hex');
}

export async function saveCandidates(sql: SqlQueryable, candidates: readonly Candidate[]): Promise<StoredCandidate[]> {
  return sql.transaction(async (tx) => {
    const out: StoredCandidate[] = [];
    for (const c of candidates) {
      const hash = contentHash(c.yaml);
      const provenance = { ...c.provenance, signature: c.signature, agent: 'playforge-translate' };
      const inserted = await tx.query<{ id: string }>(
        `insert into plays (name, description, yaml, content_hash, dsl_version, provenance) values ($1, $2, $3, $4, $5, $6)
         on conflict (content_hash) do nothing returning id`,
        [c.play.name, c.play.description ?? null, c.yaml, hash, c.play.version, JSON.stringify(provenance)],
      );
      if (inserted.rows.length) {
        out.push({ id: inserted.rows[0].id, name: c.play.name, created: true });
        continue;
      }
      const existing = await tx.query<{ id: string; name: string }>(`select id, name from plays where content_hash = $1`, [hash]);
      out.push({ id: existing.rows[0].id, name: existing.rows[0].name, created: false });
    }
    return out;
  });
}

/** Stored plays generated from a knowledge document, newest first. */
export async function candidatesOfDocument(sql: SqlQueryable, documentId: string): Promise<{ id: string; name: string; provenance: Record<string, unknown> }[]> {
  const { rows } = await sql.query<{ id: string; name: string; provenance: Record<string, unknown> | string }>(
    `select id, name, provenance from plays where provenance->>'documentId' = $1 order by created_at desc, name`,
    [documentId],
  );
  return rows.map((r) => ({ ...r, provenance: typeof r.provenance === 'string' ? (JSON.parse(r.provenance) as Record<string, unknown>) : r.provenance }));
}

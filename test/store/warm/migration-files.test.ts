// The migration files themselves: naming, sequence, checksums and placeholders (no database needed).
import { describe, expect, it } from 'vitest';
import {
  checkMigrationSequence, embeddingColumnSql, loadMigrations, migrationChecksum, migrationFromText, renderMigration,
} from '../../../src/store/index.ts';

describe('migration files', () => {
  it('ships versions 1..n, each with the checksum of its text', () => {
    const migrations = loadMigrations();
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(migrations.map((m) => m.name)).toEqual(['plays_and_evolution', 'backtests_library_demo', 'audit_log', 'knowledge', 'validation_reports']);
    for (const m of migrations) expect(m.checksum).toBe(migrationChecksum(m.template));
  });

  it('gives the same checksum for LF and CRLF, and a different one for any other change', () => {
    expect(migrationChecksum('a;\nb;\n')).toBe(migrationChecksum('a;\r\nb;\r\n'));
    expect(migrationChecksum('a;\nb;\n')).not.toBe(migrationChecksum('a;\nb; \n'));
    expect(migrationChecksum('x')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects badly named files, gaps and duplicates', () => {
    expect(() => migrationFromText('1_x.sql', '')).toThrow(/NNNN_lower_snake/);
    expect(() => migrationFromText('0001_Plays.sql', '')).toThrow(/NNNN_lower_snake/);
    const a = migrationFromText('0001_a.sql', '');
    const c = migrationFromText('0003_c.sql', '');
    expect(() => checkMigrationSequence([a, c])).toThrow(/expected migration version 2 but found 0003_c.sql/);
    expect(() => checkMigrationSequence([a, migrationFromText('0001_b.sql', '')])).toThrow(/version 2/);
    expect(checkMigrationSequence([migrationFromText('0002_b.sql', ''), a]).map((m) => m.file)).toEqual(['0001_a.sql', '0002_b.sql']);
  });

  it('fills the embedding column for either storage mode and refuses unknown placeholders', () => {
    const knowledge = loadMigrations().find((m) => m.name === 'knowledge');
    if (!knowledge) throw new Error('knowledge migration missing');
    const withVector = renderMigration(knowledge, { embedding_column: embeddingColumnSql({ mode: 'pgvector', dimensions: 384 }) });
    expect(withVector).toContain('embedding vector(384),');
    const withArray = renderMigration(knowledge, { embedding_column: embeddingColumnSql({ mode: 'array', dimensions: 8 }) });
    expect(withArray).toContain('embedding real[] constraint knowledge_chunks_embedding_dimensions check');
    expect(withArray).toContain('cardinality(embedding) = 8');
    expect(withArray).not.toContain('{{');
    expect(() => renderMigration(migrationFromText('0001_a.sql', 'select {{nope}}'), {})).toThrow(/unknown placeholder \{\{nope\}\}/);
  });
});

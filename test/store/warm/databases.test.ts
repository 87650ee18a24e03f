// The warm-store cases that need a database, run on every backend: PGlite always, the PostgreSQL server when
// configured. One entry file, so each backend is started once (a PGlite boot costs seconds of CPU) and the
// case modules (*.cases.ts) stay one subject each.
import { afterAll, describe } from 'vitest';
import { testDatabases } from '../helpers/test-databases.ts';
import { migrationCases } from './migrate.cases.ts';
import { schemaCases } from './schema.cases.ts';
import { vectorCases } from './vector.cases.ts';

for (const database of testDatabases()) {
  describe(`warm store on ${database.name}`, () => {
    afterAll(() => database.dispose());
    describe('schema', () => schemaCases(database));
    describe('migrations', () => migrationCases(database));
    describe('vector search', () => vectorCases(database));
  });
}

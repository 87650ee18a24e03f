// The vetted play library end to end on PGlite (and the PostgreSQL server when DATABASE_URL is set):
// promotion only with passed validation and demo, versions, tag queries, retirement, the YAML tree.
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPlay } from '../../src/dsl/index.ts';
import { exportLibrary, HEADER_MARK, promoteToLibrary, VettedLibrary } from '../../src/library/index.ts';
import type { SqlQueryable } from '../../src/store/index.ts';
import { loadEvolutionRecord, saveValidationReport, validateEvolution, type ValidationOptions } from '../../src/validate/index.ts';
import { testDatabases } from '../store/helpers/test-databases.ts';
import { freshStore, persistEvolution } from '../validate/db-helpers.ts';
import { crossPlay, exhaustiveEvolution, HOUR, syntheticMarket, T0 } from '../validate/helpers.ts';

const DAY = 24 * HOUR;
const play = crossPlay();
const train = { from: T0, to: T0 + 150 * DAY };
const holdout = { from: T0 + 150 * DAY, to: T0 + 200 * DAY };
// The cycle market of the validate tests: a real edge, which passes with PBO allowed up to 0.3.
const edgeMarket = syntheticMarket(3, 24 * 200, { cycleBars: 96, cycleAmp: 0.04, vol: 0.003 });
const noiseMarket = syntheticMarket(3, 24 * 200);
const options: ValidationOptions = { partitions: 8, walkForward: { windows: 3, budget: 4 }, monteCarlo: { simulations: 200 }, thresholds: { maxPbo: 0.3 } };

/** Store an evolution on `market`, validate it, store the report; returns ids. */
async function validated(db: SqlQueryable, market: typeof edgeMarket): Promise<{ reportId: string; playId: string; individualId: number; passed: boolean }> {
  const stored = await persistEvolution(db, exhaustiveEvolution(play, market, train, holdout));
  const record = await loadEvolutionRecord(db, stored.id);
  const report = await validateEvolution({ record, play, market }, options);
  const saved = await saveValidationReport(db, record, report);
  return { reportId: saved.id, playId: stored.playId!, individualId: report.individualId, passed: report.gate.passed };
}

async function demoRun(db: SqlQueryable, playId: string, status: 'passed' | 'failed' | 'running', individualId: number | null = null): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into demo_runs (play_id, individual_id, venue, dataset, status, ended_at, metrics, gates)
     values ($1, $2, 'paper', 'bybit:BTCUSDT:1h', $3, $4, $5, $6) returning id`,
    [playId, individualId, status, status === 'running' ? null : new Date(), JSON.stringify({ returnPct: 1.2 }), JSON.stringify({ returnPct: { within: true } })],
  );
  return rows[0].id;
}

for (const database of testDatabases()) {
  describe(`vetted play library on ${database.name}`, () => {
    afterAll(() => database.dispose());

    it('promotes a validated, demo-passed play with tags and evidence, as versions of one name', async () => {
      const store = await freshStore(database);
      const v = await validated(store.sql, edgeMarket);
      expect(v.passed).toBe(true);
      const demo = await demoRun(store.sql, v.playId, 'passed', v.individualId);
      const first = await promoteToLibrary(store.sql, { validationReportId: v.reportId, demoRunId: demo });
      expect(first.name).toBe('btc_validate_ema_cross');
      expect(first.version).toBe(1);
      expect(first.tags).toContain('asset:BTCUSDT');
      expect(first.tags).toContain(`regime:${first.regime}`);
      expect(first.tags.filter((t) => t.startsWith('timeframe:'))).toHaveLength(1);
      expect(first.stats.validationReportId).toBe(v.reportId);
      expect(first.stats.demo?.runId).toBe(demo);
      expect(first.stats.expectedRanges?.horizons.map((h) => h.horizonDays)).toEqual([7, 30]);
      expect(first.stats.dsr!.dsr).toBeGreaterThan(0.95);
      // The stored YAML is the concrete play: it parses and has no ranges left.
      const concrete = loadPlay(first.yaml).play!;
      expect(concrete.features.map((f) => f.params.length)).toEqual(Object.values(first.params));
      const linked = await store.sql.query<{ vetted_play_id: string }>(`select vetted_play_id from demo_runs where id = $1`, [demo]);
      expect(linked.rows[0].vetted_play_id).toBe(first.id);
      const second = await promoteToLibrary(store.sql, { validationReportId: v.reportId, demoRunId: demo });
      expect(second.version).toBe(2);
      const audit = await store.sql.query<{ action: string }>(`select action from audit_log where action = 'play.vetted'`);
      expect(audit.rows).toHaveLength(2);
    });

    it('refuses plays without passed validation or demo evidence', async () => {
      const store = await freshStore(database);
      const good = await validated(store.sql, edgeMarket);
      const bad = await validated(store.sql, noiseMarket);
      expect(bad.passed).toBe(false);
      const passedDemo = await demoRun(store.sql, bad.playId, 'passed');
      await expect(promoteToLibrary(store.sql, { validationReportId: bad.reportId, demoRunId: passedDemo })).rejects.toThrow(/did not pass the gate:\n.*FAIL/);
      await expect(promoteToLibrary(store.sql, { validationReportId: good.reportId, demoRunId: await demoRun(store.sql, good.playId, 'failed') })).rejects.toThrow(/is failed, not passed/);
      await expect(promoteToLibrary(store.sql, { validationReportId: good.reportId, demoRunId: '00000000-0000-4000-8000-000000000009' })).rejects.toThrow(/no demo run/);
      const { rows } = await store.sql.query<{ id: string }>(`insert into plays (name, yaml, content_hash) values ('other', 'x', 'other') returning id`);
      await expect(promoteToLibrary(store.sql, { validationReportId: good.reportId, demoRunId: await demoRun(store.sql, rows[0].id, 'passed') })).rejects.toThrow(/different play/);
      await expect(promoteToLibrary(store.sql, { validationReportId: good.reportId, demoRunId: passedDemo, name: '../escape' })).rejects.toThrow(/library names become file names/);
      expect(await new VettedLibrary(store.sql).list({ includeRetired: true })).toEqual([]);
    });

    it('lists the newest active versions, queries by tags, and retires', async () => {
      const store = await freshStore(database);
      const v = await validated(store.sql, edgeMarket);
      const demo = await demoRun(store.sql, v.playId, 'passed');
      const a1 = await promoteToLibrary(store.sql, { validationReportId: v.reportId, demoRunId: demo, name: 'alpha' });
      const a2 = await promoteToLibrary(store.sql, { validationReportId: v.reportId, demoRunId: demo, name: 'alpha' });
      const b1 = await promoteToLibrary(store.sql, { validationReportId: v.reportId, demoRunId: demo, name: 'beta' });
      const lib = new VettedLibrary(store.sql);
      expect((await lib.list()).map((p) => `${p.name}@${p.version}`)).toEqual(['alpha@2', 'beta@1']);
      expect((await lib.list({ allVersions: true })).map((p) => `${p.name}@${p.version}`)).toEqual(['alpha@2', 'alpha@1', 'beta@1']);
      expect((await lib.list({ tags: ['asset:BTCUSDT', `regime:${a1.regime}`] })).length).toBe(2);
      expect(await lib.list({ tags: ['asset:ETHUSDT'] })).toEqual([]);
      expect((await lib.get('alpha')).version).toBe(2);
      expect((await lib.get('alpha', 1)).id).toBe(a1.id);
      await expect(lib.get('gamma')).rejects.toThrow(/no vetted play 'gamma'/);

      const retired = await lib.retire('alpha', 'demo drifted below its 7-day range', { version: 2 });
      expect(retired.map((p) => p.id)).toEqual([a2.id]);
      expect((await lib.list()).map((p) => `${p.name}@${p.version}`)).toEqual(['alpha@1', 'beta@1']);
      await expect(lib.retire('beta', '  ')).rejects.toThrow(/needs a reason/);
      const all = await lib.retire('alpha', 'strategy decayed');
      expect(all.map((p) => p.version)).toEqual([1]);
      expect((await lib.list()).map((p) => p.name)).toEqual(['beta']);
      const gone = await lib.get('alpha', 2);
      expect(gone.retired).toBe(true);
      expect(gone.retiredReason).toBe('demo drifted below its 7-day range');
      expect(b1.retired).toBe(false);
      const audit = await store.sql.query<{ n: number }>(`select count(*)::int as n from audit_log where action = 'play.retired'`);
      expect(audit.rows[0].n).toBe(2);
    });

    it('exports the YAML tree with stats headers and removes retired exports', async () => {
      const store = await freshStore(database);
      const v = await validated(store.sql, edgeMarket);
      const demo = await demoRun(store.sql, v.playId, 'passed');
      const lib = new VettedLibrary(store.sql);
      const a = await promoteToLibrary(store.sql, { validationReportId: v.reportId, demoRunId: demo, name: 'btc_cycle' });
      const b = await promoteToLibrary(store.sql, { validationReportId: v.reportId, demoRunId: demo, name: 'btc_cycle_b' });
      const dir = await mkdtemp(path.join(tmpdir(), 'pf-vetted-'));
      await writeFile(path.join(dir, 'notes.yml'), 'mine: true\n'); // not ours: never touched
      const first = await exportLibrary(await lib.list(), dir);
      const file = path.join(dir, a.regime, 'btc_cycle_v1.yml');
      expect(first.written).toContain(file);
      const text = await readFile(file, 'utf8');
      expect(text.startsWith(`${HEADER_MARK}: btc_cycle v1`)).toBe(true);
      expect(text).toMatch(/^# tags: regime:/m);
      expect(text).toMatch(/^# holdout: return -?\d+\.\d\d %, Sharpe /m);
      expect(text).toMatch(/^# deflated Sharpe ratio 0?\.?\d/m);
      expect(text).toMatch(/^# probability of backtest overfitting /m);
      expect(text).toMatch(/^# expected 7d: return .* trades\/week/m);
      expect(text).toMatch(/^# expected 30d: /m);
      expect(text).toMatch(/^# demo: passed on paper/m);
      // The file is a play: the header is comments, the body the concrete play.
      const parsed = loadPlay(text, file);
      expect(parsed.errors).toEqual([]);
      expect(parsed.play!.name).toBe('validate_ema_cross');

      await lib.retire('btc_cycle_b', 'replaced');
      const second = await exportLibrary(await lib.list(), dir);
      expect(second.removed).toEqual([path.join(dir, b.regime, 'btc_cycle_b_v1.yml')]);
      expect((await readdir(dir)).sort()).toContain('notes.yml');
    });
  });
}

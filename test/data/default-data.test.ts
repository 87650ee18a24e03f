import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { CandleStore, ensureDefaultData, EXAMPLES_DATA_DIR, importFile } from '../../src/data/index.ts';
import { readManifest } from '../../src/data/default-data.ts';
import { cleanup, tempDir } from './support/helpers.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach(cleanup));

describe('bundled examples/data', () => {
  const manifest = readManifest();

  it('ships BTC, ETH and SOL candles and the three funding files', () => {
    expect(manifest.filter((e) => e.kind === 'funding').map((e) => e.dataset)).toEqual(['bybit:BTCUSDT', 'bybit:ETHUSDT', 'bybit:SOLUSDT']);
    expect(manifest.filter((e) => e.dataset.startsWith('bybit:BTCUSDT:')).map((e) => e.dataset)).toEqual(
      ['5m', '15m', '1h', '4h', 'D'].map((i) => `bybit:BTCUSDT:${i}`),
    );
  });

  it('every file imports with zero issues, and importing them all twice leaves row counts unchanged', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const store = await CandleStore.open(dir);
    try {
      for (const e of manifest) {
        const r = await importFile(store, path.join(EXAMPLES_DATA_DIR, e.file));
        expect(r.report.issues, e.file).toEqual([]);
        expect(r.report.rowsRead, e.file).toBe(e.rows);
        expect(r.merge.inserted, e.file).toBe(e.rows);
      }
      const counts = async () => [...(await store.datasetStats()), ...(await store.listFunding())].map((d) => [d.id, d.rows]);
      const before = await counts();
      for (const e of manifest) {
        const r = await importFile(store, path.join(EXAMPLES_DATA_DIR, e.file));
        expect(r.merge, e.file).toMatchObject({ inserted: 0, updated: 0, unchanged: e.rows });
      }
      expect(await counts()).toEqual(before);
      for (const e of manifest.filter((m) => m.kind === 'bars')) {
        expect(before).toContainEqual([e.dataset, e.rows]);
      }
      const listed = await store.listDatasets();
      expect(listed.every((d) => d.gaps.count === 0)).toBe(true);
    } finally {
      store.close();
    }
  });

  it('ensureDefaultData imports what is missing, then is a quick no-op', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const first = await ensureDefaultData(dir);
    expect(first.imported.length).toBe(manifest.length);
    const second = await ensureDefaultData(dir);
    expect(second).toEqual({ imported: [], present: manifest.map((e) => e.file) });
    const store = await CandleStore.open(dir);
    try {
      expect((await store.loadCandles('bybit:SOLUSDT:1h')).length).toBe(18805);
    } finally {
      store.close();
    }
  });
});

import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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

  it('every file imports with zero issues; importing them all twice leaves row counts unchanged', async () => {
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
      for (const e of manifest) {
        expect(before).toContainEqual([e.kind === 'bars' ? e.dataset : `${e.dataset}:funding`, e.rows]);
      }
      expect((await store.listDatasets()).every((d) => d.gaps.count === 0)).toBe(true);
      // With everything present, ensureDefaultData imports nothing.
      expect(await ensureDefaultData(store)).toEqual({ imported: [], present: manifest.map((e) => e.file) });
    } finally {
      store.close();
    }
  });

  it('ensureDefaultData(dataDir) imports what is missing, then is a no-op', async () => {
    // A small examples folder of the same layout keeps this test quick.
    const src = tempDir();
    const dir = tempDir();
    dirs.push(src, dir);
    const subset = manifest.filter((e) => e.file === 'BYBIT_SOLUSDT_1d.csv' || e.file === 'BYBIT_SOLUSDT_funding.csv');
    for (const e of subset) copyFileSync(path.join(EXAMPLES_DATA_DIR, e.file), path.join(src, e.file));
    writeFileSync(path.join(src, 'MANIFEST.json'), JSON.stringify({ files: subset }));
    expect(await ensureDefaultData(dir, { dir: src })).toEqual({ imported: subset.map((e) => e.file), present: [] });
    expect(await ensureDefaultData(dir, { dir: src })).toEqual({ imported: [], present: subset.map((e) => e.file) });
    const store = await CandleStore.open(dir);
    try {
      expect((await store.loadCandles('bybit:SOLUSDT:D')).length).toBe(749);
      expect((await store.loadFunding('bybit', 'SOLUSDT')).length).toBe(2349);
    } finally {
      store.close();
    }
  });
});

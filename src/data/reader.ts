// Reads a candle or funding file of either format into a SourceTable.
import { open } from 'node:fs/promises';
import { PlayforgeError } from '../common/errors.ts';
import type { SourceKind } from './columns.ts';
import { readCsvFile } from './csv-reader.ts';
import { readParquetFile } from './parquet-reader.ts';
import type { SourceTable } from './source.ts';

async function startsWithParquetMagic(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(4);
    const { bytesRead } = await fh.read(buf, 0, 4, 0);
    return bytesRead === 4 && buf.toString('latin1') === 'PAR1';
  } finally {
    await fh.close();
  }
}

export async function readSourceFile(file: string, kind: SourceKind | 'auto' = 'auto'): Promise<SourceTable> {
  try {
    if (/\.(parquet|pq)$/i.test(file) || (await startsWithParquetMagic(file))) return await readParquetFile(file, kind);
    return await readCsvFile(file, kind);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new PlayforgeError('DATA_FILE_NOT_FOUND', `${file}: no such file`, { file });
    }
    throw e;
  }
}

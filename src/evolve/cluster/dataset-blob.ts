// MarketData <-> bytes for Redis: every Float64 column laid end to end in one buffer (candles column after
// column, the layout allocateCandles uses), described by a small JSON meta. The worker rebuilds each part in
// its own SharedArrayBuffer, so the rebuilt data is shaped exactly like what a local run evaluates.
import os from 'node:os';
import { CANDLE_COLUMNS, candlesFromBuffer, type Candles, type DatasetRef, type Interval } from '../../data/index.ts';
import type { MarketData } from '../../engine/index.ts';

export const BLOB_FORMAT = 1;

export interface BlobSection {
  /** `exec`, `funding`, `sub` or `tf:<interval>`. */
  name: string;
  kind: 'candles' | 'series';
  /** Bars (candles) or values (series). */
  length: number;
  byteOffset: number;
  byteLength: number;
}

export interface DatasetMeta {
  format: number;
  /** Byte order of the columns: Float64Array is platform-endian. */
  endianness: 'LE' | 'BE';
  hash: string;
  dataset: DatasetRef;
  execInterval: Interval;
  subInterval?: Interval;
  sections: BlobSection[];
  totalBytes: number;
}

function candleBytes(c: Candles): number {
  return c.length * 8 * CANDLE_COLUMNS.length;
}

/** The sections of `data` in a fixed order, so equal data packs to equal bytes. */
function sectionsOf(data: MarketData): Array<{ name: string; candles?: Candles; series?: Float64Array }> {
  const parts: Array<{ name: string; candles?: Candles; series?: Float64Array }> = [{ name: 'exec', candles: data.exec }];
  if (data.funding) parts.push({ name: 'funding', series: data.funding });
  if (data.subCandles) parts.push({ name: 'sub', candles: data.subCandles });
  const tfs = Object.keys(data.candlesByInterval ?? {}).sort() as Interval[];
  for (const tf of tfs) {
    const c = data.candlesByInterval?.[tf];
    if (c) parts.push({ name: `tf:${tf}`, candles: c });
  }
  return parts;
}

export function packMarketData(data: MarketData, hash: string): { meta: DatasetMeta; bytes: Buffer } {
  const parts = sectionsOf(data);
  const sections: BlobSection[] = [];
  let offset = 0;
  for (const p of parts) {
    const byteLength = p.candles ? candleBytes(p.candles) : (p.series as Float64Array).byteLength;
    const length = p.candles ? p.candles.length : (p.series as Float64Array).length;
    sections.push({ name: p.name, kind: p.candles ? 'candles' : 'series', length, byteOffset: offset, byteLength });
    offset += byteLength;
  }
  const bytes = Buffer.alloc(offset);
  const view = new Float64Array(bytes.buffer, bytes.byteOffset, offset / 8);
  parts.forEach((p, i) => {
    const at = sections[i].byteOffset / 8;
    if (p.candles) {
      const n = p.candles.length;
      CANDLE_COLUMNS.forEach((col, k) => view.set((p.candles as Candles)[col], at + k * n));
    } else {
      view.set(p.series as Float64Array, at);
    }
  });
  const meta: DatasetMeta = {
    format: BLOB_FORMAT,
    endianness: os.endianness(),
    hash,
    dataset: { ...data.dataset },
    execInterval: data.execInterval,
    ...(data.subInterval ? { subInterval: data.subInterval } : {}),
    sections,
    totalBytes: offset,
  };
  return { meta, bytes };
}

function sharedCopy(bytes: Buffer, s: BlobSection): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(s.byteLength);
  new Uint8Array(sab).set(bytes.subarray(s.byteOffset, s.byteOffset + s.byteLength));
  return sab;
}

/** Rebuilds the MarketData that was packed; throws a RangeError when the bytes do not match the meta. */
export function unpackMarketData(meta: DatasetMeta, bytes: Buffer): MarketData {
  if (meta.format !== BLOB_FORMAT) throw new RangeError(`dataset blob format ${meta.format}, this worker reads format ${BLOB_FORMAT}`);
  if (meta.endianness !== os.endianness()) throw new RangeError(`dataset packed on a ${meta.endianness} machine, this one is ${os.endianness()}`);
  if (bytes.length !== meta.totalBytes) throw new RangeError(`dataset blob has ${bytes.length} bytes, its meta says ${meta.totalBytes}`);
  const data: MarketData = { exec: undefined as unknown as Candles, execInterval: meta.execInterval, dataset: { ...meta.dataset } };
  for (const s of meta.sections) {
    const sab = sharedCopy(bytes, s);
    if (s.kind === 'series') {
      if (s.name !== 'funding') throw new RangeError(`unknown dataset series "${s.name}"`);
      data.funding = new Float64Array(sab);
      continue;
    }
    const candles = candlesFromBuffer(sab);
    if (candles.length !== s.length) throw new RangeError(`dataset section ${s.name}: ${candles.length} bars, meta says ${s.length}`);
    if (s.name === 'exec') data.exec = candles;
    else if (s.name === 'sub') data.subCandles = candles;
    else if (s.name.startsWith('tf:')) (data.candlesByInterval ??= {})[s.name.slice(3) as Interval] = candles;
    else throw new RangeError(`unknown dataset section "${s.name}"`);
  }
  if (!data.exec) throw new RangeError('dataset blob has no exec candles');
  if (meta.subInterval) data.subInterval = meta.subInterval;
  return data;
}

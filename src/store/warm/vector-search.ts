// Embedding parameters and nearest-neighbour search over knowledge_chunks, for either storage mode. Both modes
// rank by cosine distance (1 - cosine similarity), exactly: pgvector's <=> without an approximate index, or the
// same formula spelled out in SQL over real[] where pgvector is missing.
import { PlayforgeError } from '../../common/errors.ts';
import { STORE_VECTOR } from '../errors.ts';
import type { SqlQueryable } from './sql-client.ts';
import type { VectorCapability } from './vector-capability.ts';

export interface Vectors extends VectorCapability {
  /** The bound value for an embedding parameter; throws STORE_VECTOR for a wrong length or a non-finite value. */
  encode(embedding: ArrayLike<number>): unknown;
  /** A placeholder with its cast, e.g. `$3::vector` or `$3::real[]`. */
  param(index: number): string;
  /**
   * A stored embedding as read from a row (text for pgvector, number[] for real[]). Both store float32 and
   * print its shortest decimal, so values are rounded back to float32: decode(encode(x)) == x.map(Math.fround).
   */
  decode(value: unknown): number[] | null;
  /** SQL for the cosine distance between an embedding column and an (already cast) parameter. */
  distanceSql(column: string, param: string): string;
}

function toFiniteArray(embedding: ArrayLike<number>, dimensions: number): number[] {
  if (embedding.length !== dimensions) {
    throw new PlayforgeError(STORE_VECTOR, `embedding has ${embedding.length} dimensions; this store holds ${dimensions}`);
  }
  const values = Array.from(embedding);
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new PlayforgeError(STORE_VECTOR, `embedding value at index ${bad} is ${values[bad]}; embeddings must be finite`);
  return values;
}

// Exact cosine distance over two real[] of equal length, in double precision. NULL for a zero vector, which
// has no direction (pgvector returns NaN there); searches leave such chunks out in both modes.
function arrayCosineDistanceSql(column: string, param: string): string {
  return `(select 1 - sum(e.a::float8 * e.b::float8) / nullif(sqrt(sum(e.a::float8 * e.a::float8)) * sqrt(sum(e.b::float8 * e.b::float8)), 0)` +
    ` from unnest(${column}, ${param}) as e(a, b))`;
}

export function createVectors(capability: VectorCapability): Vectors {
  const { mode, dimensions } = capability;
  if (mode === 'pgvector') {
    return {
      mode,
      dimensions,
      // pgvector's text form is the JSON array form.
      encode: (embedding) => JSON.stringify(toFiniteArray(embedding, dimensions)),
      param: (index) => `$${index}::vector`,
      decode: (value) => (value === null || value === undefined ? null : (JSON.parse(String(value)) as number[]).map(Math.fround)),
      distanceSql: (column, param) => `(${column} <=> ${param})`,
    };
  }
  return {
    mode,
    dimensions,
    encode: (embedding) => toFiniteArray(embedding, dimensions),
    param: (index) => `$${index}::real[]`,
    decode: (value) => (value === null || value === undefined ? null : (value as number[]).map((v) => Math.fround(Number(v)))),
    distanceSql: arrayCosineDistanceSql,
  };
}

export interface ChunkMatch {
  chunkId: number;
  docId: string;
  position: number;
  text: string;
  /** Cosine distance in [0, 2]: 0 = same direction. */
  distance: number;
}

export interface VectorSearchOptions {
  /** Only chunks of these documents. */
  docIds?: readonly string[];
}

/** The k chunks nearest to `query` by cosine distance, nearest first (ties by chunk id, so results are stable). */
export async function vectorSearch(
  db: SqlQueryable,
  vectors: Vectors,
  query: ArrayLike<number>,
  k: number,
  options: VectorSearchOptions = {},
): Promise<ChunkMatch[]> {
  if (!Number.isInteger(k) || k < 1) throw new PlayforgeError(STORE_VECTOR, `k must be a positive integer, got ${k}`);
  const encoded = vectors.encode(query);
  if (Array.from(query).every((v) => v === 0)) {
    throw new PlayforgeError(STORE_VECTOR, 'the query embedding is all zeros: cosine distance is undefined for it');
  }
  const params: unknown[] = [encoded, k];
  let filter = '';
  if (options.docIds !== undefined) {
    params.push([...options.docIds]);
    filter = ` and c.doc_id = any($3::uuid[])`;
  }
  const distance = vectors.distanceSql('c.embedding', vectors.param(1));
  const { rows } = await db.query<{ id: number; doc_id: string; position: number; text: string; distance: number }>(
    `select s.id, s.doc_id, s.position, s.text, s.distance
       from (select c.id, c.doc_id, c.position, c.text, ${distance} as distance
               from knowledge_chunks c
              where c.embedding is not null${filter}) s
      where s.distance is not null and s.distance <> 'NaN'::float8
      order by s.distance asc, s.id asc
      limit $2`,
    params,
  );
  return rows.map((r) => ({ chunkId: r.id, docId: r.doc_id, position: r.position, text: r.text, distance: Number(r.distance) }));
}

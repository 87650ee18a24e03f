// How this database stores embeddings, decided once (on first migration) and recorded in store_capabilities:
// `pgvector` (a vector(n) column, searched with <=>) when the extension can be created, else `array`
// (real[], searched with an exact cosine expression in SQL). PGlite ships pgvector; Debian's PostgreSQL
// server usually does not.
import { PlayforgeError } from '../../common/errors.ts';
import { STORE_VECTOR } from '../errors.ts';
import type { SqlQueryable } from './sql-client.ts';

export type VectorMode = 'pgvector' | 'array';
/** `auto` uses pgvector when available; the other two force a mode (tests, or a server whose pgvector is broken). */
export type VectorPreference = 'auto' | VectorMode;

export interface VectorCapability {
  mode: VectorMode;
  dimensions: number;
}

export const DEFAULT_EMBEDDING_DIMENSIONS = 384;
const MAX_DIMENSIONS = 16_000; // pgvector's limit for the vector type

export interface VectorRequest {
  preference: VectorPreference;
  /** Only used when the store is created; a later open that names a different value is refused. */
  dimensions?: number;
}

function checkDimensions(dimensions: number): void {
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > MAX_DIMENSIONS) {
    throw new PlayforgeError(STORE_VECTOR, `embedding dimensions must be an integer in 1..${MAX_DIMENSIONS}, got ${dimensions}`);
  }
}

async function readRecorded(tx: SqlQueryable): Promise<VectorCapability | undefined> {
  const { rows } = await tx.query<{ value: VectorCapability }>(`select value from store_capabilities where key = 'vector'`);
  return rows[0]?.value;
}

async function vectorTypeVisible(tx: SqlQueryable): Promise<boolean> {
  const { rows } = await tx.query<{ ok: boolean }>(`select to_regtype('vector') is not null as ok`);
  return rows[0]?.ok === true;
}

async function pgvectorAvailable(tx: SqlQueryable): Promise<boolean> {
  const { rows } = await tx.query<{ ok: boolean }>(`select exists (select 1 from pg_available_extensions where name = 'vector') as ok`);
  return rows[0]?.ok === true;
}

/** Create the extension inside a savepoint, so a refusal (no privilege) leaves the migration usable. */
async function tryCreateExtension(tx: SqlQueryable): Promise<string | undefined> {
  try {
    await tx.transaction((sp) => sp.exec('create extension if not exists vector with schema public'));
  } catch (e) {
    return (e as Error).message;
  }
  return (await vectorTypeVisible(tx)) ? undefined : 'the vector extension exists in a schema outside search_path';
}

export interface ResolvedVectorCapability {
  capability: VectorCapability;
  /** Set when pgvector was wanted (`auto`) but could not be used, on the open that made the choice. */
  fallbackReason?: string;
}

/** Called inside the migration transaction, after store_capabilities exists. */
export async function resolveVectorCapability(tx: SqlQueryable, request: VectorRequest): Promise<ResolvedVectorCapability> {
  if (request.dimensions !== undefined) checkDimensions(request.dimensions);
  const recorded = await readRecorded(tx);
  if (recorded) {
    if (request.preference !== 'auto' && request.preference !== recorded.mode) {
      throw new PlayforgeError(STORE_VECTOR, `this database stores embeddings as ${recorded.mode}, chosen when it was created; it cannot switch to ${request.preference}`);
    }
    if (request.dimensions !== undefined && request.dimensions !== recorded.dimensions) {
      throw new PlayforgeError(STORE_VECTOR, `this database stores ${recorded.dimensions}-dimensional embeddings; it cannot take ${request.dimensions}`);
    }
    if (recorded.mode === 'pgvector' && !(await vectorTypeVisible(tx))) {
      throw new PlayforgeError(STORE_VECTOR, 'this database was created with pgvector, but the vector type is no longer available (extension dropped, or search_path changed)');
    }
    return { capability: recorded };
  }

  const dimensions = request.dimensions ?? DEFAULT_EMBEDDING_DIMENSIONS;
  let mode: VectorMode = 'array';
  let fallbackReason: string | undefined;
  if (request.preference !== 'array') {
    const reason = (await pgvectorAvailable(tx)) ? await tryCreateExtension(tx) : 'the server does not have the pgvector extension installed';
    if (reason === undefined) mode = 'pgvector';
    else if (request.preference === 'pgvector') throw new PlayforgeError(STORE_VECTOR, `pgvector was required but cannot be used: ${reason}`);
    else fallbackReason = reason;
  }
  const capability: VectorCapability = { mode, dimensions };
  await tx.query(`insert into store_capabilities (key, value) values ('vector', $1)`, [JSON.stringify(capability)]);
  return { capability, fallbackReason };
}

/** The SQL type of the embedding column for a capability (fills {{embedding_column}} in the migrations). */
export function embeddingColumnSql({ mode, dimensions }: VectorCapability): string {
  if (mode === 'pgvector') return `vector(${dimensions})`;
  // real[] has no dimension of its own: the check gives it the same guarantee vector(n) gives.
  return `real[] constraint knowledge_chunks_embedding_dimensions check (embedding is null or (array_ndims(embedding) = 1 and cardinality(embedding) = ${dimensions} and array_position(embedding, null) is null))`;
}

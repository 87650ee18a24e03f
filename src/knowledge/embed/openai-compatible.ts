// Embeddings from any OpenAI-compatible `/v1/embeddings` endpoint (OpenAI, Ollama, llama.cpp server, vLLM)
// through the openai SDK. Retries are ours (the SDK's are off): 429, 408 and 5xx answers and dropped
// connections are retried, waiting what Retry-After asks (capped) or a doubling backoff. The answer is
// checked before anything is returned (one finite vector per input, all of one length), so a garbled
// response fails loudly and the caller stores nothing. The API key is sent, never logged or put in an error.
import OpenAI from 'openai';
import { PlayforgeError } from '../../common/errors.ts';
import { KNOWLEDGE_EMBEDDER_CONFIG, KNOWLEDGE_EMBEDDINGS_HTTP, KNOWLEDGE_EMBEDDINGS_RESPONSE } from '../errors.ts';
import type { Embedder } from './embedder.ts';

export interface OpenAICompatibleOptions {
  /** Base URL, e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1 (a bare host gets /v1). */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Ask the endpoint for vectors of this length (models that support it), and check every answer against it. */
  dimensions?: number;
  /** Inputs per request (default 64); a request also stops at ~200k characters. */
  batchSize?: number;
  /** Retries after the first attempt (default 4). */
  maxRetries?: number;
  /** Per request (default 60 s). */
  timeoutMs?: number;
  /** Cap on one wait between attempts, whatever Retry-After says (default 30 s). */
  maxRetryDelayMs?: number;
  /** Tests replace the wait. */
  sleep?: (ms: number) => Promise<void>;
  /** Told before each retry (the CLI prints it on stderr). */
  onRetry?: (info: { attempt: number; reason: string; delayMs: number }) => void;
}

const MAX_BATCH_CHARS = 200_000;

/** `http://host:port` → `http://host:port/v1`; a trailing `/embeddings` or slash is dropped. */
export function normalizeBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new PlayforgeError(KNOWLEDGE_EMBEDDER_CONFIG, `embeddings URL "${raw}" is not a URL; give the endpoint's base, e.g. http://127.0.0.1:11434/v1`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PlayforgeError(KNOWLEDGE_EMBEDDER_CONFIG, `embeddings URL must be http(s), got ${url.protocol}`);
  }
  let pathname = url.pathname.replace(/\/+$/, '').replace(/\/embeddings$/, '');
  if (pathname === '') pathname = '/v1';
  url.pathname = pathname;
  url.search = '';
  url.hash = '';
  // Never keep credentials from the URL in a value that is shown.
  url.username = '';
  url.password = '';
  return url.toString().replace(/\/+$/, '');
}

function retryAfterMs(headers: Headers | undefined, now: number): number | undefined {
  const ms = Number(headers?.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers?.get('retry-after');
  if (raw === null || raw === undefined) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function statusHint(status: number): string {
  if (status === 401 || status === 403) return ' (check PLAYFORGE_EMBEDDINGS_API_KEY)';
  if (status === 404) return ' (check the URL, which should end in /v1, and the model name)';
  if (status === 429) return ' (rate limited)';
  return '';
}

function decodeBase64Floats(s: string): number[] {
  const bytes = Buffer.from(s, 'base64');
  if (bytes.length % 4 !== 0) return [NaN];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.length / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

export class OpenAICompatibleEmbedder implements Embedder {
  readonly name: string;
  readonly baseUrl: string;
  readonly model: string;
  private dims: number;
  private readonly requestDimensions: number | undefined;
  private readonly client: OpenAI;
  private readonly apiKey: string | undefined;
  private readonly batchSize: number;
  private readonly maxRetries: number;
  private readonly maxRetryDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly onRetry: OpenAICompatibleOptions['onRetry'];

  constructor(options: OpenAICompatibleOptions) {
    if (!options.model || !options.model.trim()) {
      throw new PlayforgeError(KNOWLEDGE_EMBEDDER_CONFIG, 'an embeddings endpoint needs a model name (--embeddings-model or PLAYFORGE_EMBEDDINGS_MODEL)');
    }
    if (options.dimensions !== undefined && (!Number.isInteger(options.dimensions) || options.dimensions < 1 || options.dimensions > 16_000)) {
      throw new PlayforgeError(KNOWLEDGE_EMBEDDER_CONFIG, `embedding dimensions must be an integer in 1..16000, got ${options.dimensions}`);
    }
    this.baseUrl = normalizeBaseUrl(options.baseUrl);
    this.model = options.model.trim();
    this.requestDimensions = options.dimensions;
    this.dims = options.dimensions ?? 0;
    // The vector space is the model's (at a requested length): not the server's address, which may change.
    this.name = `openai-compatible:${this.model}${options.dimensions !== undefined ? `:d${options.dimensions}` : ''}`;
    this.apiKey = options.apiKey || undefined;
    this.batchSize = Math.max(1, Math.floor(options.batchSize ?? 64));
    this.maxRetries = Math.max(0, Math.floor(options.maxRetries ?? 4));
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.onRetry = options.onRetry;
    this.client = new OpenAI({
      baseURL: this.baseUrl,
      // Servers without auth (Ollama, llama.cpp) ignore the header; the SDK insists on a value.
      apiKey: this.apiKey ?? 'none',
      organization: null,
      project: null,
      timeout: options.timeoutMs ?? 60_000,
      maxRetries: 0,
      logLevel: 'off',
    });
  }

  get dimensions(): number {
    return this.dims;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    let batch: string[] = [];
    let chars = 0;
    for (const text of texts) {
      // Endpoints reject empty inputs; a space embeds as "nothing".
      const input = text.length > 0 ? text : ' ';
      if (batch.length > 0 && (batch.length >= this.batchSize || chars + input.length > MAX_BATCH_CHARS)) {
        out.push(...(await this.embedBatch(batch)));
        batch = [];
        chars = 0;
      }
      batch.push(input);
      chars += input.length;
    }
    if (batch.length > 0) out.push(...(await this.embedBatch(batch)));
    return out;
  }

  private redact(message: string): string {
    return this.apiKey ? message.split(this.apiKey).join('***') : message;
  }

  private async embedBatch(inputs: string[]): Promise<Float32Array[]> {
    for (let attempt = 0; ; attempt++) {
      let body: unknown;
      try {
        body = await this.client.embeddings.create({
          model: this.model,
          input: inputs,
          encoding_format: 'float',
          ...(this.requestDimensions !== undefined ? { dimensions: this.requestDimensions } : {}),
        });
      } catch (e) {
        const failure = this.describeFailure(e);
        if (!failure.retryable || attempt >= this.maxRetries) {
          const tries = attempt + 1;
          throw new PlayforgeError(
            failure.code,
            `embeddings request to ${this.baseUrl}/embeddings failed${tries > 1 ? ` after ${tries} attempts` : ''}: ${failure.reason}`,
            { path: `model ${this.model}` },
          );
        }
        const delayMs = Math.min(this.maxRetryDelayMs, failure.delayMs ?? 500 * 2 ** attempt);
        this.onRetry?.({ attempt: attempt + 1, reason: failure.reason, delayMs });
        await this.sleep(delayMs);
        continue;
      }
      return this.checkResponse(body, inputs.length);
    }
  }

  private describeFailure(e: unknown): { retryable: boolean; reason: string; delayMs?: number; code: string } {
    if (e instanceof OpenAI.APIConnectionTimeoutError) return { retryable: true, reason: 'timed out', code: KNOWLEDGE_EMBEDDINGS_HTTP };
    if (e instanceof OpenAI.APIConnectionError) {
      const cause = (e as { cause?: { message?: string } }).cause?.message;
      return { retryable: true, reason: this.redact(`connection failed${cause ? `: ${cause}` : ''}`), code: KNOWLEDGE_EMBEDDINGS_HTTP };
    }
    if (e instanceof OpenAI.APIError && typeof e.status === 'number') {
      const detail = this.redact(String(e.message ?? '')).slice(0, 300);
      return {
        retryable: isRetryableStatus(e.status),
        reason: `HTTP ${e.status}${statusHint(e.status)}${detail ? `: ${detail}` : ''}`,
        delayMs: retryAfterMs(e.headers as Headers | undefined, Date.now()),
        code: KNOWLEDGE_EMBEDDINGS_HTTP,
      };
    }
    if (e instanceof SyntaxError) {
      return { retryable: false, reason: `the response is not valid JSON (${this.redact(e.message).slice(0, 200)})`, code: KNOWLEDGE_EMBEDDINGS_RESPONSE };
    }
    return { retryable: false, reason: this.redact((e as Error)?.message ?? String(e)), code: KNOWLEDGE_EMBEDDINGS_HTTP };
  }

  private bad(reason: string): PlayforgeError {
    return new PlayforgeError(KNOWLEDGE_EMBEDDINGS_RESPONSE, `embeddings endpoint ${this.baseUrl} returned an unusable answer: ${reason}`, {
      path: `model ${this.model}`,
    });
  }

  /** One finite vector per input, ordered by `index`, all of this embedder's length. */
  private checkResponse(body: unknown, expected: number): Float32Array[] {
    const data = (body as { data?: unknown } | null | undefined)?.data;
    if (typeof body !== 'object' || body === null || !Array.isArray(data)) {
      throw this.bad(typeof body === 'string' ? `expected a JSON object with "data", got text "${body.slice(0, 80)}"` : 'no "data" array');
    }
    if (data.length !== expected) throw this.bad(`${data.length} embeddings for ${expected} inputs`);
    const slots = new Array<Float32Array | undefined>(expected);
    data.forEach((item: unknown, i) => {
      const entry = item as { embedding?: unknown; index?: unknown };
      const index = entry?.index === undefined ? i : entry.index;
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= expected || slots[index]) {
        throw this.bad(`item ${i} has index ${JSON.stringify(index)}`);
      }
      const raw = typeof entry.embedding === 'string' ? decodeBase64Floats(entry.embedding) : entry.embedding;
      if (!Array.isArray(raw) || raw.length === 0) throw this.bad(`item ${i} has no embedding array`);
      const vector = Float32Array.from(raw as number[]);
      if (vector.some((v, j) => typeof raw[j] !== 'number' || !Number.isFinite(v))) throw this.bad(`item ${i} has a non-numeric or non-finite value`);
      if (this.dims === 0) this.dims = vector.length;
      else if (vector.length !== this.dims) throw this.bad(`item ${i} has ${vector.length} dimensions, expected ${this.dims}`);
      slots[index] = vector;
    });
    return slots as Float32Array[];
  }
}

// Provider-neutral request failures and the retry policy: 429 and 5xx are retried after the server's
// Retry-After (or a short exponential backoff), a timeout fails at once with a clear error, and nothing
// ever includes the API key (SDK messages may echo headers, so only status and body text are kept).
import { PlayforgeError } from '../../common/errors.ts';

export type FailureKind = 'timeout' | 'rate_limited' | 'server' | 'connection' | 'auth' | 'rejected' | 'unsupported_format';

export interface LlmFailure {
  kind: FailureKind;
  status?: number;
  /** From Retry-After / retry-after-ms, when the server sent one. */
  retryAfterMs?: number;
  detail: string;
}

export function parseRetryAfter(headers: { get(name: string): string | null } | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const raw = headers.get('retry-after');
  if (raw === null || raw.trim() === '') return undefined;
  if (Number.isFinite(Number(raw))) return Math.max(0, Number(raw) * 1000);
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

interface SdkErrorLike {
  name?: string;
  status?: number;
  headers?: { get(name: string): string | null };
  error?: unknown;
  message?: string;
}

/** Maps an SDK error (openai or @anthropic-ai/sdk: both use the same error class names) to a failure. */
export function classifySdkError(e: unknown): LlmFailure {
  const err = (e ?? {}) as SdkErrorLike;
  const name = err.name ?? (e as object)?.constructor?.name ?? '';
  const body = typeof err.error === 'object' && err.error !== null ? JSON.stringify(err.error).slice(0, 500) : String(err.message ?? e).slice(0, 500);
  const status = err.status;
  if (name === 'APIConnectionTimeoutError' || (status === undefined && /timed? ?out/i.test(String(err.message ?? '')))) return { kind: 'timeout', detail: 'the request timed out' };
  if (name === 'APIConnectionError' || status === undefined) return { kind: 'connection', detail: name === 'APIConnectionError' ? 'could not connect' : body };
  if (status === 429) return { kind: 'rate_limited', status, retryAfterMs: parseRetryAfter(err.headers), detail: body };
  if (status === 401 || status === 403) return { kind: 'auth', status, detail: 'the server refused the credentials (check the API key variable)' };
  if (status >= 500) return { kind: 'server', status, retryAfterMs: parseRetryAfter(err.headers), detail: body };
  if (status === 400 && /response_format|json_schema|json_object|not supported|unsupported/i.test(body)) return { kind: 'unsupported_format', status, detail: body };
  return { kind: 'rejected', status, detail: body };
}

export interface RetryOptions {
  maxRetries: number;
  maxRetryDelayMs: number;
  timeoutMs: number;
  provider: string;
  sleep?: (ms: number) => Promise<void>;
  onRetry?: (info: { attempt: number; delayMs: number; failure: LlmFailure }) => void;
  /** Errors the caller handles itself (rethrown as they are). */
  passThrough?: (e: unknown) => boolean;
  /** The API key: blanked out of any server text that makes it into an error message. */
  secret?: string;
}

export function redact(text: string, secret: string | undefined): string {
  return secret && secret.length >= 4 ? text.split(secret).join('***') : text;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function failureError(f: LlmFailure, opts: Pick<RetryOptions, 'provider' | 'timeoutMs'>, attempts: number): PlayforgeError {
  const where = { path: opts.provider };
  switch (f.kind) {
    case 'timeout':
      return new PlayforgeError('LLM_TIMEOUT', `${opts.provider}: no answer within ${opts.timeoutMs} ms (raise --timeout-ms or use a faster model)`, where);
    case 'rate_limited':
      return new PlayforgeError('LLM_RATE_LIMITED', `${opts.provider}: still rate limited (HTTP 429) after ${attempts} attempts${f.retryAfterMs !== undefined ? `; the server asks to wait ${Math.ceil(f.retryAfterMs / 1000)} s` : ''}`, where);
    case 'auth':
      return new PlayforgeError('LLM_AUTH', `${opts.provider}: HTTP ${f.status}: ${f.detail}`, where);
    case 'connection':
      return new PlayforgeError('LLM_UNREACHABLE', `${opts.provider}: ${f.detail} (is the server running and the base URL right?)`, where);
    case 'server':
      return new PlayforgeError('LLM_SERVER_ERROR', `${opts.provider}: HTTP ${f.status} after ${attempts} attempts: ${f.detail}`, where);
    default:
      return new PlayforgeError('LLM_REQUEST_REJECTED', `${opts.provider}: HTTP ${f.status ?? '?'}: ${f.detail}`, where);
  }
}

/** Runs `fn`; retries rate limits, server errors and dropped connections; throws a PlayforgeError otherwise. */
export async function withRetry<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  const sleep = opts.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof PlayforgeError || opts.passThrough?.(e)) throw e;
      const raw = classifySdkError(e);
      const f = { ...raw, detail: redact(raw.detail, opts.secret) };
      const retryable = f.kind === 'rate_limited' || f.kind === 'server' || f.kind === 'connection';
      if (!retryable || attempt > opts.maxRetries) throw failureError(f, opts, attempt);
      const delayMs = f.retryAfterMs ?? Math.min(8_000, 500 * 2 ** (attempt - 1));
      if (delayMs > opts.maxRetryDelayMs) throw failureError(f, opts, attempt);
      opts.onRetry?.({ attempt, delayMs, failure: f });
      await sleep(delayMs);
    }
  }
}
